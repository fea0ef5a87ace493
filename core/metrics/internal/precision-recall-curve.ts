/**
 * Average precision and the precision-recall curve as scikit-learn 1.2 computes them
 * (`average_precision_score`, `precision_recall_curve`), from binary-clf-curve.ts counts.
 */
import type { Curve } from '../types.ts';
import type { ThresholdCounts } from './binary-clf-curve.ts';

/**
 * The step-wise sum AP = sum_n (R_n - R_(n-1)) * P_n over distinct thresholds: sklearn's
 * definition, not the interpolated area under the curve.
 *
 * With no positives sklearn does not raise: it warns, sets recall to 1 at every threshold and
 * returns -0.0, so this returns 0. With no negatives it returns 1.0 (precision is 1 everywhere).
 */
export function averagePrecision(counts: ThresholdCounts): number {
  const { tps, fps, positives } = counts;
  if (positives === 0) return 0;
  let sum = 0;
  let prevRecall = 0;
  for (let i = 0; i < tps.length; i++) {
    const recall = tps[i] / positives;
    sum += (recall - prevRecall) * (tps[i] / (tps[i] + fps[i]));
    prevRecall = recall;
  }
  return sum;
}

/**
 * x = recall, y = precision, in sklearn's order: increasing threshold (recall falling), ending at
 * (0, 1). `undefined` with no positives, where sklearn's recall is a placeholder of ones.
 */
export function precisionRecallCurve(counts: ThresholdCounts): Curve | undefined {
  const { tps, fps, positives } = counts;
  if (positives === 0) return undefined;
  const n = tps.length;
  const x: number[] = new Array(n + 1);
  const y: number[] = new Array(n + 1);
  for (let i = 0; i < n; i++) {
    const at = n - 1 - i;
    x[i] = tps[at] / positives;
    y[i] = tps[at] / (tps[at] + fps[at]);
  }
  x[n] = 0;
  y[n] = 1;
  return { x, y };
}
