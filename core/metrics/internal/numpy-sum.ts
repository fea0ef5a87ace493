/**
 * Summation in numpy's order, so sums match scikit-learn bit for bit where a metric depends on
 * exact zeros (r2's "constant y_true" rule tests `denominator != 0`) or float32 rounding
 * (log_loss renormalises float32 rows in float32).
 *
 * numpy's `add.reduce` starts from 0 and adds the pairwise sum of each 8192-element buffer chunk;
 * the pairwise sum uses 8 running partial sums below 128 elements and splits in halves above.
 * Checked against numpy 1.24 (1-D, (n, 1) along axis 0, and row sums along axis 1).
 */

const CHUNK = 8192;
const BLOCK = 128;

type Round = (x: number) => number;
const identity: Round = (x) => x;

function pairwise(a: ArrayLike<number>, start: number, n: number, stride: number, round: Round): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = round(res + a[start + i * stride]);
    return res;
  }
  if (n <= BLOCK) {
    let r0 = a[start],
      r1 = a[start + stride],
      r2 = a[start + 2 * stride],
      r3 = a[start + 3 * stride];
    let r4 = a[start + 4 * stride],
      r5 = a[start + 5 * stride],
      r6 = a[start + 6 * stride],
      r7 = a[start + 7 * stride];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = start + i * stride;
      r0 = round(r0 + a[p]);
      r1 = round(r1 + a[p + stride]);
      r2 = round(r2 + a[p + 2 * stride]);
      r3 = round(r3 + a[p + 3 * stride]);
      r4 = round(r4 + a[p + 4 * stride]);
      r5 = round(r5 + a[p + 5 * stride]);
      r6 = round(r6 + a[p + 6 * stride]);
      r7 = round(r7 + a[p + 7 * stride]);
    }
    let res = round(round(round(r0 + r1) + round(r2 + r3)) + round(round(r4 + r5) + round(r6 + r7)));
    for (; i < n; i++) res = round(res + a[start + i * stride]);
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return round(pairwise(a, start, half, stride, round) + pairwise(a, start + half * stride, n - half, stride, round));
}

function reduce(a: ArrayLike<number>, start: number, n: number, stride: number, round: Round): number {
  let total = 0;
  for (let done = 0; done < n; done += CHUNK) {
    total = round(total + pairwise(a, start + done * stride, Math.min(CHUNK, n - done), stride, round));
  }
  return total;
}

/** `np.sum(a)` for float64 data (also `a.reshape(-1, 1).sum(axis=0)`). */
export function numpySum(a: ArrayLike<number>, start = 0, n = a.length - start, stride = 1): number {
  return reduce(a, start, n, stride, identity);
}

/** `np.sum(a)` where `a` is float32: every partial sum is rounded to float32. */
export function numpySumFloat32(a: ArrayLike<number>, start = 0, n = a.length - start, stride = 1): number {
  return reduce(a, start, n, stride, Math.fround);
}
