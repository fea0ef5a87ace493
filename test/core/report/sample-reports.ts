/**
 * Hand-made, internally consistent metrics.json documents for report, card and gate tests.
 * Binary numbers follow from the confusion matrix [[1450, 90], [120, 340]] (2,000 rows):
 * accuracy 0.895, precision 340/430, recall 340/460, f1 680/890, balanced accuracy 0.840344.
 */
import { TRAINING_RECORD_SCHEMA, type TrainingRecord } from '../../../core/train/index.ts';
import type { ClassMetrics, ConfusionMatrix, Curve, MetricsReport } from '../../../core/metrics/types.ts';

/** A concave ROC-like curve with `points` points from (0,0) to (1,1). */
function rocCurve(points: number, power: number): Curve {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < points; i++) {
    const fpr = i / (points - 1);
    x.push(fpr);
    y.push(fpr ** power);
  }
  return { x, y };
}

/** A PR curve in scikit-learn's order: recall decreasing from 1 to 0, last point precision 1. */
function prCurve(points: number, base: number): Curve {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < points; i++) {
    const recall = 1 - i / (points - 1);
    x.push(recall);
    y.push(i === points - 1 ? 1 : base + (1 - base) * (1 - recall ** 2));
  }
  return { x, y };
}

export function binaryReport(overrides: Partial<MetricsReport> = {}): MetricsReport {
  return {
    schema: 'cairn.metrics/v1',
    name: 'churn',
    task: 'binary',
    rows: 2000,
    metrics: {
      accuracy: 0.895,
      balanced_accuracy: 0.840344,
      precision: 0.790698,
      recall: 0.73913,
      f1: 0.764045,
      roc_auc: 0.9132,
      average_precision: 0.8421,
      log_loss: 0.2874,
      brier_score: 0.0812,
    },
    per_class: [
      { label: 'no', precision: 0.923567, recall: 0.941558, f1: 0.932476, support: 1540 },
      { label: 'yes', precision: 0.790698, recall: 0.73913, f1: 0.764045, support: 460 },
    ],
    confusion_matrix: {
      labels: ['no', 'yes'],
      matrix: [
        [1450, 90],
        [120, 340],
      ],
    },
    curves: { roc: rocCurve(60, 0.22), pr: prCurve(60, 0.23) },
    latency: { batch_size: 1024, rows_per_s: 412345.6, p50_ms: 1.92, p95_ms: 2.71, p99_ms: 3.4 },
    runtime: { onnxruntime: '1.30.0', execution_provider: 'CPUExecutionProvider' },
    model: {
      path: 'models/churn.onnx',
      sha256: '9f2c4e1a7b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8',
      inputs: [{ name: 'float_input', type: 'tensor(float)', shape: [null, 9] }],
      outputs: [
        { name: 'label', type: 'tensor(int64)', shape: [null] },
        { name: 'probabilities', type: 'tensor(float)', shape: [null, 2] },
      ],
    },
    data: {
      path: 'data/churn-test.csv',
      sha256: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
      rows: 2000,
    },
    git: { sha: '3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f', ref: 'refs/pull/42/merge' },
    created_at: '2025-01-15T10:20:30Z',
    ...overrides,
  };
}

/** The model on the base branch: better roc_auc, worse f1, accuracy and log_loss. */
export function binaryBaseline(overrides: Partial<MetricsReport> = {}): MetricsReport {
  return binaryReport({
    metrics: {
      accuracy: 0.8875,
      balanced_accuracy: 0.8301,
      precision: 0.7712,
      recall: 0.7304,
      f1: 0.7502,
      roc_auc: 0.9201,
      average_precision: 0.8421,
      log_loss: 0.295,
      brier_score: 0.082,
    },
    per_class: [
      { label: 'no', precision: 0.9201, recall: 0.9351, f1: 0.9275, support: 1540 },
      { label: 'yes', precision: 0.7712, recall: 0.7304, f1: 0.7502, support: 460 },
    ],
    git: { sha: 'c0ffee0123456789abcdef0123456789abcdef01', ref: 'main' },
    ...overrides,
  });
}

