/**
 * Champion vs challenger on the same rows: the paired percentile bootstrap of one metric's
 * difference. Each resample draws rows once (bootstrap.ts's draws) and scores both models' stored
 * predictions on exactly those rows, so the interval measures the difference between the models,
 * not the noise of two independent samples. test/fixtures/generate_challenge.py computes the same
 * intervals with scikit-learn.
 */
import { UserError } from '../errors.ts';
import { percentileInterval, resampleIndices, type BootstrapSettings } from './bootstrap.ts';
import type { MetricsAccumulator } from './metrics-accumulator.ts';
import { LOWER_IS_BETTER, METRIC_NAMES } from './types.ts';

export interface PairedDifference {
  metric: string;
  /** The difference is champion - challenger for these, so positive still means better. */
  lowerIsBetter: boolean;
  /** The metric on every row. */
  champion: number;
  challenger: number;
  /** Oriented so that positive means the challenger is better. */
  difference: number;
  /** The percentile interval of the resampled differences; undefined when every resample was skipped. */
  interval?: [number, number];
  /** Resamples where the metric was undefined for either model (a ROC AUC of one class): no difference. */
  skipped: number;
}

/**
 * `metric`'s difference between two evaluations of the same rows, with its paired bootstrap interval.
 * The accumulators must hold the same task, classes and true values in the same row order: two models
 * run over one table.
 */
export function pairedDifference(
  champion: MetricsAccumulator,
  challenger: MetricsAccumulator,
  metric: string,
  settings: BootstrapSettings,
): PairedDifference {
  checkPair(champion, challenger, metric);
  const lowerIsBetter = LOWER_IS_BETTER.has(metric);
  // a - b for lower-is-better rather than -(b - a): a model against itself gives +0, never -0.
  const oriented = (a: number, b: number) => (lowerIsBetter ? a - b : b - a);
  const whole = [champion.result().metrics[metric], challenger.result().metrics[metric]];
  const [a, b] = whole;
  if (typeof a !== 'number' || typeof b !== 'number') {
    const which = typeof a !== 'number' ? 'the champion' : 'the challenger';
    throw new UserError(
      `${metric} is undefined for ${which} on these ${champion.rows} rows (e.g. roc_auc when the target holds one class); compare on other data or with another --metric.`,
    );
  }
  const scoreChampion = champion.resampleScorer([metric]);
  const scoreChallenger = challenger.resampleScorer([metric]);
  const differences: number[] = [];
  let skipped = 0;
  for (const indices of resampleIndices(champion.rows, settings)) {
    const x = scoreChampion(indices)[metric];
    const y = scoreChallenger(indices)[metric];
    if (typeof x !== 'number' || typeof y !== 'number') skipped++;
    else differences.push(oriented(x, y));
  }
  return {
    metric,
    lowerIsBetter,
    champion: a,
    challenger: b,
    difference: oriented(a, b),
    ...(differences.length > 0 && { interval: percentileInterval(differences, settings.confidence) }),
    skipped,
  };
}

function checkPair(champion: MetricsAccumulator, challenger: MetricsAccumulator, metric: string): void {
  if (champion.task !== challenger.task)
    throw new UserError(
      `the champion was evaluated as a ${champion.task} model and the challenger as ${challenger.task}: compare two models of the same task.`,
    );
  if (champion.classes.join('\u0000') !== challenger.classes.join('\u0000'))
    throw new UserError(
      `the champion's classes [${champion.classes.join(', ')}] are not the challenger's [${challenger.classes.join(', ')}]: compare two models of the same classes, in the same order.`,
    );
  if (champion.rows !== challenger.rows)
    throw new RangeError(`the champion scored ${champion.rows} rows and the challenger ${challenger.rows}`);
  if (!METRIC_NAMES[champion.task].includes(metric))
    throw new UserError(
      `${metric} is not computed for ${champion.task} models; use one of: ${METRIC_NAMES[champion.task].join(', ')}.`,
    );
}
