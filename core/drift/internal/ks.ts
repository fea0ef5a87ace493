import { kolmogorovSurvival } from './kolmogorov.ts';

// ks_2samp's method="auto" is exact while both samples have at most this many values.
const MAX_EXACT_N = 10_000;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

// numpy's round: halves go to the even neighbour.
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const difference = x - floor;
  if (difference > 0.5) return floor + 1;
  if (difference < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The largest gap between the two empirical CDFs, as ks_2samp computes it (both sides already sorted). */
function statistic(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let max = 0;
  let min = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < a.length && a[i]! <= x) i += 1;
    while (j < b.length && b[j]! <= x) j += 1;
    const difference = i / a.length - j / b.length;
    if (difference > max) max = difference;
    if (difference < min) min = difference;
  }
  return Math.max(Math.min(-min, 1), max);
}

// Equal sizes: the probability a lattice path leaves the band |x − y| < h (scipy's _compute_prob_outside_square).
function outsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k -= 1) {
    let term = 1;
    for (let j = 0; j < h; j += 1) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

// Unequal sizes: 1 − the share of lattice paths staying strictly inside the band, computed directly as the
// complement column by column (scipy's _compute_outer_prob_inside_method, after Hodges and Viehmann).
function outsideBand(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const column = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  column.fill(0, minj, maxj);
  for (let i = 1; i <= m; i += 1) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let value = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj += 1) {
      const j = jj + minj;
      value = (column[jj + minj - lastminj]! * i + value * j) / (i + j);
      column[jj] = value;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) column.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return column[maxj - minj - 1]!;
}

/**
 * Two-sided p-value of scipy 1.10's `ks_2samp(reference, current)` with method "auto": the exact distribution while
 * both samples have at most 10000 values (falling back when it cannot be computed), else `kstwo.sf(d, round(en))`.
 */
export function ksTwoSample(reference: readonly number[], current: readonly number[]): number {
  return ksSorted(Float64Array.from(reference).sort(), Float64Array.from(current).sort());
}

/** ksTwoSample on both sides already sorted ascending. */
export function ksSorted(a: Float64Array, b: Float64Array): number {
  const [n1, n2] = [a.length, b.length];
  if (n1 === 0 || n2 === 0) throw new RangeError('ks_2samp needs values on both sides');
  let d = statistic(a, b);
  const g = gcd(n1, n2);
  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return 1;
    const p = n1 === n2 ? outsideSquare(n1, h) : outsideBand(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return p;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  return kolmogorovSurvival(roundHalfEven((m * n) / (m + n)), d);
}
