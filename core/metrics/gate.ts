/**
 * Metric gates: `f1>=0.80, roc_auc>=baseline-0.01, log_loss<=baseline*1.05`.
 * Parsing (never eval) lives in gate-parse.ts, checking and CLI lines in gate-evaluate.ts;
 * import from here.
 */
export { ALL_METRIC_NAMES, parseGate } from './internal/gate-parse.ts';
export type { GateOp, GateRule, GateThreshold } from './internal/gate-parse.ts';
export { evaluateGate, formatGateResult } from './internal/gate-evaluate.ts';
export type { EvaluateGateOptions } from './internal/gate-evaluate.ts';
export type { GateResult, GateRuleResult } from './types.ts';
