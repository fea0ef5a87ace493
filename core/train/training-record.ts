import { UserError } from '../errors.ts';
import type { TrainingRecord } from './training-record.schema.ts';

/** The record's schema id, apart from its zod schema: writing a record does not load zod (bench/train). */
export const TRAINING_RECORD_SCHEMA = 'cairn.training/v1';

/** A training record read back (from a file a workflow passed along), checked; `source` names it in the message. */
export async function parseTrainingRecord(value: unknown, source: string): Promise<TrainingRecord> {
  const { trainingRecordProblems, trainingRecordSchema } = await import('./training-record.schema.ts');
  const problems = trainingRecordProblems(value);
  if (problems.length > 0)
    throw new UserError(`${source} is not a valid ${TRAINING_RECORD_SCHEMA} record: ${problems.join('; ')}.`);
  return trainingRecordSchema.parse(value);
}
