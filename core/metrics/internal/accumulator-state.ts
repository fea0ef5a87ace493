/**
 * The JSON form of a MetricsAccumulator, so shards evaluated apart (matrix jobs, several
 * machines) can be merged exactly. Exact metrics (ROC AUC, average precision) need every row's
 * score, so the state holds the rows themselves: typed arrays as little-endian base64, which is
 * exact (no decimal round trip) and a fraction of the size of JSON numbers (bench/RESULTS.md, "micro").
 */
import { endianness } from 'node:os';
import { z } from 'zod';
import { UserError } from '../../errors.ts';

export const ACCUMULATOR_STATE_FORMAT = 'cairn.metrics-accumulator/v1';

const DTYPES = { int32: Int32Array, float32: Float32Array, float64: Float64Array } as const;
type Dtype = keyof typeof DTYPES;

const encodedArraySchema = z.object({
  dtype: z.enum(['int32', 'float32', 'float64']),
  base64: z.string(),
});

const count = z.number().int().nonnegative();
const tensor = z.object({
  name: z.string(),
  type: z.string(),
  shape: z.array(z.union([z.number(), z.string(), z.null()])),
});

/**
 * Where a shard's rows came from (`cairn evaluate --shard`): what `cairn evaluate merge` checks
 * (same model bytes, task, classes and decision rule; every shard of each data file exactly once)
 * and what the merged metrics.json reports. Absent from a state written by MetricsAccumulator itself.
 */
export const partialSourceSchema = z.object({
  name: z.string().min(1),
  model: z.object({ path: z.string(), sha256: z.string(), inputs: z.array(tensor), outputs: z.array(tensor) }),
  data: z.object({
    path: z.string(),
    sha256: z.string(),
    /** Rows of the whole file; the shard's own rows are the state's `rows`. */
    rows: count,
    target: z.string(),
    features: z.array(z.string()),
    /** Shard `index` of `count` (1-based) holds the file's rows first_row..last_row (1-based, inclusive). */
    shard: z.object({
      index: z.number().int().min(1),
      count: z.number().int().min(1),
      first_row: z.number().int().min(1),
      last_row: z.number().int().min(1),
    }),
  }),
  decision: z
    .discriminatedUnion('rule', [
      z.object({ rule: z.literal('threshold'), threshold: z.number() }),
      z.object({ rule: z.literal('label-output') }),
      z.object({ rule: z.literal('argmax') }),
    ])
    .optional(),
  created_at: z.string().optional(),
});

export const accumulatorStateSchema = z.object({
  format: z.literal(ACCUMULATOR_STATE_FORMAT),
  task: z.enum(['binary', 'multiclass', 'regression']),
  classes: z.array(z.string()),
  rows: z.number().int().nonnegative(),
  y_true: encodedArraySchema,
  y_pred: encodedArraySchema,
  /** Binary: P(positive), one value per row. Multiclass: rows x classes, row-major. */
  proba: encodedArraySchema.nullable(),
  ...partialSourceSchema.partial().shape,
});

export type MetricsAccumulatorState = z.infer<typeof accumulatorStateSchema>;
export type PartialSource = z.infer<typeof partialSourceSchema>;
export type EncodedArray = z.infer<typeof encodedArraySchema>;

function assertLittleEndian(): void {
  // Typed arrays use the host's byte order; every platform Node ships for is little-endian today.
  if (endianness() !== 'LE') throw new Error('metrics accumulator state needs a little-endian host');
}

export function encodeArray(values: Int32Array | Float32Array | Float64Array): EncodedArray {
  assertLittleEndian();
  const dtype: Dtype = values instanceof Int32Array ? 'int32' : values instanceof Float32Array ? 'float32' : 'float64';
  return { dtype, base64: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
}

export function decodeArray(
  encoded: EncodedArray,
  field: string,
  source: string,
): Int32Array | Float32Array | Float64Array {
  assertLittleEndian();
  const bytes = Buffer.from(encoded.base64, 'base64');
  const Type = DTYPES[encoded.dtype];
  if (bytes.length % Type.BYTES_PER_ELEMENT !== 0) {
    throw new UserError(`${source}: "${field}" is not whole ${encoded.dtype} values; regenerate the file with cairn`);
  }
  const values = new Type(bytes.length / Type.BYTES_PER_ELEMENT);
  new Uint8Array(values.buffer).set(bytes); // copy: Buffer's pool offset may be misaligned
  return values;
}

/** Validates an untrusted state (e.g. read from a shard file); `source` names it in errors. */
export function parseAccumulatorState(value: unknown, source: string): MetricsAccumulatorState {
  const parsed = accumulatorStateSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new UserError(
      `${source} is not a cairn metrics accumulator state (${ACCUMULATOR_STATE_FORMAT}): ${path}: ${issue.message}. ` +
        'Pass the JSON that MetricsAccumulator.toJSON() wrote for a shard.',
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
