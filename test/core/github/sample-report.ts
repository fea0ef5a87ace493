import type { MetricsReport } from '../../../core/metrics/types.ts';
import { binaryReport } from '../report/sample-reports.ts';

/** A binary-classification report as `cairn evaluate` writes it, with a passed gate unless overridden. */
export function sampleReport(overrides: Partial<MetricsReport> = {}): MetricsReport {
  return binaryReport({
    gate: {
      expression: 'f1>=0.6,roc_auc>=0.9',
      passed: true,
      rules: [
        { rule: 'f1>=0.6', metric: 'f1', passed: true, actual: 0.764045, threshold: 0.6 },
        { rule: 'roc_auc>=0.9', metric: 'roc_auc', passed: true, actual: 0.9132, threshold: 0.9 },
      ],
    },
    ...overrides,
  });
}
