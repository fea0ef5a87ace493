/** Per-batch inference latency: percentiles as numpy computes them, and model throughput. */
import type { LatencyStats } from '../metrics/types.ts';

/** numpy.percentile's default ('linear'): interpolate between the two closest ranks. */
export function percentile(sortedAscending: readonly number[], q: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = (q / 100) * (sortedAscending.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sortedAscending.length - 1);
  return sortedAscending[low] + (sortedAscending[high] - sortedAscending[low]) * (rank - low);
}

/**
 * @param batchMs time of each session.run, in milliseconds (data reading not included, so
 *   rows_per_s is the model's throughput, not the whole evaluation's).
 */
export function summarizeLatency(batchMs: readonly number[], rows: number, batchSize: number): LatencyStats {
  const sorted = [...batchMs].sort((a, b) => a - b);
  const totalMs = batchMs.reduce((sum, ms) => sum + ms, 0);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    batch_size: batchSize,
    rows_per_s: totalMs > 0 ? Math.round(rows / (totalMs / 1000)) : 0,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
  };
}
