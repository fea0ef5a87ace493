/**
 * `decision.json` (`cairn.challenge/v1`) as `cairn challenge` writes it, read with the schema that
 * command writes it by (core/metrics): the champion and the challenger measured on the same rows,
 * the paired bootstrap interval of their difference, and the verdict. The retraining workflow acts
 * on `decision`; everything else is shown to reviewers.
 */
import { UserError } from '../errors.ts';
import {
  CHALLENGE_SCHEMA,
  challengeDecisionProblems,
  challengeDecisionSchema,
  type ChallengeDecision,
} from '../metrics/index.ts';

export { CHALLENGE_SCHEMA, type ChallengeDecision };

/** Parses a decision file's text; anything else (another record, a hand-edited verdict of the wrong shape) is a UserError naming `source`. */
export function parseChallengeDecision(text: string, source: string): ChallengeDecision {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${source} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const schema = (value as { schema?: unknown } | null)?.schema;
  if (schema !== CHALLENGE_SCHEMA) {
    throw new UserError(
      `${source} is not a ${CHALLENGE_SCHEMA} decision (its schema is ${JSON.stringify(schema ?? null)}); give the decision file that \`cairn challenge\` wrote.`,
    );
  }
  const problems = challengeDecisionProblems(value);
  if (problems.length > 0)
    throw new UserError(`${source} is not a valid ${CHALLENGE_SCHEMA} decision: ${problems.join('; ')}.`);
  return challengeDecisionSchema.parse(value);
}
