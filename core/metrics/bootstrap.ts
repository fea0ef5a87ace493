/**
 * Seeded percentile bootstrap over evaluation rows: how much a metric moves when the same model
 * is scored on another sample of the same size. Rows are drawn with replacement from the stored
 * predictions (the model never runs again), each resample is scored exactly like the evaluation,
 * and the interval is the (1 - confidence) / 2 and (1 + confidence) / 2 percentiles of the
 * resampled values (numpy.percentile, linear). Evaluate records it per metric; a challenger
 * comparison uses the same draws for two models (pass both to one statistic) for a paired interval.
 *
 * The draws are reproducible anywhere: mulberry32 (Tommy Ettinger's 32-bit generator, a few lines
 * in any language) seeded with `seed`, and row = floor(u * n) for each u in [0, 1). Resample r
 * takes the next n draws after resample r - 1. test/fixtures/generate_bootstrap.py implements the
 * same draws in Python and checks the intervals against scikit-learn.
 */
import { UserError } from '../errors.ts';
import { percentile } from './percentile.ts';

export interface BootstrapSettings {
  /** Resamples drawn; 0 turns the bootstrap off. */
  resamples: number;
  seed: number;
  /** Share of the resampled values inside the interval: 0.95 gives the 2.5 and 97.5 percentiles. */
  confidence: number;
}

export const BOOTSTRAP_DEFAULTS: Readonly<BootstrapSettings> = { resamples: 200, seed: 0, confidence: 0.95 };

/**
 * The most resamples asked for: percentiles stop moving long before (the 2.5th of 100,000 draws is
 * within ~0.05 percentile points), while each resample rescores every row, and the values are kept.
 */
export const MAX_RESAMPLES = 100_000;

/** Refuses a resample count a run could not finish (`--bootstrap 1e300`), before any model runs. */
export function checkResamples(resamples: number, least: 0 | 1 = 0): number {
  if (!Number.isInteger(resamples) || resamples < least || resamples > MAX_RESAMPLES)
    throw new UserError(
      (option) =>
        `${option('bootstrap')} must be a whole number of resamples from ${least} to ${MAX_RESAMPLES.toLocaleString('en-US')}, got ${resamples}.`,
    );
  return resamples;
}

/** `[low, high]` per metric name. */
export type Intervals = Record<string, [number, number]>;

/** mulberry32: uniform doubles in [0, 1), each a 32-bit integer / 2^32, from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The row indices of each resample, one Int32Array of `rows` draws per resample. The same array is
 * refilled for the next resample: copy it to keep it.
 */
export function* resampleIndices(
  rows: number,
  settings: Pick<BootstrapSettings, 'resamples' | 'seed'>,
): Generator<Int32Array> {
  const next = mulberry32(settings.seed);
  const indices = new Int32Array(rows);
  for (let r = 0; r < settings.resamples; r++) {
    for (let i = 0; i < rows; i++) indices[i] = Math.floor(next() * rows);
    yield indices;
  }
}

/** The central `confidence` share of `values` (any order), as numpy.percentile's linear method. */
export function percentileInterval(values: readonly number[], confidence: number): [number, number] {
  const sorted = Float64Array.from(values).sort();
  const tail = (100 - confidence * 100) / 2; // (1 - 0.95) / 2 * 100 would be 2.5000000000000022
  return [percentile(sorted, tail), percentile(sorted, 100 - tail)];
}

/**
 * Bootstraps every metric `statistic` returns: `statistic(indices)` scores the rows at `indices`
 * (repeats included) and returns metric name -> value, null where the metric is undefined for
 * that sample. A metric gets an interval only when every resample defines it: an interval over
 * the samples where it happens to exist (a ROC AUC without the one-class draws) would be narrower
 * than the truth.
 */
export function bootstrapIntervals(
  rows: number,
  statistic: (indices: Int32Array) => Record<string, number | null>,
  settings: BootstrapSettings = BOOTSTRAP_DEFAULTS,
): Intervals {
  checkSettings(settings);
  if (rows === 0 || settings.resamples === 0) return {};
  const values = new Map<string, number[]>();
  const undefinedSomewhere = new Set<string>();
  for (const indices of resampleIndices(rows, settings)) {
    for (const [name, value] of Object.entries(statistic(indices))) {
      if (value === null || !Number.isFinite(value)) {
        undefinedSomewhere.add(name);
        continue;
      }
      const list = values.get(name) ?? [];
      list.push(value);
      values.set(name, list);
    }
  }
  const intervals: Intervals = {};
  for (const [name, list] of values) {
    if (!undefinedSomewhere.has(name) && list.length === settings.resamples)
      intervals[name] = percentileInterval(list, settings.confidence);
  }
  return intervals;
}

function checkSettings({ resamples, seed, confidence }: BootstrapSettings): void {
  checkResamples(resamples);
  if (!Number.isInteger(seed)) throw new RangeError(`bootstrap seed must be a whole number, got ${seed}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`bootstrap confidence must be between 0 and 1, got ${confidence}`);
}
