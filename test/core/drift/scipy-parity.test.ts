/**
 * core/drift against scipy 1.10 / numpy 1.24 on the committed fixtures (test/fixtures/generate_drift.py): every test
 * and both ks_2samp regimes (exact and asymptotic), within the issue's |a − b| <= 1e-9 + 1e-6·|b|.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  binShares,
  chiSquare,
  chiSquareSurvival,
  kolmogorovSurvival,
  normalSurvival,
  jensenShannon,
  ksTwoSample,
  psi,
  wassersteinNormed,
  zTest,
  type Value,
} from '../../../core/drift/index.ts';

interface Case {
  name: string;
  kind: 'num' | 'cat';
  reference: Value[];
  current: Value[];
  shares: [number[], number[]];
  jensenshannon: number;
  psi: number;
  ks?: number;
  wasserstein?: number;
  chisquare?: number | null;
  z?: number;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/drift/cases.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

function assertClose(actual: number, expected: number, what: string): void {
  const tolerance = 1e-9 + 1e-6 * Math.abs(expected);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs scipy ${expected}`);
}

describe('drift statistics equal scipy/numpy on the fixtures', () => {
  for (const c of fixture.cases) {
    test(c.name, () => {
      const shares = binShares(c.reference, c.current, c.kind);
      assert.equal(shares.reference.length, c.shares[0].length, 'bin count');
      shares.reference.forEach((share, i) => assertClose(share, c.shares[0][i]!, `reference share ${i}`));
      shares.current.forEach((share, i) => assertClose(share, c.shares[1][i]!, `current share ${i}`));
      assertClose(jensenShannon(shares.reference, shares.current), c.jensenshannon, 'jensenshannon');
      assertClose(psi(shares.reference, shares.current), c.psi, 'psi');
      if (c.kind === 'num') {
        const reference = c.reference as number[];
        const current = c.current as number[];
        assertClose(ksTwoSample(reference, current), c.ks!, 'ks_2samp');
        assertClose(wassersteinNormed(reference, current), c.wasserstein!, 'wasserstein');
      } else {
        if (c.chisquare !== null) assertClose(chiSquare(c.reference, c.current), c.chisquare!, 'chisquare');
        assertClose(zTest(c.reference, c.current), c.z!, 'z');
      }
    });
  }
});

const distributions = fixture as unknown as {
  kstwo: { n: number; d: number; sf: number }[];
  chi2: { statistic: number; df: number; sf: number }[];
  normal: { z: number; sf: number }[];
};

describe('the distributions behind the p-values equal scipy.stats', () => {
  test('kstwo.sf over every regime scipy switches between', () => {
    for (const { n, d, sf } of distributions.kstwo) assertClose(kolmogorovSurvival(n, d), sf, `kstwo.sf(${d}, ${n})`);
  });
  test('chi2.sf', () => {
    for (const { statistic, df, sf } of distributions.chi2) {
      assertClose(chiSquareSurvival(statistic, df), sf, `chi2.sf(${statistic}, ${df})`);
    }
  });
  test('norm.sf', () => {
    for (const { z, sf } of distributions.normal) assertClose(normalSurvival(z), sf, `norm.sf(${z})`);
  });
});
