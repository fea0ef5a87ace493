/** Per-batch inference latency: percentiles as numpy computes them, and model throughput. */
import { LATENCY_MIN_BATCHES, type LatencyStats, percentile } from '../../metrics/index.ts';

export { percentile };

/**
 * @param batchMs time of each session.run, in milliseconds (data reading not included, so
 *   rows_per_s is the model's throughput, not the whole evaluation's).
 * Percentiles need LATENCY_MIN_BATCHES timed batches: a p99 of 3 batches is the slowest of three,
 * a number a reader would take for a tail latency. Below that only throughput is recorded.
 */
export function summarizeLatency(batchMs: readonly number[], rows: number, batchSize: number): LatencyStats {
  const sorted = [...batchMs].sort((a, b) => a - b);
  const totalMs = batchMs.reduce((sum, ms) => sum + ms, 0);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  const stats: LatencyStats = {
    batch_size: batchSize,
    batches: batchMs.length,
    rows_per_s: totalMs > 0 ? Math.round(rows / (totalMs / 1000)) : 0,
  };
  if (batchMs.length < LATENCY_MIN_BATCHES) return stats;
  return {
    ...stats,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
  };
}
