/** Small Octokit helpers shared by the actions, the CLI and the app. */
export {
  clientOptions,
  createOctokit,
  rateLimitPolicy,
  MAX_RATE_LIMIT_WAIT_S,
  type CairnOctokit,
  type ClientOptions,
  type CreateOctokitOptions,
  type GitHubClient,
} from './octokit.ts';
export {
  upsertStickyComment,
  findStickyComment,
  hasMarkerLine,
  withMarker,
  type StickyCommentOptions,
  type StickyCommentResult,
} from './sticky-comment.ts';
export {
  publishCheckRun,
  checkRunBody,
  fitTitle,
  checkRunName,
  forkCheckRunName,
  FORK_LABEL,
  checkConclusion,
  checkTitle,
  type PublishCheckRunOptions,
  type CheckConclusion,
} from './check-run.ts';
export { readRecordFromCheckRun, formatRecordText, RECORD_MARKER } from './eval-record.ts';
export { readBaselineFromRef, resolveRef, type ReadBaselineOptions } from './baseline.ts';
export { isForbidden, tryWrite } from './permissions.ts';
export {
  readRecordOnCommit,
  type CommitRecord,
  type CommitRecordOptions,
  type IgnoredCheckRun,
  type RecordLookup,
} from './commit-record.ts';
export {
  isTrustedSource,
  isGitHubActionsApp,
  describeApp,
  GITHUB_ACTIONS_APP,
  type CheckRunApp,
} from './evidence-source.ts';
export {
  listTagRefs,
  registryTagsFromRefs,
  readRegistryTag,
  createAnnotatedTag,
  type RegistryTags,
  type RegistryTagsOptions,
  type TagObjectCache,
  type CreateTagOptions,
} from './registry-tags.ts';
export { readRepoConfigAt, REPO_CONFIG_PATH } from './repo-config.ts';
export { dispatchWorkflow, type DispatchOptions } from './dispatch.ts';
export { ensureRelease, RELEASE_BODY_LIMIT, type EnsureReleaseOptions, type EnsureReleaseResult } from './releases.ts';
export {
  tokenLogin,
  tokenKind,
  botLogin,
  isAuthor,
  GITHUB_ACTIONS_BOT,
  type TokenIdentityOptions,
  type TokenKind,
} from './identity.ts';
export { conditionalGet, type EtagCache, type EtagEntry } from './conditional-get.ts';
export { statusOf } from './status.ts';
export {
  createJitRunner,
  deleteRunner,
  describeScope,
  findRunnerGroup,
  DEFAULT_RUNNER_GROUP_ID,
  type Deregistration,
  type JitOptions,
  type JitRunner,
  type RunnerScope,
} from './runners.ts';
export {
  commitFiles,
  branchHead,
  type FileToCommit,
  type CommitFilesOptions,
  type CommittedFiles,
} from './commit-files.ts';
