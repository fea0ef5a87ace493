import { z } from 'zod';
import { trainingRecordSchema } from './training-record.schema.ts';
import { METRICS_SCHEMA } from './types.ts';

/**
 * The shape of a `cairn.metrics/v1` document, checked wherever one is read back: files users pass,
 * check-run records, and the artifact a fork's pull-request run hands over, which is untrusted. A
 * string where a count belongs would otherwise reach the markdown unescaped, and a missing array
 * would crash a renderer with a stack instead of a message. Objects are loose so that a newer
 * writer's extra fields pass through.
 */
const count = z.number().int().nonnegative();
const curve = z.looseObject({ x: z.array(z.number()), y: z.array(z.number()) });
const tensor = z.looseObject({
  name: z.string(),
  type: z.string(),
  shape: z.array(z.union([z.number(), z.string(), z.null()])),
});

export const metricsReportSchema = z.looseObject({
  schema: z.literal(METRICS_SCHEMA),
  name: z.string().min(1),
  task: z.enum(['binary', 'multiclass', 'regression']),
  rows: count,
  metrics: z.record(z.string(), z.number().nullable()),
  intervals: z.record(z.string(), z.tuple([z.number(), z.number()])).optional(),
  bootstrap: z.looseObject({ resamples: count, seed: z.number().int(), confidence: z.number().gt(0).lt(1) }).optional(),
  per_class: z
    .array(
      z.looseObject({
        label: z.string(),
        precision: z.number(),
        recall: z.number(),
        f1: z.number(),
        f1_interval: z.tuple([z.number(), z.number()]).optional(),
        support: count,
      }),
    )
    .optional(),
  confusion_matrix: z.looseObject({ labels: z.array(z.string()), matrix: z.array(z.array(count)) }).optional(),
  curves: z.looseObject({ roc: curve.optional(), pr: curve.optional() }).optional(),
  latency: z
    .looseObject({
      batch_size: count,
      batches: count.optional(),
      rows_per_s: z.number(),
      p50_ms: z.number().optional(),
      p95_ms: z.number().optional(),
      p99_ms: z.number().optional(),
    })
    .optional(),
  runtime: z.looseObject({ onnxruntime: z.string(), execution_provider: z.string() }).optional(),
  model: z
    .looseObject({ path: z.string(), sha256: z.string(), inputs: z.array(tensor), outputs: z.array(tensor) })
    .optional(),
  data: z
    .union([
      z.looseObject({
        path: z.string(),
        sha256: z.string(),
        rows: count,
        target: z.string().optional(),
        features: z.array(z.string()).optional(),
      }),
      // A merged evaluation (`cairn evaluate merge`): its parts, whose rows add up to `rows`.
      z
        .strictObject({
          rows: count,
          parts: z
            .array(
              z.strictObject({
                path: z.string(),
                sha256: z.string(),
                rows: count,
                shard: z.string().regex(/^[1-9][0-9]*\/[1-9][0-9]*$/),
              }),
            )
            .min(1),
          target: z.string().optional(),
          features: z.array(z.string()).optional(),
        })
        .refine((data) => data.parts.reduce((sum, part) => sum + part.rows, 0) === data.rows, {
          message: "rows must be the sum of the parts' rows",
        }),
    ])
    .optional(),
  decision: z
    .discriminatedUnion('rule', [
      z.looseObject({ rule: z.literal('threshold'), threshold: z.number() }),
      z.looseObject({ rule: z.literal('label-output') }),
      z.looseObject({ rule: z.literal('argmax') }),
    ])
    .optional(),
  git: z.looseObject({ sha: z.string(), ref: z.string().optional() }).optional(),
  training: trainingRecordSchema.optional(),
  gate: z
    .looseObject({
      expression: z.string(),
      passed: z.boolean(),
      rules: z.array(
        z.looseObject({
          rule: z.string(),
          metric: z.string(),
          passed: z.boolean(),
          actual: z.number().nullable(),
          threshold: z.number().nullable(),
          reason: z.string().optional(),
        }),
      ),
    })
    .optional(),
  gate_disabled: z.looseObject({ configured: z.string().optional() }).optional(),
  created_at: z.string().optional(),
});

/** The first problems of a document that is not a valid metrics report, as `path: message` lines; empty when it is valid. */
export function metricsReportProblems(value: unknown, max = 3): string[] {
  const parsed = metricsReportSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues
    .slice(0, max)
    .map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
}
