import { z } from 'zod';

/** `cairn challenge`'s decision file: whether the challenger should replace the champion, and why. */
export const CHALLENGE_SCHEMA = 'cairn.challenge/v1';

/** Share of resamples inside the interval; the decision rule is stated for a 95% interval. */
export const CHALLENGE_CONFIDENCE = 0.95;

/** More undefined resamples than this share makes the interval a sample of the easy draws: no decision. */
export const MAX_SKIPPED_SHARE = 0.05;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');
const finite = z.number().refine(Number.isFinite, 'expected a finite number');

const side = z.strictObject({
  /** The model file that was evaluated (for a registry reference, where its bytes were put). */
  path: z.string().min(1),
  sha256,
  /** The metric on every row. */
  value: finite,
  /** Present when the model was named `NAME#STAGE` or `NAME@VERSION`: what the registry resolved. */
  registry: z
    .strictObject({ name: z.string().min(1), version: z.string().min(1), stage: z.string().min(1).optional() })
    .optional(),
});

/**
 * Read back by workflows and reports, so every field is checked and unknown keys are refused: a
 * decision file is the record of why a model was (not) promoted.
 */
export const challengeDecisionSchema = z.strictObject({
  schema: z.literal(CHALLENGE_SCHEMA),
  metric: z.string().min(1),
  /** The difference is champion - challenger for such a metric, so positive still means better. */
  lower_is_better: z.boolean(),
  task: z.enum(['binary', 'multiclass', 'regression']),
  data: z.strictObject({
    path: z.string().min(1),
    sha256,
    rows: z.number().int().positive(),
    target: z.string().min(1),
  }),
  champion: side,
  challenger: side,
  /** Positive means the challenger is better. */
  difference: finite,
  interval: z.tuple([finite, finite]),
  confidence: z.literal(CHALLENGE_CONFIDENCE),
  /** Resamples drawn, skipped ones included. */
  bootstrap: z.number().int().positive(),
  /** Resamples where either model's metric was undefined; at most 5% of `bootstrap`. */
  skipped: z.number().int().nonnegative(),
  seed: z.number().int(),
  min_improvement: finite.refine((value) => value >= 0, 'expected a number >= 0'),
  decision: z.enum(['promote', 'keep']),
});

export type ChallengeDecision = z.infer<typeof challengeDecisionSchema>;

/** The rule: promote only when even the interval's lower end beats the champion by more than `minImprovement`. */
export function decideChallenge(interval: readonly [number, number], minImprovement: number): 'promote' | 'keep' {
  return interval[0] > minImprovement ? 'promote' : 'keep';
}

/** The first problems of a value that is not a valid decision, as `field: message`; empty when it is valid. */
export function challengeDecisionProblems(value: unknown, max = 3): string[] {
  const parsed = challengeDecisionSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues
    .slice(0, max)
    .map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
}
