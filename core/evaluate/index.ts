/** Evaluation of an ONNX model on a table: sessions (cpu / cuda), input mapping, batching, latency, the gate. */
export { evaluateModel, type EvaluateOptions } from './evaluate-model.ts';
export { runGatedEvaluation, type GatedEvaluation, type GatedEvaluationOptions } from './gated.ts';
export { readFeatureList, type FeatureListOptions } from './feature-list.ts';
export {
  chooseExecutionProvider,
  probeCudaProvider,
  systemProbes,
  type DeviceChoice,
  type DeviceProbes,
  type DeviceRequest,
  type ExecutionProvider,
  type ProbeResult,
} from './device.ts';
export { checkChallengeSettings, runChallenge, type ChallengeOptions, type ChallengeSide } from './challenge.ts';
export { evaluateShard, parseShard, shardRange, type Shard, type ShardEvaluationOptions } from './shard.ts';
export { mergePartials, orderPartials, runGatedMerge, type MergeOptions } from './merge.ts';
