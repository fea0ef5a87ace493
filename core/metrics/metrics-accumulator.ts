/**
 * Collects predictions batch by batch (and shard by shard) and computes scikit-learn-equal
 * metrics once at the end. Exact ROC AUC and average precision need every score, so the rows are
 * kept in growable typed arrays (about 13 bytes a row for binary tasks) rather than summaries.
 */
import { UserError } from '../errors.ts';
import {
  ACCUMULATOR_STATE_FORMAT,
  decodeArray,
  encodeArray,
  parseAccumulatorState,
  type MetricsAccumulatorState,
} from './internal/accumulator-state.ts';
import { binaryResult, multiclassResult, type StoredProba } from './internal/classification-metrics.ts';
import { rankScores, resampledThresholdCounts, type ScoreRanking } from './internal/binary-clf-curve.ts';
import { GrowableArray } from './internal/growable-array.ts';
import { probabilityRows } from './internal/multiclass-roc-auc.ts';
import type { ProbaDtype } from './internal/log-loss.ts';
import { regressionMetrics } from './internal/regression.ts';
import { METRIC_NAMES, type MetricsReport, type Task } from './types.ts';

export interface MetricsBatch {
  /** Class indices into `classes` (classification) or target values (regression). */
  yTrue: Int32Array | Float64Array;
  yPred: Int32Array | Float64Array;
  /**
   * Classification probabilities, N x C row-major (predict_proba). For binary tasks N values of
   * P(positive) = P(classes[1]) are accepted too. Float32 and float64 give different log_loss
   * clipping (eps = np.finfo(dtype).eps), so the dtype is kept.
   */
  proba?: Float32Array | Float64Array;
}

export type MetricsResult = Pick<MetricsReport, 'metrics' | 'per_class' | 'confusion_matrix' | 'curves'> & {
  rows: number;
};

type Columns =
  | { kind: 'labels'; yTrue: GrowableArray<Int32Array>; yPred: GrowableArray<Int32Array> }
  | { kind: 'targets'; yTrue: GrowableArray<Float64Array>; yPred: GrowableArray<Float64Array> };

interface ProbaColumn {
  dtype: ProbaDtype;
  values: GrowableArray<Float32Array> | GrowableArray<Float64Array>;
}

export class MetricsAccumulator {
  readonly task: Task;
  readonly classes: readonly string[];
  private readonly columns: Columns;
  /** undefined until the first non-empty batch says whether probabilities come with the rows. */
  private proba: ProbaColumn | null | undefined;

  constructor(task: Task, classes: readonly string[] = []) {
    this.task = task;
    this.classes = [...classes];
    if (task === 'regression') {
      this.columns = { kind: 'targets', yTrue: float64s(), yPred: float64s() };
      return;
    }
    if (task === 'binary' && classes.length !== 2) {
      throw new UserError(
        `a binary evaluation needs exactly 2 classes, got ${classes.length} (${classes.join(', ')}): ` +
          'set the task to multiclass, or check that the target column is the label',
      );
    }
    if (classes.length < 2) {
      throw new UserError(
        `a ${task} evaluation needs at least 2 classes, got ${classes.length} (${classes.join(', ')})`,
      );
    }
    this.columns = { kind: 'labels', yTrue: int32s(), yPred: int32s() };
  }

  get rows(): number {
    return this.columns.yTrue.length;
  }

  add(batch: MetricsBatch): void {
    const n = batch.yTrue.length;
    if (batch.yPred.length !== n) throw new RangeError(`yPred has ${batch.yPred.length} rows but yTrue has ${n}`);
    if (n === 0) return;
    if (this.columns.kind === 'targets') {
      if (batch.proba) throw new RangeError('a regression batch has no probabilities; drop `proba`');
      this.columns.yTrue.append(batch.yTrue);
      this.columns.yPred.append(batch.yPred);
      return;
    }
    // Validate everything before appending anything, so a rejected batch leaves no partial rows.
    this.checkLabels(batch.yTrue, 'yTrue');
    this.checkLabels(batch.yPred, 'yPred');
    const proba = batch.proba ? this.probaValues(batch.proba, n) : null;
    this.settleProbaMode(proba === null ? null : dtypeOf(proba), 'this batch');
    this.columns.yTrue.append(batch.yTrue);
    this.columns.yPred.append(batch.yPred);
    if (proba !== null) this.proba?.values.append(proba);
  }

