import { readFile, stat } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import type { TrainingRecord } from '../metrics/index.ts';
import type { SpellOption } from '../option-names.ts';

/**
 * The record's schema id. core/metrics owns the record's zod schema (metrics.json carries the record);
 * this copy lets `cairn train` write a record without loading zod and core/metrics (bench/train), and
 * the compiler checks it against the schema's literal where train.ts builds the record.
 */
export const TRAINING_RECORD_SCHEMA = 'cairn.training/v1';

/**
 * A training record read back (from a file a workflow passed along), checked; `source` names it in
 * the message, worded by the front door's way of naming options where it names one.
 */
export async function parseTrainingRecord(
  value: unknown,
  source: string | ((spell: SpellOption) => string),
): Promise<TrainingRecord> {
  const { trainingRecordProblems, trainingRecordSchema } = await import('../metrics/index.ts');
  const problems = trainingRecordProblems(value);
  const named = typeof source === 'string' ? () => source : source;
  if (problems.length > 0)
    throw new UserError(
      (spell) => `${named(spell)} is not a valid ${TRAINING_RECORD_SCHEMA} record: ${problems.join('; ')}.`,
    );
  return trainingRecordSchema.parse(value);
}

/** A record holds two capped files (params, metrics) and small fields: anything far bigger is not one. */
export const MAX_TRAINING_RECORD_BYTES = 4 << 20;

/** Named without either front door's options: the action that reads it may be given the CLI's record, or the reverse. */
const WRITTEN_BY =
  'the training record that `cairn train` (default cairn-training.json) or the train action (its output `record-path`) wrote';

/**
 * Reads and checks a training record file (`--training-record` of the CLI, `training-record:` of
 * actions/evaluate); `shown` is the path as the user wrote it.
 */
export async function readTrainingRecord(path: string, shown: string): Promise<TrainingRecord> {
  const named = (spell: SpellOption) => `${spell('training-record')} ${shown}`;
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserError((spell) => `${named(spell)} is not a file; name ${WRITTEN_BY}.`);
    if (info.size > MAX_TRAINING_RECORD_BYTES)
      throw new UserError(
        (spell) =>
          `${named(spell)} is ${info.size} bytes, more than a training record (at most ${MAX_TRAINING_RECORD_BYTES}).`,
      );
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError((spell) => `${named(spell)} does not exist; name ${WRITTEN_BY}.`, { cause: error });
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      (spell) => `${named(spell)} is not a training record: invalid JSON (${(error as Error).message}).`,
      { cause: error },
    );
  }
  return parseTrainingRecord(value, named);
}
