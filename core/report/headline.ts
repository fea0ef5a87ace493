import type { MetricsReport, Task } from '../metrics/index.ts';

/** The two metrics a reader looks at first, per task. */
export const HEADLINE_METRICS: Record<Task, readonly [string, string]> = {
  binary: ['roc_auc', 'f1'],
  multiclass: ['accuracy', 'f1_macro'],
  regression: ['rmse', 'r2'],
};

/** One line for logs, step outputs and notifications: `churn: roc_auc 0.8312 (+0.0121), f1 0.6120 — gate passed`. */
export function headline(report: MetricsReport, baseline?: MetricsReport): string {
  const parts = HEADLINE_METRICS[report.task].map((name) => {
    const value = report.metrics[name];
    if (typeof value !== 'number') return `${name} n/a`;
    const before = baseline?.metrics[name];
    const delta =
      typeof before === 'number' ? ` (${value - before >= 0 ? '+' : ''}${(value - before).toFixed(4)})` : '';
    return `${name} ${value.toFixed(4)}${delta}`;
  });
  const verdict = report.gate ? ` — gate ${report.gate.passed ? 'passed' : 'failed'}` : '';
  return `${report.name}: ${parts.join(', ')}${verdict}`;
}
