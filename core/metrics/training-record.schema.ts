import { z } from 'zod';

/** `cairn train`'s record; metrics.json carries it as `training` (`cairn evaluate --training-record`). */
export const TRAINING_RECORD_SCHEMA = 'cairn.training/v1';

const json: z.ZodType<unknown> = z.unknown();

const gpuProbe = z.object({
  count: z.number().int().nonnegative(),
  driver_version: z.string().nullable(),
  cuda_version: z.string().nullable(),
  devices: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      name: z.string(),
      uuid: z.string(),
      memory_total_mib: z.number().nonnegative(),
      compute_capability: z.string().nullable(),
    }),
  ),
  labels: z.array(z.string()),
  reason: z.string().optional(),
});

/**
 * What one training run was: how it ended, what it ran on, what went in (params, data versions,
 * commit) and what came out (metrics, model). Read back by `cairn evaluate --training-record`, from
 * files a workflow passes around, so every field is checked; unknown keys are dropped.
 */
export const trainingRecordSchema = z.object({
  schema: z.literal(TRAINING_RECORD_SCHEMA),
  status: z.enum(['succeeded', 'failed', 'cancelled', 'timed_out']),
  /** The command's own exit code; null when a signal ended it. */
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
  command: z.array(z.string()).min(1),
  started_at: z.iso.datetime({ offset: true }),
  finished_at: z.iso.datetime({ offset: true }),
  duration_s: z.number().nonnegative(),
  /** The probe, or null with --gpu none. */
  gpu: gpuProbe.nullable(),
  telemetry: z.object({
    interval_s: z.number().nonnegative(),
    samples: z.number().int().nonnegative(),
    peak_rss_mb: z.number().nonnegative(),
    gpus: z.array(
      z.object({
        index: z.number().int().nonnegative(),
        peak_memory_mib: z.number().nonnegative(),
        mean_utilization_pct: z.number().nonnegative(),
      }),
    ),
  }),
  params: json.nullable(),
  metrics: json.nullable(),
  model: z
    .object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })
    .nullable(),
  data: z.array(z.object({ path: z.string(), md5: z.string() })),
  git: z.object({ sha: z.string(), ref: z.string().nullable() }).nullable(),
  runner: z.object({
    name: z.string(),
    os: z.string(),
    arch: z.string(),
    /** The labels `cairn runner` registered this machine with; null when it does not run under `cairn runner`. */
    labels: z.array(z.string()).nullable(),
  }),
});

export type TrainingRecord = z.infer<typeof trainingRecordSchema>;
export type GpuProbeRecord = z.infer<typeof gpuProbe>;

/** The first problems of a value that is not a valid record, as `field: message`; empty when it is valid. */
export function trainingRecordProblems(value: unknown, max = 3): string[] {
  const parsed = trainingRecordSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues
    .slice(0, max)
    .map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
}
