/**
 * Regression metrics as scikit-learn 1.2 computes them: mean_absolute_error, mean_squared_error
 * (and squared=False for rmse), r2_score, mean_absolute_percentage_error. Sums follow numpy's
 * order (numpy-sum.ts) because r2's special cases test the sums for exact zeros.
 */
import { numpySum } from './numpy-sum.ts';

const FLOAT64_EPS = 2 ** -52; // np.finfo(np.float64).eps, MAPE's floor for |y_true|

export interface RegressionMetrics {
  mae: number | null;
  mse: number | null;
  rmse: number | null;
  r2: number | null;
  mape: number | null;
}

const UNDEFINED: RegressionMetrics = { mae: null, mse: null, rmse: null, r2: null, mape: null };

export function regressionMetrics(yTrue: Float64Array, yPred: Float64Array): RegressionMetrics {
  const n = yTrue.length;
  if (n === 0) return { ...UNDEFINED };
  for (let i = 0; i < n; i++) {
    // sklearn's check_array rejects NaN and infinity in either array
    if (!Number.isFinite(yTrue[i]) || !Number.isFinite(yPred[i])) return { ...UNDEFINED };
  }
  const absolute = new Float64Array(n);
  const squared = new Float64Array(n);
  const percentage = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const error = yTrue[i] - yPred[i];
    absolute[i] = Math.abs(error);
    squared[i] = error * error;
    percentage[i] = Math.abs(error) / Math.max(Math.abs(yTrue[i]), FLOAT64_EPS);
  }
  const residual = numpySum(squared);
  const mse = residual / n;
  return {
    mae: numpySum(absolute) / n,
    mse,
    rmse: Math.sqrt(mse),
    mape: numpySum(percentage) / n,
    // last: it overwrites `squared`
    r2: r2Score(yTrue, residual, squared),
  };
}

/**
 * r2 = 1 - SS_res / SS_tot, with sklearn 1.2's force_finite rules: SS_res = 0 gives 1.0 (even for a
 * constant y_true); SS_tot = 0 with SS_res > 0 gives 0.0. SS_tot is computed around numpy's mean,
 * so a "constant" y_true whose mean does not round back to the constant (twelve 0.3s) has a tiny
 * non-zero SS_tot and a huge negative r2, exactly as in sklearn. Fewer than two rows: sklearn
 * returns NaN (null here). `scratch` is reused for the squared deviations.
 */
function r2Score(yTrue: Float64Array, residual: number, scratch: Float64Array): number | null {
  const n = yTrue.length;
  if (n < 2) return null;
  const mean = numpySum(yTrue) / n;
  for (let i = 0; i < n; i++) {
    const d = yTrue[i] - mean;
    scratch[i] = d * d;
  }
  const total = numpySum(scratch);
  if (residual === 0) return 1;
  if (total === 0) return 0;
  return 1 - residual / total;
}
