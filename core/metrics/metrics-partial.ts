/**
 * A shard's partial: the accumulator state (`cairn.metrics-accumulator/v1`) of the rows one
 * `cairn evaluate --shard I/N` run scored, plus where they came from. `cairn evaluate merge`
 * reads partials back, checks they belong together, and merges their accumulators.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import {
  ACCUMULATOR_STATE_FORMAT,
  parseAccumulatorState,
  partialSourceSchema,
  type MetricsAccumulatorState,
  type PartialSource,
} from './internal/accumulator-state.ts';
import { MetricsAccumulator } from './metrics-accumulator.ts';

export { ACCUMULATOR_STATE_FORMAT, type MetricsAccumulatorState, type PartialSource };

export interface MetricsPartial {
  /** The file the partial was read from, as the user named it (for messages). */
  file: string;
  accumulator: MetricsAccumulator;
  source: PartialSource;
}

/** The JSON a shard writes: its accumulator state with the source beside it. */
export function metricsPartialState(accumulator: MetricsAccumulator, source: PartialSource): MetricsAccumulatorState {
  return { ...accumulator.toJSON(), ...source };
}

/** Checks an untrusted partial (e.g. a downloaded artifact); errors name `file`. */
export function parseMetricsPartial(value: unknown, file: string): MetricsPartial {
  const state = parseAccumulatorState(value, file);
  const parsed = partialSourceSchema.safeParse(state);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      `${file} is a metrics accumulator state but not a shard's partial (${issue.path.join('.') || '(root)'}: ${issue.message}): ` +
        'merge the files that `cairn evaluate --shard I/N --out PART` wrote.',
      { cause: parsed.error },
    );
  }
  const source = parsed.data;
  const { shard } = source.data;
  if (shard.index > shard.count)
    throw new UserError(`${file}: data.shard.index ${shard.index} is above data.shard.count ${shard.count}.`);
  if (shard.last_row - shard.first_row + 1 !== state.rows || shard.last_row > source.data.rows)
    throw new UserError(
      `${file}: rows ${shard.first_row}..${shard.last_row} of ${source.data.rows} do not match the ${state.rows} rows it holds; regenerate it with cairn.`,
    );
  return { file, accumulator: MetricsAccumulator.fromJSON(state, file), source };
}

/** Reads a partial file; a missing file, a folder, or text that is not whole JSON (a cut-off download) is a UserError. */
export async function readMetricsPartial(path: string, shown = path): Promise<MetricsPartial> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder; pass the partial files themselves'
          : (error as Error).message;
    throw new UserError(`cannot read the partial ${shown}: ${why}.`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${shown} is not valid JSON (${(error as Error).message}): was it cut off while copying? ` +
        `Pass the ${ACCUMULATOR_STATE_FORMAT} file \`cairn evaluate --shard\` wrote.`,
      { cause: error },
    );
  }
  return parseMetricsPartial(value, shown);
}
