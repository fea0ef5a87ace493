import { METRIC_NAMES, type MetricsReport, type Task } from '../../metrics/index.ts';

/** Human names (for model cards and Hugging Face `model-index`) and one-line definitions. */
export const METRIC_INFO: Record<string, { name: string; definition: string }> = {
  accuracy: { name: 'Accuracy', definition: 'share of rows whose predicted class is the true class' },
  balanced_accuracy: {
    name: 'Balanced accuracy',
    definition: 'mean recall over the classes, robust to class imbalance',
  },
  precision: { name: 'Precision', definition: 'share of predicted positives that are positive' },
  recall: { name: 'Recall', definition: 'share of positives the model finds' },
  f1: { name: 'F1', definition: 'harmonic mean of precision and recall for the positive class' },
  roc_auc: { name: 'ROC AUC', definition: 'probability that a random positive is scored above a random negative' },
  average_precision: { name: 'Average precision', definition: 'area under the precision-recall curve (step-wise)' },
  log_loss: { name: 'Log loss', definition: 'cross-entropy of the predicted probabilities (lower is better)' },
  brier_score: {
    name: 'Brier score',
    definition: 'mean squared error of the positive-class probability (lower is better)',
  },
  f1_macro: { name: 'F1 (macro)', definition: 'unweighted mean of per-class F1' },
  f1_weighted: { name: 'F1 (weighted)', definition: 'per-class F1 weighted by class support' },
  precision_macro: { name: 'Precision (macro)', definition: 'unweighted mean of per-class precision' },
  recall_macro: { name: 'Recall (macro)', definition: 'unweighted mean of per-class recall' },
  roc_auc_ovr: { name: 'ROC AUC (one-vs-rest)', definition: 'mean of one-vs-rest ROC AUC over the classes' },
  mae: { name: 'Mean absolute error', definition: 'mean of |y - prediction| (lower is better)' },
  mse: { name: 'Mean squared error', definition: 'mean of (y - prediction)² (lower is better)' },
  rmse: { name: 'Root mean squared error', definition: 'square root of the mean squared error (lower is better)' },
  r2: { name: 'R²', definition: 'share of the target variance explained; 1 is perfect, 0 predicts the mean' },
  mape: {
    name: 'Mean absolute percentage error',
    definition: 'mean of |y - prediction| / |y|, as a fraction (lower is better)',
  },
};

export const TASK_NAMES: Record<Task, string> = {
  binary: 'binary classification',
  multiclass: 'multiclass classification',
  regression: 'regression',
};

export function metricName(metric: string): string {
  return METRIC_INFO[metric]?.name ?? metric;
}

/**
 * The metrics to show, in METRIC_NAMES order for the task, then any other metric this report has
 * (a newer metrics.json, a custom metric), alphabetically.
 */
export function metricsToShow(report: MetricsReport, baseline?: MetricsReport): string[] {
  const known = METRIC_NAMES[report.task] ?? [];
  // A baseline-only metric is shown only when this task defines it (this run then shows n/a).
  const fromBaseline = Object.keys(baseline?.metrics ?? {}).filter((name) => known.includes(name));
  const present = new Set([...Object.keys(report.metrics), ...fromBaseline]);
  const extra = [...present].filter((name) => !known.includes(name)).sort();
  return [...known.filter((name) => present.has(name)), ...extra];
}
