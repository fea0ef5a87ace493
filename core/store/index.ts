/**
 * Object stores behind one interface: s3:// (AWS SDK v3) and file:// (the embedded default); DVC-compatible
 * pull and push; model artifacts and stage pointers. The DVC layout (internal/dvc/) is this package's own:
 * no other package reads .dvc files or the remote's layout, so it is not a package of its own.
 */
export { openStore, parseStoreUri, type OpenStoreOptions, type StoreLocation } from './open-store.ts';
export {
  checkObjectKey,
  checkListPrefix,
  compareKeys,
  ObjectNotFoundError,
  PreconditionFailedError,
  type ByteRange,
  type GetOptions,
  type ListedObject,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  type PutResult,
} from './store.ts';
export { FileStore } from './file-store.ts';
export { S3Store, MULTIPART_PART_SIZE, type S3Location } from './s3-store.ts';
export { createS3Client, type S3ClientOptions } from './s3-client.ts';
export { DEFAULT_RETRY_POLICY, backoffDelay, type RetryPolicy } from './retry.ts';
export { TruncatedBodyError } from './resuming-body.ts';
export {
  DEFAULT_PULL_JOBS,
  manifestHashOf,
  pullOutputs,
  pullPointerFile,
  pulledOutputs,
  pullSources,
  type PulledOutput,
  type PullSource,
  type PullOptions,
  type PullProgress,
  type PullResult,
  type TransferCount,
} from './pull.ts';
export {
  DEFAULT_PUSH_JOBS,
  pushPath,
  pushPointerFile,
  type PushOptions,
  type PushProgress,
  type PushResult,
} from './push.ts';
export {
  checkModelVersion,
  checkStageName,
  modelObjectKey,
  parseModelName,
  pullModelArtifact,
  pushModelArtifact,
  pushModelObject,
  readModelPointer,
  stagePointerKey,
  versionPointerKey,
  type ModelName,
  type ModelPointer,
  type PullModelOptions,
  type PushModelOptions,
} from './model-artifacts.ts';
export { MODEL_POINTER_SCHEMA, modelPointerSchema } from './model-pointer.schema.ts';
export {
  DeployFailedError,
  STAGE_POINTER_SCHEMA,
  StageMovedError,
  deployToStage,
  formatStagePointer,
  readStagePointer,
  stagePointerSchema,
  writeStagePointer,
  type CurrentStage,
  type DeployResult,
  type DeployToStageOptions,
  type StagePointer,
} from './stage-pointer.ts';
export { defaultCacheDir } from './cache-dir.ts';
export {
  planPull,
  pullPlan,
  type PlanPullOptions,
  type PullPlan,
  type PullPlanOptions,
  type PullTarget,
} from './pull-targets.ts';
export { resolveRemote, type ResolvedRemote, type ResolveRemoteOptions } from './resolve-remote.ts';
export { checkTrackInGit, trackInGit, DVC_REMOTE_NAME, type TrackOptions } from './track-in-git.ts';
export { isDvcPointerPath } from './internal/dvc/index.ts';
export { checkWorkspaceOutputs, type WorkspaceOutputState } from './workspace-outputs.ts';
export {
  formatModelReference,
  lookupRegistryModel,
  parseModelReference,
  resolveRegistryModel,
  trainingRecordKey,
  type LookupRegistryModelOptions,
  type ModelReference,
  type RegistryModel,
  type RegistryVersion,
  type ResolveRegistryModelOptions,
} from './registry-model.ts';
export { pullTrainingData, type PullTrainingDataOptions } from './training-data.ts';
