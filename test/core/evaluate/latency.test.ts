import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, summarizeLatency } from '../../../core/evaluate/latency.ts';

test('percentiles interpolate like numpy.percentile', () => {
  // np.percentile([1, 2, 3, 4, 10], [50, 95, 99]) -> [3.0, 8.8, 9.76]
  const sorted = [1, 2, 3, 4, 10];
  assert.equal(percentile(sorted, 50), 3);
  assert.ok(Math.abs(percentile(sorted, 95) - 8.8) < 1e-12);
  assert.ok(Math.abs(percentile(sorted, 99) - 9.76) < 1e-12);
  assert.equal(percentile([7], 99), 7);
});

test('latency summary: per-batch percentiles and rows per second of model time', () => {
  const stats = summarizeLatency([4, 1, 3, 2], 4000, 1000);
  assert.deepEqual(stats, { batch_size: 1000, rows_per_s: 400_000, p50_ms: 2.5, p95_ms: 3.85, p99_ms: 3.97 });
});
