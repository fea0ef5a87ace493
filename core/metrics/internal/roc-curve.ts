/**
 * ROC AUC and the ROC curve as scikit-learn 1.2 computes them (`roc_auc_score`, `roc_curve` with
 * drop_intermediate=True), from the per-threshold counts of binary-clf-curve.ts.
 */
import type { Curve } from '../types.ts';
import type { ThresholdCounts } from './binary-clf-curve.ts';

/**
 * Trapezoidal area under the ROC curve over distinct thresholds, so tied scores count half, as
 * sklearn's `auc(fpr, tpr)`. Summed in counts (exact integers) and divided once at the end.
 * `null` when only one class is present: sklearn raises "Only one class present in y_true. ROC AUC
 * score is not defined in that case."
 */
export function rocAuc(counts: ThresholdCounts): number | null {
  const { tps, fps, positives, negatives } = counts;
  if (positives === 0 || negatives === 0) return null;
  let area2 = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let i = 0; i < tps.length; i++) {
    area2 += (fps[i] - prevFp) * (tps[i] + prevTp);
    prevTp = tps[i];
    prevFp = fps[i];
  }
  return area2 / (2 * positives * negatives);
}

/**
 * The ROC curve points sklearn returns: collinear intermediate points dropped (a point is kept
 * where the second difference of fps or tps is non-zero), then (0, 0) prepended.
 * `undefined` when only one class is present (sklearn's fpr or tpr would be all NaN).
 */
export function rocCurve(counts: ThresholdCounts): Curve | undefined {
  const { tps, fps, positives, negatives } = counts;
  if (positives === 0 || negatives === 0) return undefined;
  const n = tps.length;
  const x = [0];
  const y = [0];
  for (let i = 0; i < n; i++) {
    const corner =
      n <= 2 ||
      i === 0 ||
      i === n - 1 ||
      fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 ||
      tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0;
    if (corner) {
      x.push(fps[i] / negatives);
      y.push(tps[i] / positives);
    }
  }
  return { x, y };
}
