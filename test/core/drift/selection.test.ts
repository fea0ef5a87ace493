/**
 * Evidently's default test per column and the verdict thresholds, as issue 15 lists them: which test a user gets for
 * a column, and where a score flips from "no drift" to "drift".
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTest, isDrift, scoreColumn, TEST_THRESHOLDS } from '../../../core/drift/index.ts';

describe('default test selection', () => {
  test('up to 1000 reference rows: ks for numbers with more than 5 distinct values', () => {
    assert.equal(chooseTest('num', 1000, 6), 'ks');
    assert.equal(chooseTest('num', 10, 500), 'ks');
  });
  test('up to 1000 rows otherwise: chisquare above 2 distinct values, else the z-test', () => {
    assert.equal(chooseTest('num', 1000, 5), 'chisquare');
    assert.equal(chooseTest('cat', 200, 3), 'chisquare');
    assert.equal(chooseTest('cat', 200, 50), 'chisquare');
    assert.equal(chooseTest('cat', 200, 2), 'z');
    assert.equal(chooseTest('num', 200, 2), 'z');
    assert.equal(chooseTest('cat', 200, 1), 'z');
  });
  test('over 1000 rows: wasserstein for numbers with more than 5 distinct values, else jensenshannon', () => {
    assert.equal(chooseTest('num', 1001, 6), 'wasserstein');
    assert.equal(chooseTest('num', 1001, 5), 'jensenshannon');
    assert.equal(chooseTest('cat', 5000, 40), 'jensenshannon');
    assert.equal(chooseTest('cat', 5000, 2), 'jensenshannon');
  });
});

describe('verdict thresholds', () => {
  test('ks drifts at p <= 0.05', () => {
    assert.equal(isDrift('ks', 0.05), true);
    assert.equal(isDrift('ks', 0.0500001), false);
  });
  test('chisquare and z drift only below 0.05', () => {
    for (const name of ['chisquare', 'z'] as const) {
      assert.equal(isDrift(name, 0.05), false);
      assert.equal(isDrift(name, 0.0499999), true);
    }
  });
  test('distances drift from 0.1 up', () => {
    for (const name of ['wasserstein', 'jensenshannon', 'psi'] as const) {
      assert.equal(TEST_THRESHOLDS[name], 0.1);
      assert.equal(isDrift(name, 0.1), true);
      assert.equal(isDrift(name, 0.0999999), false);
    }
  });
  test('a threshold given per column replaces the default', () => {
    assert.equal(isDrift('ks', 0.04, 0.01), false);
    assert.equal(isDrift('wasserstein', 0.15, 0.2), false);
  });
});

describe('scoring a column', () => {
  test('identical sides score as no drift under every test', () => {
    const numbers = Array.from({ length: 50 }, (_, i) => (i * 7) % 23);
    for (const name of ['ks', 'wasserstein', 'jensenshannon', 'psi'] as const) {
      assert.equal(isDrift(name, scoreColumn(name, 'num', numbers, numbers)), false, name);
    }
    const labels = numbers.map((value) => (value % 3 === 0 ? 'a' : value % 3 === 1 ? 'b' : 'c'));
    for (const name of ['chisquare', 'z', 'jensenshannon', 'psi'] as const) {
      assert.equal(isDrift(name, scoreColumn(name, 'cat', labels, labels)), false, name);
    }
  });
  test('a category the reference never saw is drift under chisquare', () => {
    assert.equal(scoreColumn('chisquare', 'cat', ['a', 'b', 'c'], ['a', 'b', 'new']), 0);
  });
  test('both sides holding one and the same value is no drift under the z-test', () => {
    assert.equal(scoreColumn('z', 'cat', ['k', 'k'], ['k', 'k', 'k']), 1);
  });
});