export function regressionReport(overrides: Partial<MetricsReport> = {}): MetricsReport {
  return {
    schema: 'cairn.metrics/v1',
    name: 'house-prices',
    task: 'regression',
    rows: 5000,
    metrics: { mae: 21034.5, mse: 912345678.25, rmse: 30205.06, r2: 0.8123, mape: 0.0712 },
    latency: { batch_size: 512, rows_per_s: 98000, p50_ms: 4.1, p95_ms: 5.2, p99_ms: 7.9 },
    runtime: { onnxruntime: '1.30.0', execution_provider: 'CPUExecutionProvider' },
    data: { path: 'data/houses.parquet', sha256: 'b'.repeat(64), rows: 5000 },
    ...overrides,
  };
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * A multiclass report with `classes` classes whose per-class numbers and headline metrics are
 * computed from a generated confusion matrix, so large inputs (300 classes) stay consistent.
 */
export function multiclassReport(classes: number, overrides: Partial<MetricsReport> = {}): MetricsReport {
  const labels = Array.from({ length: classes }, (_, i) => `species_${String(i).padStart(3, '0')}`);
  const matrix = labels.map((_, i) =>
    labels.map((_, j) => {
      const support = 40 + ((i * 37) % 160);
      if (i === j) return Math.round(support * (0.55 + ((i * 13) % 40) / 100));
      return (i + 1) % classes === j ? Math.round(support * 0.08) : (i * 7 + j) % 23 === 0 ? 2 : 0;
    }),
  );
  const confusion: ConfusionMatrix = { labels, matrix };
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  const perClass: ClassMetrics[] = labels.map((label, k) => {
    const tp = matrix[k][k];
    const support = matrix[k].reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, row) => sum + row[k], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision: round(precision), recall: round(recall), f1: round(f1), support };
  });
  const mean = (pick: (c: ClassMetrics) => number) => round(perClass.reduce((s, c) => s + pick(c), 0) / classes);
  const correct = labels.reduce((sum, _, k) => sum + matrix[k][k], 0);
  return {
    schema: 'cairn.metrics/v1',
    name: 'iris-plus',
    task: 'multiclass',
    rows: total,
    metrics: {
      accuracy: round(correct / total),
      f1_macro: mean((c) => c.f1),
      f1_weighted: round(perClass.reduce((s, c) => s + c.f1 * c.support, 0) / total),
      precision_macro: mean((c) => c.precision),
      recall_macro: mean((c) => c.recall),
      log_loss: 0.6123,
      roc_auc_ovr: 0.9534,
    },
    per_class: perClass,
    confusion_matrix: confusion,
    runtime: { onnxruntime: '1.30.0', execution_provider: 'CPUExecutionProvider' },
    data: { path: 'data/species.csv', sha256: 'c'.repeat(64), rows: total },
    ...overrides,
  };
}

/** A training record of a run on two H100s, with every field set. */
export function sampleTrainingRecord(overrides: Partial<TrainingRecord> = {}): TrainingRecord {
  return {
    schema: TRAINING_RECORD_SCHEMA,
    status: 'succeeded',
    exit_code: 0,
    signal: null,
    command: ['python', 'train.py', '--epochs', '3'],
    started_at: '2026-12-07T10:00:00.000Z',
    finished_at: '2026-12-07T10:12:03.000Z',
    duration_s: 723,
    gpu: {
      count: 2,
      driver_version: '550.54.15',
      cuda_version: '12.4',
      devices: [0, 1].map((index) => ({
        index,
        name: 'NVIDIA H100 80GB HBM3',
        uuid: `GPU-${index}`,
        memory_total_mib: 81559,
        compute_capability: '9.0',
      })),
      labels: ['gpu', 'gpu-h100-80gb-hbm3', 'cuda-12', 'gpus-2'],
    },
    telemetry: {
      interval_s: 1,
      samples: 723,
      peak_rss_mb: 2048.5,
      gpus: [
        { index: 0, peak_memory_mib: 40000, mean_utilization_pct: 87.5 },
        { index: 1, peak_memory_mib: 39000, mean_utilization_pct: 85 },
      ],
    },
    params: { train: { epochs: 3, lr: 0.01 } },
    metrics: { loss: 0.21 },
    model: { path: 'model.onnx', sha256: 'a'.repeat(64), bytes: 1234 },
    data: [{ path: 'data/train.csv', md5: 'b'.repeat(32) }],
    git: { sha: 'c'.repeat(40), ref: 'refs/heads/main' },
    runner: { name: 'gpu-box-1', os: 'Linux', arch: 'X64', labels: ['self-hosted', 'gpu'] },
    ...overrides,
  };
}
