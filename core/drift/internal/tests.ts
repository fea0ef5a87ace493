import { chiSquareTally, tallySorted, tallyValues, zTestTally, type Tally, type Value } from './categorical.ts';
import {
  binsByHistogram,
  distinctSorted,
  histogramSharesSorted,
  jensenShannon,
  populationStd,
  psi,
  sharesOfTally,
  sortedCopy,
  wassersteinSorted,
} from './distances.ts';
import { ksSorted } from './ks.ts';

export type ColumnKind = 'num' | 'cat';
export type DriftTest = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi';

/** p-value tests drift on a small score; distances drift on a large one. */
export const TEST_THRESHOLDS: Readonly<Record<DriftTest, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  z: 0.05,
  wasserstein: 0.1,
  jensenshannon: 0.1,
  psi: 0.1,
};

/**
 * Evidently's default test for a column: `n` reference rows, `u` distinct values over both sides. Small samples
 * get a statistical test, large ones a distance, because with many rows every p-value falls below 0.05.
 */
export function chooseTest(kind: ColumnKind, n: number, u: number): DriftTest {
  if (n <= 1000) {
    if (kind === 'num' && u > 5) return 'ks';
    return u > 2 ? 'chisquare' : 'z';
  }
  return kind === 'num' && u > 5 ? 'wasserstein' : 'jensenshannon';
}

/** Whether a score means drift: p <= threshold for ks, p < threshold for chisquare and z, >= for distances. */
export function isDrift(test: DriftTest, score: number, threshold: number = TEST_THRESHOLDS[test]): boolean {
  if (test === 'ks') return score <= threshold;
  if (test === 'chisquare' || test === 'z') return score < threshold;
  return score >= threshold;
}

/**
 * One column, both sides, as the tests consume it. `num`: the finite values of each side sorted ascending, and the
 * reference's population std (taken in file order, before sorting). `cat`: the counts per category.
 */
export type ColumnSummary =
  { kind: 'num'; reference: Float64Array; current: Float64Array; referenceStd: number } | { kind: 'cat'; tally: Tally };

// chooseTest only asks whether u > 5 (or > 2): counting stops at 6, so a million distinct values cost six steps.
const DISTINCT_ENOUGH = 6;

/** `n` (reference values) and `u` (distinct values over both sides, counted up to 6), the inputs of chooseTest. */
export function summarySize(summary: ColumnSummary): { n: number; u: number } {
  if (summary.kind === 'cat') return { n: summary.tally.referenceRows, u: summary.tally.keys.length };
  const { reference: a, current: b } = summary;
  let u = 0;
  let i = 0;
  let j = 0;
  while ((i < a.length || j < b.length) && u < DISTINCT_ENOUGH) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < a.length && a[i] === x) i += 1;
    while (j < b.length && b[j] === x) j += 1;
    u += 1;
  }
  return { n: a.length, u };
}

const tallyOf = (summary: ColumnSummary): Tally =>
  summary.kind === 'cat' ? summary.tally : tallySorted(summary.reference, summary.current);

/** The test's score on one column: a p-value for ks, chisquare and z, a distance otherwise. */
export function scoreSummary(test: DriftTest, summary: ColumnSummary): number {
  switch (test) {
    case 'ks':
    case 'wasserstein':
      if (summary.kind !== 'num') throw new RangeError(`${test} needs numbers`);
      return test === 'ks'
        ? ksSorted(summary.reference, summary.current)
        : wassersteinSorted(summary.reference, summary.current) / Math.max(summary.referenceStd, 0.001);
    case 'chisquare':
      return chiSquareTally(tallyOf(summary));
    case 'z':
      return zTestTally(tallyOf(summary));
    case 'jensenshannon':
    case 'psi': {
      const shares =
        summary.kind === 'num' && binsByHistogram(distinctSorted(summary.reference))
          ? histogramSharesSorted(summary.reference, summary.current)
          : sharesOfTally(tallyOf(summary));
      return (test === 'psi' ? psi : jensenShannon)(shares.reference, shares.current);
    }
  }
}

/** The test's score on values given as arrays (numbers for `num`). */
export function scoreColumn(
  test: DriftTest,
  kind: ColumnKind,
  reference: readonly Value[],
  current: readonly Value[],
): number {
  if (kind === 'cat') return scoreSummary(test, { kind, tally: tallyValues(reference, current) });
  const numbers = reference as number[];
  return scoreSummary(test, {
    kind,
    reference: sortedCopy(numbers),
    current: sortedCopy(current as number[]),
    referenceStd: populationStd(numbers),
  });
}
