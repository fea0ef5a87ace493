/** Classification and regression metrics (sklearn-exact), mergeable accumulators, bootstrap intervals, the gate, the report file. */
export {
  LATENCY_MIN_BATCHES,
  LOWER_IS_BETTER,
  METRICS_SCHEMA,
  METRIC_NAMES,
  type ClassMetrics,
  type ConfusionMatrix,
  type Curve,
  type Curves,
  type DataFile,
  type DataPart,
  dataFiles,
  type Decision,
  type GateResult,
  type GateRuleResult,
  type LatencyStats,
  type MetricsReport,
  type Task,
  type TensorInfo,
} from './types.ts';
export {
  ALL_METRIC_NAMES,
  evaluateGate,
  formatGateResult,
  parseGate,
  type EvaluateGateOptions,
  type GateOp,
  type GateRule,
  type GateThreshold,
} from './gate.ts';
export { BOOTSTRAP_DEFAULTS, bootstrapIntervals, type BootstrapSettings, type Intervals } from './bootstrap.ts';
export { MetricsAccumulator, classF1Key, type MetricsBatch, type MetricsResult } from './metrics-accumulator.ts';
export { parseMetricsReport, readMetricsReport } from './read-report.ts';
export { metricsReportProblems, metricsReportSchema } from './metrics-report.schema.ts';
export { percentile } from './percentile.ts';
export {
  TRAINING_RECORD_SCHEMA,
  trainingRecordProblems,
  trainingRecordSchema,
  type TrainingRecord,
} from './training-record.schema.ts';
export { pairedDifference, type PairedDifference } from './paired-bootstrap.ts';
export {
  CHALLENGE_CONFIDENCE,
  CHALLENGE_SCHEMA,
  MAX_SKIPPED_SHARE,
  challengeDecisionProblems,
  challengeDecisionSchema,
  decideChallenge,
  type ChallengeDecision,
} from './challenge-decision.schema.ts';
export { scoreAccumulator, type ScoredMetrics } from './score-accumulator.ts';
export {
  ACCUMULATOR_STATE_FORMAT,
  metricsPartialState,
  parseMetricsPartial,
  readMetricsPartial,
  type MetricsAccumulatorState,
  type MetricsPartial,
  type PartialSource,
} from './metrics-partial.ts';
