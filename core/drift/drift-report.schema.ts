import { z } from 'zod';

export const DRIFT_REPORT_SCHEMA = 'cairn.drift/v1';

const driftTest = z.enum(['ks', 'chisquare', 'z', 'wasserstein', 'jensenshannon', 'psi']);

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
