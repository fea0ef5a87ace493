import { chiSquareSurvival, normalSurvival } from './special.ts';

export type Value = number | string;

/**
 * Both sides' counts per category, categories in Python's sorted order: what chisquare, z and the per-value bins
 * need, whether the values came as arrays, as sorted numbers or as counts of text read from a file.
 */
export interface Tally {
  keys: Value[];
  reference: number[];
  current: number[];
  referenceRows: number;
  currentRows: number;
}

/** Counts of each value, keyed by the value itself. */
export function countValues(values: readonly Value[]): Map<Value, number> {
  const counts = new Map<Value, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

// Numbers numerically, strings by code unit, as Python sorts.
const pythonOrder = (a: Value, b: Value): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

/** Sorted union of both sides' distinct values. */
export function categories(reference: readonly Value[], current: readonly Value[]): Value[] {
  return [...new Set<Value>([...reference, ...current])].sort(pythonOrder);
}

/** The tally of two count maps (values already free of missing cells). */
export function tallyCounts(
  referenceCounts: ReadonlyMap<Value, number>,
  currentCounts: ReadonlyMap<Value, number>,
): Tally {
  const keys = [...new Set<Value>([...referenceCounts.keys(), ...currentCounts.keys()])].sort(pythonOrder);
  let referenceRows = 0;
  let currentRows = 0;
  for (const count of referenceCounts.values()) referenceRows += count;
  for (const count of currentCounts.values()) currentRows += count;
  return {
    keys,
    reference: keys.map((key) => referenceCounts.get(key) ?? 0),
    current: keys.map((key) => currentCounts.get(key) ?? 0),
    referenceRows,
    currentRows,
  };
}

export function tallyValues(reference: readonly Value[], current: readonly Value[]): Tally {
  return tallyCounts(countValues(reference), countValues(current));
}

/** The tally of two sorted number arrays, by walking their runs: no map, no copy. */
export function tallySorted(reference: Float64Array, current: Float64Array): Tally {
  const tally: Tally = {
    keys: [],
    reference: [],
    current: [],
    referenceRows: reference.length,
    currentRows: current.length,
  };
  let i = 0;
  let j = 0;
  while (i < reference.length || j < current.length) {
    const x =
      j >= current.length || (i < reference.length && reference[i]! <= current[j]!) ? reference[i]! : current[j]!;
    const i0 = i;
    const j0 = j;
    while (i < reference.length && reference[i] === x) i += 1;
    while (j < current.length && current[j] === x) j += 1;
    tally.keys.push(x);
    tally.reference.push(i - i0);
    tally.current.push(j - j0);
  }
  return tally;
}

/**
 * p-value of scipy's `chisquare(observed, expected)` with expected = reference counts scaled to the current rows, over
 * the union of categories. A category the reference never saw cannot be expected, so it is drift outright: p = 0.
 */
export function chiSquareTally(tally: Tally): number {
  if (tally.reference.some((count) => count === 0)) return 0;
  const scale = tally.currentRows / tally.referenceRows;
  let statistic = 0;
  for (let k = 0; k < tally.keys.length; k += 1) {
    const expected = tally.reference[k]! * scale;
    const difference = tally.current[k]! - expected;
    statistic += (difference * difference) / expected;
  }
  return chiSquareSurvival(statistic, tally.keys.length - 1);
}

/**
 * Two-proportion z-test with a pooled proportion on "value != the smallest value": p = 2(1 − Φ(|z|)). Both sides
 * holding one and the same value (or no spread at all) is no evidence of drift: p = 1.
 */
export function zTestTally(tally: Tally): number {
  if (tally.keys.length <= 1) return 1;
  const { referenceRows: n1, currentRows: n2 } = tally;
  const referenceHits = n1 - tally.reference[0]!;
  const currentHits = n2 - tally.current[0]!;
  const pooled = (referenceHits + currentHits) / (n1 + n2);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (standardError === 0) return 1;
  const z = (referenceHits / n1 - currentHits / n2) / standardError;
  return 2 * normalSurvival(Math.abs(z));
}

export function chiSquare(reference: readonly Value[], current: readonly Value[]): number {
  return chiSquareTally(tallyValues(reference, current));
}

export function zTest(reference: readonly Value[], current: readonly Value[]): number {
  return zTestTally(tallyValues(reference, current));
}
