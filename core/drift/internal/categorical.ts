import { chiSquareSurvival, normalSurvival } from './special.ts';

export type Value = number | string;

/** Counts of each value, keyed by the value itself. */
export function countValues(values: readonly Value[]): Map<Value, number> {
  const counts = new Map<Value, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Sorted union of both sides' distinct values: numbers numerically, strings by code unit, as Python sorts. */
export function categories(reference: readonly Value[], current: readonly Value[]): Value[] {
  const union = [...new Set<Value>([...reference, ...current])];
  return union.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
}

/**
 * p-value of scipy's `chisquare(observed, expected)` with expected = reference counts scaled to the current rows, over
 * the union of categories. A category the reference never saw cannot be expected, so it is drift outright: p = 0.
 */
export function chiSquare(reference: readonly Value[], current: readonly Value[]): number {
  const keys = categories(reference, current);
  const referenceCounts = countValues(reference);
  const currentCounts = countValues(current);
  if (keys.some((key) => !referenceCounts.has(key))) return 0;
  const scale = current.length / reference.length;
  let statistic = 0;
  for (const key of keys) {
    const expected = referenceCounts.get(key)! * scale;
    const difference = (currentCounts.get(key) ?? 0) - expected;
    statistic += (difference * difference) / expected;
  }
  return chiSquareSurvival(statistic, keys.length - 1);
}

/**
 * Two-proportion z-test with a pooled proportion on "value != the smallest value": p = 2(1 − Φ(|z|)). Both sides
 * holding one and the same value (or no spread at all) is no evidence of drift: p = 1.
 */
export function zTest(reference: readonly Value[], current: readonly Value[]): number {
  const keys = categories(reference, current);
  if (keys.length <= 1) return 1;
  const smallest = keys[0];
  const referenceHits = reference.filter((value) => value !== smallest).length;
  const currentHits = current.filter((value) => value !== smallest).length;
  const pooled = (referenceHits + currentHits) / (reference.length + current.length);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / reference.length + 1 / current.length));
  if (standardError === 0) return 1;
  const z = (referenceHits / reference.length - currentHits / current.length) / standardError;
  return 2 * normalSurvival(Math.abs(z));
}
