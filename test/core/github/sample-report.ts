import type { MetricsReport } from '../../../core/metrics/types.ts';

/** A binary-classification report as `cairn evaluate` writes it, gate included unless overridden. */
export function sampleReport(overrides: Partial<MetricsReport> = {}): MetricsReport {
  return {
    schema: 'cairn.metrics/v1',
    name: 'churn',
    task: 'binary',
    rows: 2000,
    metrics: { accuracy: 0.861, balanced_accuracy: 0.79, precision: 0.71, recall: 0.64, f1: 0.673, roc_auc: 0.902, average_precision: 0.77, log_loss: 0.331, brier_score: 0.101 },
    per_class: [
      { label: '0', precision: 0.9, recall: 0.93, f1: 0.915, support: 1500 },
      { label: '1', precision: 0.71, recall: 0.64, f1: 0.673, support: 500 },
    ],
    confusion_matrix: { labels: ['0', '1'], matrix: [[1395, 105], [180, 320]] },
    curves: { roc: { x: [0, 0.1, 1], y: [0, 0.7, 1] }, pr: { x: [0, 0.64, 1], y: [1, 0.71, 0.25] } },
    model: { path: 'models/churn.onnx', sha256: 'ab'.repeat(32), inputs: [{ name: 'input', type: 'tensor(float)', shape: ['N', 9] }], outputs: [] },
    gate: {
      expression: 'f1>=0.6,roc_auc>=0.9',
      passed: true,
      rules: [
        { rule: 'f1>=0.6', metric: 'f1', passed: true, actual: 0.673, threshold: 0.6 },
        { rule: 'roc_auc>=0.9', metric: 'roc_auc', passed: true, actual: 0.902, threshold: 0.9 },
      ],
    },
    ...overrides,
  };
}
