/** The `cairn.metrics/v1` document: what `cairn evaluate` writes and every report reads. */

import type { TrainingRecord } from './training-record.schema.ts';

export type Task = 'binary' | 'multiclass' | 'regression';

export const METRICS_SCHEMA = 'cairn.metrics/v1';

/** Higher is better unless listed in LOWER_IS_BETTER. */
export const METRIC_NAMES: Record<Task, readonly string[]> = {
  binary: [
    'accuracy',
    'balanced_accuracy',
    'precision',
    'recall',
    'f1',
    'roc_auc',
    'average_precision',
    'log_loss',
    'brier_score',
  ],
  multiclass: ['accuracy', 'f1_macro', 'f1_weighted', 'precision_macro', 'recall_macro', 'log_loss', 'roc_auc_ovr'],
  regression: ['mae', 'mse', 'rmse', 'r2', 'mape'],
};

export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['log_loss', 'brier_score', 'mae', 'mse', 'rmse', 'mape']);

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** The f1's bootstrap interval, beside the report's `intervals`. */
  f1_interval?: [number, number];
  support: number;
}

export interface ConfusionMatrix {
  /** Row i is the true label, column j the predicted label, as scikit-learn's confusion_matrix. */
  labels: string[];
  matrix: number[][];
}

/** A downsampled curve for charts: at most a few hundred points, first and last kept. */
export interface Curve {
  x: number[];
  y: number[];
}

export interface Curves {
  /** x = false positive rate, y = true positive rate (binary; the positive class). */
  roc?: Curve;
  /** x = recall, y = precision (binary; the positive class). */
  pr?: Curve;
}

export interface TensorInfo {
  name: string;
  type: string;
  shape: Array<number | string | null>;
}

/** Fewer timed batches than this give no latency percentiles (the tail of a handful is noise). */
export const LATENCY_MIN_BATCHES = 30;

export interface LatencyStats {
  batch_size: number;
  /** Timed batches; absent in files written before it was recorded. */
  batches?: number;
  rows_per_s: number;
  /** Per-batch percentiles, present only from LATENCY_MIN_BATCHES timed batches on. */
  p50_ms?: number;
  p95_ms?: number;
  p99_ms?: number;
}

/**
 * `threshold`: the positive class when its probability is >= threshold (`models.<m>.threshold`);
 * `label-output`: the model's own label output; `argmax`: the most probable class.
 */
export type Decision = { rule: 'threshold'; threshold: number } | { rule: 'label-output' } | { rule: 'argmax' };

export interface GateRuleResult {
  /** The rule as written, e.g. `roc_auc>=baseline-0.01`. */
  rule: string;
  metric: string;
  passed: boolean;
  actual: number | null;
  /** The threshold the rule resolved to (baseline arithmetic applied). */
  threshold: number | null;
  /** Why a rule could not be checked (no baseline, metric undefined), when it could not. */
  reason?: string;
}

export interface GateResult {
  expression: string;
  passed: boolean;
  rules: GateRuleResult[];
}

export interface DataFile {
  path: string;
  sha256: string;
  rows: number;
}

/** One merged partial: shard `I/N` of a data file, and the rows it held. */
export interface DataPart extends DataFile {
  shard: string;
}

export interface MetricsReport {
  schema: typeof METRICS_SCHEMA;
  /** Model name (from --name, the action's model-name, or the model file's stem). */
  name: string;
  task: Task;
  rows: number;
  /** Flat map, names of METRIC_NAMES. `null` where scikit-learn would raise or return NaN. */
  metrics: Record<string, number | null>;
  /**
   * `[low, high]` per metric from a seeded row bootstrap (core/metrics/bootstrap.ts): how far the
   * metric moves on another sample of this size. Absent in files written before it, and for a
   * metric some resample leaves undefined.
   */
  intervals?: Record<string, [number, number]>;
  /** How `intervals` were drawn. */
  bootstrap?: { resamples: number; seed: number; confidence: number };
  per_class?: ClassMetrics[];
  confusion_matrix?: ConfusionMatrix;
  curves?: Curves;
  latency?: LatencyStats;
  runtime?: { onnxruntime: string; execution_provider: string };
  model?: { path: string; sha256: string; inputs: TensorInfo[]; outputs: TensorInfo[] };
  /**
   * One data file, or (`cairn evaluate merge`) the partials' rows, each part with its file and
   * shard. `target` and `features` (the columns fed to the model, in input order) are absent in
   * older files.
   */
  data?: (DataFile | { rows: number; parts: DataPart[] }) & { target?: string; features?: string[] };
  /** Classification: how each row's class was decided. */
  decision?: Decision;
  git?: { sha: string; ref?: string };
  /** The training record (`cairn train`) of the evaluated model, from `--training-record`. */
  training?: TrainingRecord;
  gate?: GateResult;
  /** Set when the gate was turned off on purpose (`--no-gate`); `configured` is the gate not checked. */
  gate_disabled?: { configured?: string };
  created_at?: string;
}

/**
 * The data files behind a report, in order, each once: a merged report's parts of one file
 * (its shards) are summed into that file's rows.
 */
export function dataFiles(data: NonNullable<MetricsReport['data']>): DataFile[] {
  if (!('parts' in data)) return [{ path: data.path, sha256: data.sha256, rows: data.rows }];
  const files = new Map<string, DataFile>();
  for (const part of data.parts) {
    const key = `${part.sha256}\u0000${part.path}`;
    const file = files.get(key);
    if (file) file.rows += part.rows;
    else files.set(key, { path: part.path, sha256: part.sha256, rows: part.rows });
  }
  return [...files.values()];
}
