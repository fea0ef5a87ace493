/**
 * `roc_auc_score(y_true, proba, multi_class='ovr', average='macro', labels=range(C))` of
 * scikit-learn 1.2: the unweighted mean of each class's one-vs-rest ROC AUC.
 */
import { thresholdCounts, type ThresholdCounts } from './binary-clf-curve.ts';
import { numpySum, numpySumFloat32 } from './numpy-sum.ts';
import { rocAuc } from './roc-curve.ts';
import type { ProbaDtype } from './log-loss.ts';

/**
 * `null` where sklearn raises:
 * - a class never occurs in y_true ("Only one class present in y_true" for that class),
 * - a row does not sum to 1 within np.allclose (rtol 1e-5, atol 1e-8): "Target scores need to be
 *   probabilities for multiclass roc_auc",
 * - NaN or infinite probabilities.
 * (With C = 2, sklearn takes a binary path that fails on a 2-column y_score; this returns the
 * one-vs-rest mean, which equals the binary AUC when the columns sum to 1.)
 */
export function multiclassRocAuc(
  yTrue: Int32Array,
  proba: Float32Array | Float64Array,
  classes: number,
  dtype: ProbaDtype,
  resample: ResampleShortcuts = {},
): number | null {
  const n = yTrue.length;
  if (n === 0) return null;
  if (!resample.rowsChecked && !probabilityRows(proba, n, classes, dtype)) return null;
  const areas = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    const area = rocAuc(resample.thresholds ? resample.thresholds(c) : thresholdCounts(yTrue, c, proba, c, classes));
    if (area === null) return null;
    areas[c] = area;
  }
  return numpySum(areas) / classes;
}

/** What a bootstrap resample of checked rows can skip (core/metrics/metrics-accumulator.ts resampleScorer). */
export interface ResampleShortcuts {
  /** One class's threshold counts, counted without sorting the resample's scores. */
  thresholds?: (positiveClass: number) => ThresholdCounts;
  /** Every row of the data resampled from passed `probabilityRows`, so every resample does. */
  rowsChecked?: boolean;
}

/** Each of the `rows` rows is finite and sums to 1 as sklearn's multiclass roc_auc requires. */
export function probabilityRows(
  proba: Float32Array | Float64Array,
  rows: number,
  classes: number,
  dtype: ProbaDtype,
): boolean {
  const rowSum = dtype === 'float32' ? numpySumFloat32 : numpySum;
  for (let i = 0; i < rows; i++) {
    // NaN fails this comparison too. The float32 sum is rounded like numpy's; the tolerance test
    // itself runs in float64 (numpy runs it in float32: only differs at the tolerance edge).
    const sum = rowSum(proba, i * classes, classes);
    if (!(Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum))) return false;
  }
  for (let i = 0; i < proba.length; i++) if (!Number.isFinite(proba[i])) return false;
  return true;
}
