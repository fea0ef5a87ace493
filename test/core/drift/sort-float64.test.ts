/**
 * The radix sort behind cairn drift's large columns puts values in exactly the order Float64Array's sort does, so
 * ks and wasserstein see the same sequence: negatives, −0 before +0, subnormals, infinities, ties, one shared range.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sortFloat64 } from '../../../core/drift/internal/sort-float64.ts';

function assertSortedLikeBuiltIn(values: Float64Array, label: string) {
  const expected = values.slice().sort();
  const actual = sortFloat64(values.slice());
  for (let i = 0; i < expected.length; i += 1)
    assert.ok(Object.is(actual[i], expected[i]), `${label}: index ${i}: ${actual[i]} vs ${expected[i]}`);
}

describe('sortFloat64', () => {
  let state = 7;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  test('random values of both signs, with ties and special values mixed in', () => {
    const specials = [-0, 0, -Infinity, Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1];
    const values = Float64Array.from({ length: 50_000 }, (_, i) =>
      i % 97 === 0
        ? specials[i % specials.length]!
        : i % 5 === 0
          ? Math.round(uniform() * 20 - 10)
          : uniform() * 2e6 - 1e6,
    );
    assertSortedLikeBuiltIn(values, 'mixed');
  });
  test('values that share their top bits (one narrow positive range) and small arrays', () => {
    assertSortedLikeBuiltIn(
      Float64Array.from({ length: 30_000 }, () => 1000 + uniform()),
      'narrow',
    );
    assertSortedLikeBuiltIn(
      Float64Array.from({ length: 30_000 }, () => -uniform() * 1e-300),
      'tiny negatives',
    );
    assertSortedLikeBuiltIn(
      Float64Array.from({ length: 10 }, () => uniform() - 0.5),
      'short',
    );
    assertSortedLikeBuiltIn(new Float64Array(5000).fill(3), 'constant');
  });
});
