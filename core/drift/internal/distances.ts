import { tallyValues, type Tally, type Value } from './categorical.ts';

/** Population standard deviation (numpy's `std` with ddof = 0). */
export function populationStd(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i += 1) squares += (values[i]! - mean) * (values[i]! - mean);
  return Math.sqrt(squares / values.length);
}

/** Both sides' values as sorted float64 arrays (copies: the callers' arrays are left alone). */
export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * scipy's `wasserstein_distance(reference, current)`: the area between the two empirical CDFs, integrated over the
 * sorted union of values. Walks both sorted arrays as one merged sequence, so nothing the size of both is allocated.
 */
export function wassersteinSorted(a: Float64Array, b: Float64Array): number {
  const total = a.length + b.length;
  let p = 0; // next unmerged index in a
  let q = 0; // next unmerged index in b
  const next = (): number => (q >= b.length || (p < a.length && a[p]! <= b[q]!) ? a[p++]! : b[q++]!);
  let i = 0;
  let j = 0;
  let distance = 0;
  let x = next();
  for (let k = 0; k < total - 1; k += 1) {
    while (i < a.length && a[i]! <= x) i += 1;
    while (j < b.length && b[j]! <= x) j += 1;
    const y = next();
    distance += Math.abs(i / a.length - j / b.length) * (y - x);
    x = y;
  }
  return distance;
}

export function wassersteinDistance(reference: readonly number[], current: readonly number[]): number {
  return wassersteinSorted(sortedCopy(reference), sortedCopy(current));
}

/** Evidently's normed Wasserstein distance: divided by the reference's spread, floored at 0.001. */
export function wassersteinNormed(reference: readonly number[], current: readonly number[]): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), 0.001);
}

function relativeEntropy(x: number, y: number): number {
  if (x === 0) return 0;
  if (y === 0) return Infinity;
  return x * Math.log(x / y);
}

/** scipy's `jensenshannon(p, q)` with the natural logarithm: both normalized to sum 1 first. */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  const pTotal = p.reduce((sum, value) => sum + value, 0);
  const qTotal = q.reduce((sum, value) => sum + value, 0);
  let divergence = 0;
  for (let i = 0; i < p.length; i += 1) {
    const pi = p[i]! / pTotal;
    const qi = q[i]! / qTotal;
    const mean = (pi + qi) / 2;
    divergence += relativeEntropy(pi, mean) + relativeEntropy(qi, mean);
  }
  return Math.sqrt(Math.max(divergence, 0) / 2);
}

// An empty bin would make ln(p / q) infinite; Evidently fills it with a share far below any observed one.
function fillEmptyBins(shares: readonly number[]): number[] {
  // A loop, not Math.min(...shares): a column with a million categories would overflow the argument list.
  let smallest = Infinity;
  for (const share of shares) if (share > 0 && share < smallest) smallest = share;
  const fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
  return shares.map((share) => (share === 0 ? fill : share));
}

/** Population stability index Σ (p − q) ln(p / q) over binned shares, empty bins filled as Evidently does. */
export function psi(p: readonly number[], q: readonly number[]): number {
  const filledP = fillEmptyBins(p);
  const filledQ = fillEmptyBins(q);
  let index = 0;
  for (let i = 0; i < filledP.length; i += 1) {
    index += (filledP[i]! - filledQ[i]!) * Math.log(filledP[i]! / filledQ[i]!);
  }
  return index;
}

// numpy's histogram_bin_edges(values, bins="sturges") over `count` values from `min` to `max`: equal-width bins from
// linspace, the last edge exact.
function sturgesEdges(min: number, max: number, count: number): number[] {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(count) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  const step = (last - first) / bins;
  const edges: number[] = [];
  for (let i = 0; i < bins; i += 1) edges.push(i * step + first);
  edges.push(last);
  return edges;
}

function lowerBound(sorted: Float64Array, x: number, inclusive: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < x || (inclusive && sorted[middle]! === x)) low = middle + 1;
    else high = middle;
  }
  return low;
}

// numpy's histogram on explicit edges: [e_i, e_i+1) per bin, the last bin closed on the right.
function histogramShares(sorted: Float64Array, edges: readonly number[]): number[] {
  const cumulative = edges.map((edge, i) => lowerBound(sorted, edge, i === edges.length - 1));
  return cumulative.slice(1).map((count, i) => (count - cumulative[i]!) / sorted.length);
}

/** Distinct values in a sorted array. */
export function distinctSorted(values: Float64Array): number {
  let distinct = 0;
  for (let i = 0; i < values.length; i += 1) if (i === 0 || values[i] !== values[i - 1]) distinct += 1;
  return distinct;
}

export interface Shares {
  reference: number[];
  current: number[];
}

/** Sturges bins over both sorted sides together: numpy's histogram of each on the shared edges, as shares. */
export function histogramSharesSorted(reference: Float64Array, current: Float64Array): Shares {
  const min = Math.min(reference[0]!, current[0]!);
  const max = Math.max(reference[reference.length - 1]!, current[current.length - 1]!);
  const edges = sturgesEdges(min, max, reference.length + current.length);
  return { reference: histogramShares(reference, edges), current: histogramShares(current, edges) };
}

/** One bin per category: each side's count over its rows. */
export function sharesOfTally(tally: Tally): Shares {
  return {
    reference: tally.reference.map((count) => count / tally.referenceRows),
    current: tally.current.map((count) => count / tally.currentRows),
  };
}

/** Whether a num column gets Sturges bins (its reference has more than 20 distinct values) rather than one per value. */
export const binsByHistogram = (referenceDistinct: number): boolean => referenceDistinct > 20;

/**
 * Shares per bin for jensenshannon and psi: a `num` column whose reference has more than 20 distinct values gets
 * Sturges bins over both sides together; otherwise each distinct value (of either side) is a bin.
 */
export function binShares(reference: readonly Value[], current: readonly Value[], kind: 'num' | 'cat'): Shares {
  if (kind === 'num' && binsByHistogram(new Set(reference).size)) {
    return histogramSharesSorted(sortedCopy(reference as number[]), sortedCopy(current as number[]));
  }
  return sharesOfTally(tallyValues(reference, current));
}
