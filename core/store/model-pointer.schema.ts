import { z } from 'zod';

export const MODEL_POINTER_SCHEMA = 'cairn.model-pointer/v1';

/**
 * A model version (or a stage) as the store records it: `models/<name>/versions/<version>.json`
 * names the content-addressed object holding the model's bytes.
 */
export interface ModelPointer {
  schema: typeof MODEL_POINTER_SCHEMA;
  /** `name`, or `dir:name` for a monorepo model. */
  name: string;
  /** `v` + semver. */
  version: string;
  /** Hex SHA-256 of the model file. */
  sha256: string;
  size: number;
  /** The object's key in the store: models/<name>/sha256/<xx>/<rest>. */
  key: string;
  /** The file's base name when it was pushed; a pull into a folder writes it under this name. */
  filename: string;
  /** ISO 8601, when the version was pushed. */
  created_at: string;
}

/**
 * Pointers are read back from a remote that others can write, so every field is checked; `filename`
 * becomes a path on disk and must be a plain file name. Unknown keys are dropped, so a newer writer's
 * extra fields do not break an older reader.
 */
export const modelPointerSchema: z.ZodType<ModelPointer> = z.object({
  schema: z.literal(MODEL_POINTER_SCHEMA),
  name: z.string().min(1),
  version: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  key: z.string().min(1),
  filename: z
    .string()
    .min(1)
    .refine((name) => name !== '.' && name !== '..' && !/[/\\\0]/.test(name), 'expected a plain file name'),
  created_at: z.iso.datetime({ offset: true }),
});

/** The first problems of a value that is not a valid pointer, as `field: message`; empty when it is valid. */
export function modelPointerProblems(value: unknown, max = 3): string[] {
  const parsed = modelPointerSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues
    .slice(0, max)
    .map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
}
