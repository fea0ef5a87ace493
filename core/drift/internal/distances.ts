import { categories, countValues, type Value } from './categorical.ts';

/** Population standard deviation (numpy's `std` with ddof = 0). */
export function populationStd(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) * (value - mean);
  return Math.sqrt(squares / values.length);
}

/**
 * scipy's `wasserstein_distance(reference, current)`: the area between the two empirical CDFs, integrated over the
 * sorted union of values.
 */
export function wassersteinDistance(reference: readonly number[], current: readonly number[]): number {
  const a = Float64Array.from(reference).sort();
  const b = Float64Array.from(current).sort();
  const all = new Float64Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  let i = 0;
  let j = 0;
  let distance = 0;
  for (let k = 0; k < all.length - 1; k += 1) {
    const x = all[k]!;
    while (i < a.length && a[i]! <= x) i += 1;
    while (j < b.length && b[j]! <= x) j += 1;
    distance += Math.abs(i / a.length - j / b.length) * (all[k + 1]! - x);
  }
  return distance;
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

// numpy's histogram_bin_edges(values, bins="sturges"): equal-width bins from linspace, the last edge exact.
function sturgesEdges(values: Float64Array): number[] {
  let first = values[0]!;
  let last = values[values.length - 1]!;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (values[values.length - 1]! - values[0]!) / (Math.log2(values.length) + 1);
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
function histogramShares(values: readonly number[], edges: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  const cumulative = edges.map((edge, i) => lowerBound(sorted, edge, i === edges.length - 1));
  return cumulative.slice(1).map((count, i) => (count - cumulative[i]!) / values.length);
}

/**
 * Shares per bin for jensenshannon and psi: a `num` column whose reference has more than 20 distinct values gets
 * Sturges bins over both sides together; otherwise each distinct value (of either side) is a bin.
 */
export function binShares(
  reference: readonly Value[],
  current: readonly Value[],
  kind: 'num' | 'cat',
): { reference: number[]; current: number[] } {
  if (kind === 'num' && new Set(reference).size > 20) {
    const all = Float64Array.from([...(reference as number[]), ...(current as number[])]).sort();
    const edges = sturgesEdges(all);
    return {
      reference: histogramShares(reference as number[], edges),
      current: histogramShares(current as number[], edges),
    };
  }
  const keys = categories(reference, current);
  const referenceCounts = countValues(reference);
  const currentCounts = countValues(current);
  return {
    reference: keys.map((key) => (referenceCounts.get(key) ?? 0) / reference.length),
    current: keys.map((key) => (currentCounts.get(key) ?? 0) / current.length),
  };
}
