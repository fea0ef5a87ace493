import { z } from 'zod';
import { UserError } from '../errors.ts';

export const DRIFT_REPORT_SCHEMA = 'cairn.drift/v1';

const driftTest = z.enum(['ks', 'chisquare', 'z', 'wasserstein', 'jensenshannon', 'psi']);

const share = z.number().min(0).max(1);

/**
 * What a drifted column's chart draws (optional: compareTables adds it with `bins`). A `num` column with many values has equal-width
 * bins over both sides together (`edges`, one more than the shares); otherwise each bar is a value (`labels`), the most
 * frequent first, and `more` counts the values not shown. Shares are of each side's rows left after dropping missing
 * and infinite cells.
 */
const histogramBins = z
  .object({ edges: z.array(z.number()).min(2), reference: z.array(share), current: z.array(share) })
  .strict()
  .refine((bins) => bins.reference.length === bins.edges.length - 1 && bins.current.length === bins.reference.length, {
    message: 'a histogram has one share per bin on each side, and one edge more than bins',
  });
const valueBins = z
  .object({
    labels: z.array(z.string()).min(1),
    reference: z.array(share),
    current: z.array(share),
    more: z.number().int().nonnegative(),
  })
  .strict()
  .refine((bins) => bins.reference.length === bins.labels.length && bins.current.length === bins.labels.length, {
    message: 'each shown value has one share on each side',
  });
export const driftBinsSchema = z.union([histogramBins, valueBins]);

/**
 * `drift.json`: each column's test, score (a p-value for ks, chisquare and z, a distance otherwise), threshold and
 * verdict, the columns left empty, and the dataset's verdict on the share of drifted columns.
 */
export const driftReportSchema = z
  .object({
    schema: z.literal(DRIFT_REPORT_SCHEMA),
    reference: z.object({ path: z.string(), rows: z.number().int().nonnegative() }).strict(),
    current: z.object({ path: z.string(), rows: z.number().int().nonnegative() }).strict(),
    columns: z.array(
      z
        .object({
          name: z.string(),
          kind: z.enum(['num', 'cat']),
          test: driftTest,
          score: z.number(),
          threshold: z.number(),
          drifted: z.boolean(),
          bins: driftBinsSchema.optional(),
        })
        .strict(),
    ),
    skipped: z.array(z.object({ name: z.string(), reason: z.string() }).strict()),
    dataset: z
      .object({
        columns: z.number().int().nonnegative(),
        drifted_columns: z.number().int().nonnegative(),
        share: z.number().min(0).max(1),
        threshold: z.number().gt(0).max(1),
        drifted: z.boolean(),
      })
      .strict(),
  })
  .strict();

export type DriftReport = z.infer<typeof driftReportSchema>;
export type DriftBins = z.infer<typeof driftBinsSchema>;

/** A drift.json from a file a workflow passed along (`source` names it in the message); anything else is refused. */
export function parseDriftReport(text: string, source: string): DriftReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${source} is not valid JSON (${(error as Error).message}); pass a drift.json from cairn drift.`,
      {
        cause: error,
      },
    );
  }
  const parsed = driftReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(
      `${source} is not a ${DRIFT_REPORT_SCHEMA} drift report (${issue.path.join('.') || 'top level'}: ${issue.message}); pass a drift.json from cairn drift.`,
    );
  }
  return parsed.data;
}