  /** Appends another shard's rows; the result equals one accumulator that saw all batches. */
  merge(other: MetricsAccumulator): void {
    if (other.task !== this.task || other.classes.join('\u0000') !== this.classes.join('\u0000')) {
      throw new UserError(
        `cannot merge metrics of a ${other.task} model with classes [${other.classes.join(', ')}] into ` +
          `a ${this.task} evaluation with classes [${this.classes.join(', ')}]: shards must come from the same model`,
      );
    }
    if (other.rows === 0) return;
    this.settleProbaMode(other.proba ? other.proba.dtype : null, 'the merged shard');
    // Both unions hold the same kind here: the task decides it.
    (this.columns.yTrue as GrowableArray<Int32Array | Float64Array>).append(other.columns.yTrue.view());
    (this.columns.yPred as GrowableArray<Int32Array | Float64Array>).append(other.columns.yPred.view());
    if (other.proba) this.proba?.values.append(other.proba.values.view());
  }

  toJSON(): MetricsAccumulatorState {
    return {
      format: ACCUMULATOR_STATE_FORMAT,
      task: this.task,
      classes: [...this.classes],
      rows: this.rows,
      y_true: encodeArray(this.columns.yTrue.view()),
      y_pred: encodeArray(this.columns.yPred.view()),
      proba: this.proba ? encodeArray(this.proba.values.view()) : null,
    };
  }

