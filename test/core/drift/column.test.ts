/**
 * A column's drift as a user sees it: missing and infinite cells dropped, num/cat decided from what is left, the
 * default test picked from n and u, a requested test or threshold honoured, and the dataset verdict's share rule.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { columnDrift, datasetDrift, ksTwoSample, type ColumnDrift } from '../../../core/drift/index.ts';

describe('columnDrift', () => {
  test('drops missing and infinite cells before testing numbers read from text', () => {
    const reference = ['1', '2', '3', '4', '5', '6', '7', '', 'NaN', 'inf'];
    const current = ['2', '3', '4', '5', '6', '7', '8', null, '-Infinity'];
    const result = columnDrift('age', reference, current) as ColumnDrift;
    assert.equal(result.kind, 'num');
    assert.equal(result.test, 'ks');
    assert.equal(result.score, ksTwoSample([1, 2, 3, 4, 5, 6, 7], [2, 3, 4, 5, 6, 7, 8]));
    assert.equal(result.threshold, 0.05);
  });
  test('a column with any non-numeric cell is categorical', () => {
    const result = columnDrift('city', ['1', '2', 'x'], ['1', 'x', 'x']) as ColumnDrift;
    assert.equal(result.kind, 'cat');
    assert.equal(result.test, 'chisquare');
  });
  test('a column left empty is skipped with a reason', () => {
    assert.deepEqual(columnDrift('notes', ['', 'NA'], ['a']), {
      name: 'notes',
      reason: 'no values left in the reference data',
    });
  });
  test('a requested test and threshold replace the defaults', () => {
    const values = Array.from({ length: 30 }, (_, i) => i);
    const result = columnDrift(
      'x',
      values,
      values.map((v) => v + 3),
      { test: 'psi', threshold: 5 },
    ) as ColumnDrift;
    assert.equal(result.test, 'psi');
    assert.equal(result.threshold, 5);
    assert.equal(result.drifted, false);
  });
  test('over 1000 reference rows a numeric column gets the normed Wasserstein distance', () => {
    const reference = Array.from({ length: 1001 }, (_, i) => i % 50);
    const result = columnDrift('x', reference, reference) as ColumnDrift;
    assert.equal(result.test, 'wasserstein');
    assert.equal(result.score, 0);
    assert.equal(result.drifted, false);
  });
});

describe('datasetDrift', () => {
  const column = (drifted: boolean): ColumnDrift => ({
    name: 'c',
    kind: 'num',
    test: 'ks',
    score: 0,
    threshold: 0.05,
    drifted,
  });
  test('drifts when at least half the columns drifted', () => {
    assert.equal(datasetDrift([column(true), column(false)]).drifted, true);
    assert.equal(datasetDrift([column(true), column(false), column(false)]).drifted, false);
  });
  test('the share threshold can be changed', () => {
    const verdict = datasetDrift([column(true), column(false), column(false)], 0.3);
    assert.deepEqual(verdict, { columns: 3, drifted_columns: 1, share: 1 / 3, threshold: 0.3, drifted: true });
  });
});
