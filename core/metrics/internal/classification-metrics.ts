/**
 * Assembles the binary and multiclass parts of a metrics result from the stored rows. Every value
 * is scikit-learn 1.2's; see the modules named below for each edge case.
 */
import type { ClassMetrics, ConfusionMatrix, Curves } from '../types.ts';
import { thresholdCounts } from './binary-clf-curve.ts';
import {
  binaryLabelMetrics,
  confusionCounts,
  confusionMatrix,
  multiclassLabelMetrics,
  perClassMetrics,
} from './confusion.ts';
import { downsampleCurve } from './downsample-curve.ts';
import { binaryLogLoss, brierScore, multiclassLogLoss, type ProbaDtype } from './log-loss.ts';
import { multiclassRocAuc, type ResampleShortcuts } from './multiclass-roc-auc.ts';
import { averagePrecision, precisionRecallCurve } from './precision-recall-curve.ts';
import { rocAuc, rocCurve } from './roc-curve.ts';

export interface StoredProba {
  /** Row-major: 1 column (P(positive)) for binary tasks, C columns for multiclass. */
  values: Float32Array | Float64Array;
  dtype: ProbaDtype;
}

export interface ClassificationResult {
  metrics: Record<string, number | null>;
  per_class: ClassMetrics[];
  confusion_matrix: ConfusionMatrix;
  curves?: Curves;
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** How a bootstrap resample is scored: without curves, with the shortcuts its scorer prepared. */
export interface ScoringOptions extends ResampleShortcuts {
  /** ROC and PR curve points; default true. */
  curves?: boolean;
}

export function binaryResult(
  classes: readonly string[],
  yTrue: Int32Array,
  yPred: Int32Array,
  proba: StoredProba | undefined,
  options: ScoringOptions = {},
): ClassificationResult {
  const counts = confusionCounts(yTrue, yPred, 2);
  const metrics: Record<string, number | null> = {
    ...binaryLabelMetrics(counts),
    roc_auc: null,
    average_precision: null,
    log_loss: null,
    brier_score: null,
  };
  let curves: Curves | undefined;
  // sklearn's check_array rejects NaN / infinite scores: every score-based metric is undefined then.
  if (proba && yTrue.length > 0 && allFinite(proba.values)) {
    const thresholds = options.thresholds ? options.thresholds(1) : thresholdCounts(yTrue, 1, proba.values);
    const withCurves = options.curves ?? true;
    metrics.roc_auc = rocAuc(thresholds);
    metrics.average_precision = averagePrecision(thresholds);
    metrics.log_loss = binaryLogLoss(yTrue, proba.values, proba.dtype);
    metrics.brier_score = brierScore(yTrue, proba.values);
    const roc = withCurves ? rocCurve(thresholds) : undefined;
    const pr = withCurves ? precisionRecallCurve(thresholds) : undefined;
    if (roc || pr) {
      curves = {};
      if (roc) curves.roc = downsampleCurve(roc);
      if (pr) curves.pr = downsampleCurve(pr);
    }
  }
  return {
    metrics,
    per_class: perClassMetrics(counts, classes),
    confusion_matrix: confusionMatrix(counts, classes),
    ...(curves ? { curves } : {}),
  };
}

export function multiclassResult(
  classes: readonly string[],
  yTrue: Int32Array,
  yPred: Int32Array,
  proba: StoredProba | undefined,
  options: ScoringOptions = {},
): ClassificationResult {
  const k = classes.length;
  const counts = confusionCounts(yTrue, yPred, k);
  const metrics: Record<string, number | null> = {
    ...multiclassLabelMetrics(counts, k),
    log_loss: proba ? multiclassLogLoss(yTrue, proba.values, k, proba.dtype) : null,
    roc_auc_ovr: proba ? multiclassRocAuc(yTrue, proba.values, k, proba.dtype, options) : null,
  };
  return {
    metrics,
    per_class: perClassMetrics(counts, classes),
    confusion_matrix: confusionMatrix(counts, classes),
  };
}