  /** Rebuilds an accumulator from `toJSON()` output; `source` (a file name) is named in errors. */
  static fromJSON(value: unknown, source = 'metrics accumulator state'): MetricsAccumulator {
    const state = parseAccumulatorState(value, source);
    const yTrue = decodeArray(state.y_true, 'y_true', source);
    const yPred = decodeArray(state.y_pred, 'y_pred', source);
    const proba = state.proba ? decodeArray(state.proba, 'proba', source) : undefined;
    if (yTrue.length !== state.rows || yPred.length !== state.rows) {
      throw new UserError(
        `${source}: "rows" is ${state.rows} but y_true / y_pred hold ${yTrue.length} / ${yPred.length}`,
      );
    }
    if (yTrue instanceof Float32Array || yPred instanceof Float32Array || proba instanceof Int32Array) {
      throw new UserError(`${source}: unexpected dtype for y_true, y_pred or proba; regenerate the file with cairn`);
    }
    try {
      const accumulator = new MetricsAccumulator(state.task, state.classes);
      accumulator.add({ yTrue, yPred, proba });
      return accumulator;
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`${source} holds rows that do not fit its task and classes: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  result(): MetricsResult {
    const rows = this.rows;
    if (this.columns.kind === 'targets') {
      const values = regressionMetrics(this.columns.yTrue.view(), this.columns.yPred.view());
      return { rows, metrics: ordered('regression', values as unknown as Record<string, number | null>) };
    }
    const proba: StoredProba | undefined = this.proba
      ? { values: this.proba.values.view(), dtype: this.proba.dtype }
      : undefined;
    const compute = this.task === 'binary' ? binaryResult : multiclassResult;
    const result = compute(this.classes, this.columns.yTrue.view(), this.columns.yPred.view(), proba);
    return { rows, ...result, metrics: ordered(this.task, result.metrics) };
  }

  /**
   * A scorer of resamples for the bootstrap (core/metrics/bootstrap.ts): `(indices) => metrics`
   * of the rows at `indices` (repeats allowed), equal to what `result()` gives for exactly those
   * rows, plus each class's f1 under `classF1Key(class index)` for classification. Rows are
   * sorted by score once here; each resample then counts its draws by rank instead of sorting
   * again, so a resample costs O(rows), not O(rows log rows). With `only`, metrics outside it may be
   * left null: a comparison on f1 then never gathers or ranks the scores (several times faster).
   */
  resampleScorer(only?: readonly string[]): (indices: Int32Array) => Record<string, number | null> {
    if (this.columns.kind === 'targets') {
      const { yTrue, yPred } = { yTrue: this.columns.yTrue.view(), yPred: this.columns.yPred.view() };
      return (indices) =>
        ordered(
          'regression',
          regressionMetrics(gather(yTrue, indices, 1), gather(yPred, indices, 1)) as unknown as Record<
            string,
            number | null
          >,
        );
    }
    const task = this.task;
    const classes = this.classes;
    const yTrue = this.columns.yTrue.view();
    const yPred = this.columns.yPred.view();
    const rows = yTrue.length;
    const width = task === 'binary' ? 1 : classes.length;
    const scoresWanted = only === undefined || only.some((metric) => !LABEL_METRICS.has(metric));
    const stored =
      this.proba && scoresWanted ? { values: this.proba.values.view(), dtype: this.proba.dtype } : undefined;
    // Rankings cost 14 bytes a row per class: kept for binary tasks and small multiclass ones, else
    // each resample sorts again (slower, same numbers). With a NaN score no ranking is meaningful;
    // sklearn gives no score metric then anyway.
    const rank = stored !== undefined && rows * width <= RANKED_CELLS_MAX && stored.values.every(Number.isFinite);
    // Rows that pass roc_auc_ovr's checks pass them in any resample: check once, not per resample.
    const rowsChecked =
      task === 'multiclass' && stored !== undefined && probabilityRows(stored.values, rows, width, stored.dtype);
    const rankings = new Map<number, ScoreRanking>();
    const rankingOf = (c: number) => {
      let ranking = rankings.get(c);
      if (!ranking) rankings.set(c, (ranking = rankScores(yTrue, c, stored!.values, task === 'binary' ? 0 : c, width)));
      return ranking;
    };
    const scratch = rank ? new Int32Array(rows) : undefined;
    return (indices) => {
      const thresholds = rank ? (c: number) => resampledThresholdCounts(rankingOf(c), indices, scratch!) : undefined;
      const proba: StoredProba | undefined = stored && {
        values: gather(stored.values, indices, width),
        dtype: stored.dtype,
      };
      const score = task === 'binary' ? binaryResult : multiclassResult;
      const result = score(classes, gather(yTrue, indices, 1), gather(yPred, indices, 1), proba, {
        curves: false,
        thresholds,
        rowsChecked,
      });
      const scores = ordered(task, result.metrics);
      result.per_class.forEach((item, i) => (scores[classF1Key(i)] = item.f1));
      return scores;
    };
  }

  private checkLabels(values: Int32Array | Float64Array, name: string): void {
    const k = this.classes.length;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (!(Number.isInteger(value) && value >= 0 && value < k)) {
        throw new RangeError(
          `${name}[${i}] is ${value}, not a class index 0..${k - 1} into [${this.classes.join(', ')}]`,
        );
      }
    }
  }

  /** The values to store: P(positive) for binary tasks, the whole N x C matrix otherwise. */
  private probaValues(proba: Float32Array | Float64Array, n: number): Float32Array | Float64Array {
    const k = this.classes.length;
    if (proba.length === n * k) {
      if (this.task !== 'binary') return proba;
      const positive = proba instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) positive[i] = proba[i * 2 + 1];
      return positive;
    }
    if (this.task === 'binary' && proba.length === n) return proba;
    const shapes = this.task === 'binary' ? `${n} x 2 or ${n}` : `${n} x ${k}`;
    throw new RangeError(`proba has ${proba.length} values for ${n} rows; expected ${shapes} (one column per class)`);
  }

  /**
   * Probabilities must come with every batch or with none, in one dtype (log_loss depends on it).
   * The first non-empty batch or shard decides.
   */
  private settleProbaMode(dtype: ProbaDtype | null, what: string): void {
    if (this.proba === undefined) {
      this.proba = dtype === null ? null : { dtype, values: dtype === 'float32' ? float32s() : float64s() };
      return;
    }
    const current = this.proba ? this.proba.dtype : null;
    if (current === dtype) return;
    const describe = (d: ProbaDtype | null) => (d === null ? 'no probabilities' : `${d} probabilities`);
    throw new RangeError(`${what} has ${describe(dtype)} but earlier rows have ${describe(current)}`);
  }
}

/** Rows `indices` of a row-major array with `width` values a row. */
function gather<T extends Int32Array | Float32Array | Float64Array>(values: T, indices: Int32Array, width: number): T {
  const out = new (values.constructor as new (length: number) => T)(indices.length * width);
  for (let i = 0, o = 0; i < indices.length; i++) {
    const from = indices[i] * width;
    for (let j = 0; j < width; j++) out[o++] = values[from + j];
  }
  return out;
}

/** The bootstrap statistic's name for class `index`'s f1 (its interval goes to `per_class[index].f1_interval`). */
export function classF1Key(index: number): string {
  return `per_class.${index}.f1`;
}

/** Metrics computed from the predicted labels alone: a resample scored for these needs no probabilities. */
const LABEL_METRICS: ReadonlySet<string> = new Set([
  'accuracy',
  'balanced_accuracy',
  'precision',
  'recall',
  'f1',
  'f1_macro',
  'f1_weighted',
  'precision_macro',
  'recall_macro',
]);

/** Rows x classes up to which the bootstrap keeps score rankings (14 bytes each: about 140 MB). */
const RANKED_CELLS_MAX = 10_000_000;

const dtypeOf = (values: Float32Array | Float64Array): ProbaDtype =>
  values instanceof Float32Array ? 'float32' : 'float64';

/**
 * METRIC_NAMES order, every name present. A non-finite value (sklearn can return inf, e.g. MAPE
 * overflowing) becomes null: JSON has no infinity and would write null anyway.
 */
function ordered(task: Task, values: Record<string, number | null>): Record<string, number | null> {
  return Object.fromEntries(
    METRIC_NAMES[task].map((name) => {
      const value = values[name];
      return [name, typeof value === 'number' && Number.isFinite(value) ? value : null];
    }),
  );
}

const int32s = () => new GrowableArray((n) => new Int32Array(n));
const float32s = () => new GrowableArray((n) => new Float32Array(n));
const float64s = () => new GrowableArray((n) => new Float64Array(n));
