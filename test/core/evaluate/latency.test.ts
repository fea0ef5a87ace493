import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, summarizeLatency } from '../../../core/evaluate/internal/latency.ts';

test('percentiles interpolate like numpy.percentile', () => {
  // np.percentile([1, 2, 3, 4, 10], [50, 95, 99]) -> [3.0, 8.8, 9.76]
  const sorted = [1, 2, 3, 4, 10];
  assert.equal(percentile(sorted, 50), 3);
  assert.ok(Math.abs(percentile(sorted, 95) - 8.8) < 1e-12);
  assert.ok(Math.abs(percentile(sorted, 99) - 9.76) < 1e-12);
  assert.equal(percentile([7], 99), 7);
});

test('latency summary: per-batch percentiles and rows per second of model time', () => {
  // 30 batches of 1..30 ms: np.percentile(range(1, 31), [50, 95, 99]) -> [15.5, 28.55, 29.71]
  const batches = Array.from({ length: 30 }, (_, i) => 30 - i);
  const stats = summarizeLatency(batches, 30_000, 1000);
  assert.deepEqual(stats, {
    batch_size: 1000,
    batches: 30,
    rows_per_s: Math.round(30_000 / 0.465),
    p50_ms: 15.5,
    p95_ms: 28.55,
    p99_ms: 29.71,
  });
});

test('fewer than 30 timed batches give throughput but no percentiles', () => {
  const stats = summarizeLatency([4, 1, 3, 2], 4000, 1000);
  assert.deepEqual(stats, { batch_size: 1000, batches: 4, rows_per_s: 400_000 });
});
