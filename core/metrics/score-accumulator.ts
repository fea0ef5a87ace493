import { bootstrapIntervals, type BootstrapSettings } from './bootstrap.ts';
import { classF1Key, type MetricsAccumulator } from './metrics-accumulator.ts';
import type { MetricsReport } from './types.ts';

export type ScoredMetrics = Pick<
  MetricsReport,
  'metrics' | 'intervals' | 'bootstrap' | 'per_class' | 'confusion_matrix' | 'curves'
>;

/**
 * Every number a metrics.json holds about the predictions: the metrics, per-class figures,
 * confusion matrix, curves, and the row bootstrap's intervals. One function for `cairn evaluate`
 * and `cairn evaluate merge`, so a merged evaluation equals one run over the same rows.
 */
export function scoreAccumulator(
  accumulator: MetricsAccumulator,
  bootstrap: BootstrapSettings,
): ScoredMetrics & { bootstrapMs: number } {
  const result = accumulator.result();
  const started = performance.now();
  const drawn = bootstrapIntervals(accumulator.rows, accumulator.resampleScorer(), bootstrap);
  const bootstrapMs = performance.now() - started;
  const perClass = result.per_class?.map((item, i) => {
    const f1 = drawn[classF1Key(i)];
    return f1 ? { ...item, f1_interval: f1 } : item;
  });
  const intervals = Object.fromEntries(
    Object.keys(result.metrics)
      .filter((name) => drawn[name])
      .map((name) => [name, drawn[name]]),
  );
  return {
    metrics: result.metrics,
    ...(bootstrap.resamples > 0 && { intervals, bootstrap }),
    ...(perClass && { per_class: perClass }),
    ...(result.confusion_matrix && { confusion_matrix: result.confusion_matrix }),
    ...(result.curves && { curves: result.curves }),
    bootstrapMs,
  };
}
