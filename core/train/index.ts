/**
 * `cairn train` and actions/train: run a training command in its own process group, sample its
 * telemetry, stop its whole tree on a timeout or cancellation, and write the training record.
 */
export {
  train,
  DEFAULT_GRACE_MS,
  type GpuRequirement,
  type NamedFile,
  type TrainOptions,
  type TrainResult,
} from './train.ts';
export { exitCodeOf, type TrainingStatus, type CommandOutcome } from './internal/run-command.ts';
export { runnerIdentity, type RunnerIdentity } from './runner-identity.ts';
export {
  MAX_TRAINING_RECORD_BYTES,
  TRAINING_RECORD_SCHEMA,
  parseTrainingRecord,
  readTrainingRecord,
} from './training-record.ts';
export type { TrainingRecord } from '../metrics/index.ts';
export { pushTrainedModel } from './push-trained-model.ts';
