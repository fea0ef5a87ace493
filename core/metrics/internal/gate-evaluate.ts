import type { GateOp, GateRule } from './gate-parse.ts';
import type { GateResult, GateRuleResult, MetricsReport } from '../types.ts';
import { METRIC_NAMES } from '../types.ts';

export interface EvaluateGateOptions {
  /**
   * What a rule that refers to `baseline` does when there is no baseline report (say, the first
   * model of a repository). Default 'fail': a gate that cannot be checked does not pass. 'pass'
   * lets such rules pass with a reason, for pipelines that knowingly start without a baseline.
   * A metric that is missing or null never passes, whatever this says.
   */
  missingBaseline?: 'fail' | 'pass';
}

const COMPARE: Record<GateOp, (actual: number, threshold: number) => boolean> = {
  '>=': (a, t) => a >= t,
  '>': (a, t) => a > t,
  '<=': (a, t) => a <= t,
  '<': (a, t) => a < t,
  '==': (a, t) => a === t,
};

/** A metric value the gate can compare: finite numbers only (null, absent, NaN are "undefined"). */
function valueOf(report: MetricsReport, metric: string): number | null | undefined {
  if (!Object.hasOwn(report.metrics, metric)) return undefined;
  const value = report.metrics[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function missingReason(report: MetricsReport, metric: string, whose: 'this model' | 'the baseline'): string {
  const value = valueOf(report, metric);
  if (value === null) {
    return `${metric} is undefined for ${whose} on this data (scikit-learn gives NaN or raises, e.g. roc_auc with one class present)`;
  }
  const names = METRIC_NAMES[report.task] ?? [];
  return `${metric} is not computed for ${report.task} tasks (${whose} has: ${names.join(', ')})`;
}

function evaluateRule(
  rule: GateRule,
  current: MetricsReport,
  baseline: MetricsReport | undefined,
  options: EvaluateGateOptions,
): GateRuleResult {
  const base = { rule: rule.text, metric: rule.metric };
  const actual = valueOf(current, rule.metric);
  if (actual === undefined || actual === null) {
    return {
      ...base,
      passed: false,
      actual: null,
      threshold: null,
      reason: missingReason(current, rule.metric, 'this model'),
    };
  }
  let threshold: number;
  if (rule.threshold.kind === 'number') {
    threshold = rule.threshold.value;
  } else {
    if (!baseline) {
      const pass = options.missingBaseline === 'pass';
      const reason = pass ? 'no baseline to compare with: rule skipped' : 'no baseline to compare with';
      return { ...base, passed: pass, actual, threshold: null, reason };
    }
    const reference = valueOf(baseline, rule.metric);
    if (reference === undefined || reference === null) {
      return {
        ...base,
        passed: false,
        actual,
        threshold: null,
        reason: missingReason(baseline, rule.metric, 'the baseline'),
      };
    }
    const { op, operand } = rule.threshold;
    threshold = op === '+' ? reference + operand : op === '-' ? reference - operand : reference * operand;
  }
  return { ...base, passed: COMPARE[rule.op](actual, threshold), actual, threshold };
}

/**
 * Checks every rule against `current` (and `baseline` for rules that use it). Fails closed: a rule
 * whose metric is absent or null, or that needs a baseline that is not there (unless
 * `missingBaseline: 'pass'`), fails with a `reason`. `==` compares exactly.
 */
export function evaluateGate(
  rules: readonly GateRule[],
  current: MetricsReport,
  baseline?: MetricsReport,
  options: EvaluateGateOptions = {},
): GateResult {
  const results = rules.map((rule) => evaluateRule(rule, current, baseline, options));
  return {
    expression: rules.map((rule) => rule.text).join(', '),
    passed: results.every((result) => result.passed),
    rules: results,
  };
}

/** Compact numbers for a terminal: 4 decimals, or scientific notation where that would read as 0. */
function show(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(3);
  return magnitude >= 100 ? value.toFixed(2) : value.toFixed(4);
}

/** One line per rule plus a headline, for the CLI and the Actions log. */
export function formatGateResult(result: GateResult): string[] {
  const failed = result.rules.filter((rule) => !rule.passed).length;
  const headline = result.passed
    ? `Gate passed (${result.rules.length} of ${result.rules.length} rules): ${result.expression}`
    : `Gate FAILED (${failed} of ${result.rules.length} rules failed): ${result.expression}`;
  const width = Math.max(0, ...result.rules.map((rule) => rule.rule.length));
  const lines = result.rules.map((rule) => {
    const status = rule.passed ? 'pass' : 'FAIL';
    const numbers =
      rule.actual !== null && rule.threshold !== null
        ? `${rule.metric} = ${show(rule.actual)}, threshold ${show(rule.threshold)}`
        : rule.actual !== null
          ? `${rule.metric} = ${show(rule.actual)}`
          : '';
    const reason = rule.reason ? (numbers ? `; ${rule.reason}` : rule.reason) : '';
    return `  ${status}  ${rule.rule.padEnd(width)}  ${numbers}${reason}`.trimEnd();
  });
  return [headline, ...lines];
}
