/**
 * `decision.json` (`cairn.challenge/v1`) as `cairn challenge` writes it: the champion and the
 * challenger measured on the same rows, the paired bootstrap interval of their difference, and the
 * verdict. The retraining workflow acts on `decision`; everything else is shown to reviewers.
 */
import { z } from 'zod';
import { UserError } from '../errors.ts';

export const CHALLENGE_SCHEMA = 'cairn.challenge/v1';

const side = z.object({ path: z.string(), value: z.number().nullable() });

const challengeDecisionSchema = z.object({
  schema: z.literal(CHALLENGE_SCHEMA),
  metric: z.string().min(1),
  champion: side,
  challenger: side,
  difference: z.number().nullable(),
  interval: z.tuple([z.number().nullable(), z.number().nullable()]),
  confidence: z.number().gt(0).lt(1),
  bootstrap: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  seed: z.number().int(),
  min_improvement: z.number(),
  decision: z.enum(['promote', 'keep']),
});

export type ChallengeDecision = z.infer<typeof challengeDecisionSchema>;

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
  const parsed = challengeDecisionSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${source}: ${issue.path.join('.') || 'the file'}: ${issue.message}`, { cause: parsed.error });
  }
  return parsed.data;
}
