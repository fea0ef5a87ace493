import { chiSquare, zTest, type Value } from './categorical.ts';
import { binShares, jensenShannon, psi, wassersteinNormed } from './distances.ts';
import { ksTwoSample } from './ks.ts';

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

/** The test's score on one column: a p-value for ks, chisquare and z, a distance otherwise. */
export function scoreColumn(
  test: DriftTest,
  kind: ColumnKind,
  reference: readonly Value[],
  current: readonly Value[],
): number {
  switch (test) {
    case 'ks':
      return ksTwoSample(reference as number[], current as number[]);
    case 'wasserstein':
      return wassersteinNormed(reference as number[], current as number[]);
    case 'chisquare':
      return chiSquare(reference, current);
    case 'z':
      return zTest(reference, current);
    case 'jensenshannon':
    case 'psi': {
      const shares = binShares(reference, current, kind);
      return (test === 'psi' ? psi : jensenShannon)(shares.reference, shares.current);
    }
  }
}
