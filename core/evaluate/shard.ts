/**
 * `cairn evaluate --shard I/N`: the model runs over the I-th of N contiguous row ranges only, and
 * the rows' accumulator state is written as a partial for `cairn evaluate merge`. Rows are split
 * as numpy.array_split splits them: the first (rows % N) shards hold one row more than the rest.
 */
import { countRows, sha256File } from '../data/index.ts';
import { UserError } from '../errors.ts';
import { metricsPartialState, type MetricsAccumulatorState } from '../metrics/index.ts';
import { inspectData, predictRows, type EvaluateOptions } from './evaluate-model.ts';
import { resolveSettings } from './internal/evaluation-settings.ts';
import { recordPathsRelativeTo, type GatedEvaluationOptions } from './gated.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `I/N` with 1 <= I <= N; the error names the front door's option (`--shard` or `shard:`). */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count)
    throw new UserError(
      (option) =>
        `${option('shard')} ${JSON.stringify(text)} is not a shard: write I/N with N >= 1 and I from 1 to N, e.g. 2/7 for the second of seven.`,
    );
  return { index, count };
}

/** Rows start (0-based) to end (exclusive) of shard `index`/`count` of `rows` rows, as numpy.array_split cuts them. */
export function shardRange(rows: number, shard: Shard): { start: number; end: number } {
  const size = Math.floor(rows / shard.count);
  const extra = rows % shard.count;
  const i = shard.index - 1;
  const start = i * size + Math.min(i, extra);
  return { start, end: start + size + (i < extra ? 1 : 0) };
}

export type ShardEvaluationOptions = Omit<GatedEvaluationOptions, 'baseline' | 'gate' | 'noGate' | 'bootstrap'> & {
  shard: Shard;
};

/**
 * Evaluates one shard and returns its partial. The config still decides task, features and the
 * decision threshold (they shape the predictions); the gate and the bootstrap wait for the merge,
 * which sees every row.
 */
export async function evaluateShard(options: ShardEvaluationOptions): Promise<MetricsAccumulatorState> {
  const { shard, logger, dataPath } = options;
  const settings = await resolveSettings({ ...options, shard: true });
  const evaluate: EvaluateOptions = { ...options, ...settings };
  const schema = await inspectData(evaluate);
  const rows = await countRows(dataPath, schema);
  const range = shardRange(rows, shard);
  if (range.end === range.start)
    throw new UserError(
      (option) =>
        `${option('shard')} ${shard.index}/${shard.count} of ${dataPath} holds no rows: the file has ${rows} data rows, so split it into at most ${rows} shards.`,
    );
  logger.info(`shard ${shard.index}/${shard.count}: rows ${range.start + 1}..${range.end} of ${rows}`);
  const predicted = await predictRows(evaluate, schema, range);
  const { sha256, inputs, outputs } = predicted.model;
  const source = {
    name: settings.name,
    model: { path: options.modelPath, sha256, inputs, outputs },
    data: {
      path: dataPath,
      sha256: await sha256File(dataPath),
      rows,
      target: options.target,
      features: predicted.features,
      shard: { index: shard.index, count: shard.count, first_row: range.start + 1, last_row: range.end },
    },
    ...(predicted.decision && { decision: predicted.decision }),
    created_at: new Date().toISOString(),
  };
  if (options.recordPathsRelativeTo) recordPathsRelativeTo(source, options.recordPathsRelativeTo);
  return metricsPartialState(predicted.accumulator, source);
}
