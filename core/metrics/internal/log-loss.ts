/**
 * log_loss and brier_score_loss as scikit-learn 1.2 computes them, including the float32 path:
 * with eps='auto', eps = np.finfo(y_pred.dtype).eps, and the clipping, the `1 - p` column and the
 * row renormalisation all happen in the probabilities' own dtype. Only the final log is float64
 * (xlogy promotes int64 labels with float32 to float64). Math.fround reproduces each float32 step.
 */
import { numpySum, numpySumFloat32 } from './numpy-sum.ts';

export type ProbaDtype = 'float32' | 'float64';

const EPS: Record<ProbaDtype, number> = { float32: 2 ** -23, float64: 2 ** -52 };
const same = (x: number) => x;

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/**
 * Binary log loss from P(positive) alone, as `log_loss(y_true, p, labels=[0, 1])`: the
 * probabilities become the rows [1 - p, p] after clipping. labels=[0, 1] keeps the loss defined
 * when y_true holds one class (without labels sklearn raises). `null` on NaN or infinite input,
 * which sklearn rejects.
 */
export function binaryLogLoss(
  yTrue: Int32Array,
  positive: Float32Array | Float64Array,
  dtype: ProbaDtype,
): number | null {
  const n = yTrue.length;
  if (n === 0 || !allFinite(positive)) return null;
  const round = dtype === 'float32' ? Math.fround : same;
  const eps = EPS[dtype];
  const high = 1 - eps; // exact in both dtypes
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.min(Math.max(positive[i], eps), high);
    const q = round(1 - p);
    const rowSum = round(q + p);
    losses[i] = -Math.log(round((yTrue[i] === 1 ? p : q) / rowSum));
  }
  return numpySum(losses) / n;
}

/**
 * Multiclass log loss, as `log_loss(y_true, proba, labels=range(C))`: clip each probability to
 * [eps, 1 - eps], divide each row by its (numpy-order) sum, average -log of the true class's.
 */
export function multiclassLogLoss(
  yTrue: Int32Array,
  proba: Float32Array | Float64Array,
  classes: number,
  dtype: ProbaDtype,
): number | null {
  const n = yTrue.length;
  if (n === 0 || !allFinite(proba)) return null;
  const round = dtype === 'float32' ? Math.fround : same;
  const rowSum = dtype === 'float32' ? numpySumFloat32 : numpySum;
  const eps = EPS[dtype];
  const high = 1 - eps;
  const row = new Float64Array(classes);
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < classes; c++) row[c] = Math.min(Math.max(proba[i * classes + c], eps), high);
    losses[i] = -Math.log(round(row[yTrue[i]] / rowSum(row)));
  }
  return numpySum(losses) / n;
}

/**
 * `brier_score_loss(y_true, p)` with the positive class 1: the mean squared difference in float64.
 * `null` where sklearn raises: NaN / infinity, or a probability outside [0, 1].
 */
export function brierScore(yTrue: Int32Array, positive: Float32Array | Float64Array): number | null {
  const n = yTrue.length;
  if (n === 0) return null;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = positive[i];
    if (!(p >= 0 && p <= 1)) return null;
    const d = yTrue[i] - p;
    squares[i] = d * d;
  }
  return numpySum(squares) / n;
}
