import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpySum, numpySumFloat32 } from '../../../core/metrics/internal/numpy-sum.ts';
import { loadJson } from './sklearn-fixtures.ts';

interface Sums {
  cases: Array<{ n: number; sum_float64: number; sum_float32: number }>;
}

test('sums are bit-identical to numpy: pairwise below 128, halves above, 8192-element chunks', () => {
  for (const { n, sum_float64, sum_float32 } of loadJson<Sums>('numpy_sums.json').cases) {
    const values = Float64Array.from({ length: n }, (_, i) => (i % 1000) * 0.001 + 1 / (i + 1));
    assert.equal(numpySum(values), sum_float64, `float64 sum of ${n}`);
    assert.equal(numpySumFloat32(Float32Array.from(values)), sum_float32, `float32 sum of ${n}`);
  }
});

test('a strided slice sums like the same values laid out contiguously (row sums of a matrix)', () => {
  const matrix = Float64Array.from({ length: 30 }, (_, i) => 1 / (i + 3));
  const column = Float64Array.from({ length: 10 }, (_, row) => matrix[row * 3 + 1]);
  assert.equal(numpySum(matrix, 1, 10, 3), numpySum(column));
});
