/**
 * How table columns become model inputs (DESIGN.md "Model conventions"):
 * - one input per column, fed by name with the input's own dtype, when the model has several
 *   inputs or its inputs are all named after data columns (skl2onnx on a DataFrame);
 * - otherwise one `[N, F]` float input that takes the feature columns in file order, or in the
 *   order of --features.
 */
import { UserError } from '../../errors.ts';
import type { TableSchema } from '../../data/index.ts';
import { fixedDim, type ValueInfo } from './model-session.ts';

export type MatrixDtype = 'float32' | 'float64';
export type ColumnDtype = MatrixDtype | 'int64' | 'int32' | 'bool' | 'string';

export interface MatrixInputPlan {
  kind: 'matrix';
  input: string;
  dtype: MatrixDtype;
  features: string[];
}

export interface ColumnInputPlan {
  kind: 'by-name';
  inputs: Array<{ name: string; dtype: ColumnDtype; dims: 1 | 2 }>;
}

export type InputPlan = MatrixInputPlan | ColumnInputPlan;

export interface InputContext {
  modelPath: string;
  dataPath: string;
  target: string;
  /** --features, when given. */
  features?: readonly string[];
  /** How messages name where `features` came from: `--features` (the default), `features:`, `models.<m>.features in FILE`. */
  featuresFrom?: string;
}

const COLUMN_DTYPES: ReadonlySet<string> = new Set(['float32', 'float64', 'int64', 'int32', 'bool', 'string']);

export function planInputs(inputs: readonly ValueInfo[], schema: TableSchema, context: InputContext): InputPlan {
  const { modelPath, dataPath, target } = context;
  if (inputs.length === 0)
    throw new UserError(`${modelPath} declares no inputs; it cannot be evaluated on ${dataPath}.`);
  const columns = new Set(schema.columns);
  if (context.features) checkFeatureNames(context.features, schema, context);

  const byName = inputs.length > 1 || inputs.every((input) => columns.has(input.name) && input.name !== target);
  return byName ? planByName(inputs, schema, context) : planMatrix(inputs[0], schema, context);
}

function checkFeatureNames(
  features: readonly string[],
  schema: TableSchema,
  { dataPath, target, featuresFrom: from = '--features' }: InputContext,
): void {
  const unknown = features.filter((name) => !schema.columns.includes(name));
  if (unknown.length > 0) {
    throw new UserError(
      `${from} names ${quoteList(unknown)}, not columns of ${dataPath}. Available columns: ${quoteList(schema.columns)}.`,
    );
  }
  if (features.includes(target))
    throw new UserError(`${from} includes the target column "${target}"; leave it out of ${from}.`);
  const repeated = features.filter((name, i) => features.indexOf(name) !== i);
  if (repeated.length > 0) throw new UserError(`${from} lists ${quoteList([...new Set(repeated)])} more than once.`);
}

function planMatrix(input: ValueInfo, schema: TableSchema, context: InputContext): MatrixInputPlan {
  const { modelPath, dataPath, target } = context;
  const rank = input.shape?.length;
  if (!input.isTensor || (input.type !== 'float32' && input.type !== 'float64') || rank !== 2) {
    throw new UserError(
      `${modelPath} input "${input.name}" is ${describe(input)}; Cairn feeds a single input as a float [N, features] matrix, ` +
        `or inputs named after columns of ${dataPath} (${quoteList(schema.columns)}) one column each.`,
    );
  }
  const features = context.features ? [...context.features] : schema.columns.filter((name) => name !== target);
  const expected = fixedDim(input, 1);
  if (expected !== undefined && expected !== features.length) {
    const from = context.featuresFrom ?? '--features';
    const source = context.features ? `from ${from}` : `every column of ${dataPath} except the target "${target}"`;
    throw new UserError(
      (option) =>
        `${modelPath} input "${input.name}" expects ${expected} features ([N, ${expected}]), but ${features.length} ${features.length === 1 ? 'was' : 'were'} given ` +
        `(${source}): ${quoteList(features)}. ${context.features ? `Make ${from} list` : `Pass ${option('features')} with`} the ${expected} columns the model was trained on, in training order.`,
    );
  }
  if (features.length === 0) throw new UserError(`${dataPath} has no feature columns besides the target "${target}".`);
  return { kind: 'matrix', input: input.name, dtype: input.type, features };
}

function planByName(inputs: readonly ValueInfo[], schema: TableSchema, context: InputContext): ColumnInputPlan {
  const { modelPath, dataPath, target } = context;
  const missing = inputs.filter((input) => !schema.columns.includes(input.name)).map((input) => input.name);
  if (missing.length > 0) {
    throw new UserError(
      `${modelPath} takes one input per column, fed by name, but ${dataPath} has no column named ${quoteList(missing)}. ` +
        `Available columns: ${quoteList(schema.columns)}.`,
    );
  }
  if (inputs.some((input) => input.name === target)) {
    throw new UserError(
      (option) =>
        `${modelPath} has an input named after the target column "${target}"; pass the right ${option('target')}.`,
    );
  }
  if (context.features) {
    const names = inputs.map((input) => input.name);
    if (context.features.length !== names.length || !names.every((name) => context.features!.includes(name))) {
      throw new UserError(
        `${modelPath} takes its inputs by name (${quoteList(names)}); ${context.featuresFrom ?? '--features'} must list those columns or be left out.`,
      );
    }
  }
  return {
    kind: 'by-name',
    inputs: inputs.map((input) => {
      const dims = input.shape?.length;
      const width = fixedDim(input, 1);
      if (
        !input.isTensor ||
        !COLUMN_DTYPES.has(input.type ?? '') ||
        (dims !== 1 && dims !== 2) ||
        (dims === 2 && width !== undefined && width !== 1)
      ) {
        throw new UserError(
          `${modelPath} input "${input.name}" is ${describe(input)}; a per-column input must be [N] or [N, 1] of float, double, int32, int64, bool or string.`,
        );
      }
      return { name: input.name, dtype: input.type as ColumnDtype, dims };
    }),
  };
}

/** Which columns to ask core/data for, and how. */
export function columnsToRead(plan: InputPlan): { numeric: string[]; text: string[] } {
  if (plan.kind === 'matrix') return { numeric: plan.features, text: [] };
  return {
    numeric: plan.inputs.filter((input) => input.dtype !== 'string').map((input) => input.name),
    text: plan.inputs.filter((input) => input.dtype === 'string').map((input) => input.name),
  };
}

function describe(input: ValueInfo): string {
  if (!input.isTensor) return 'not a tensor';
  return `${input.type} [${(input.shape ?? []).map((dim) => (dim === '' ? 'N' : dim)).join(', ')}]`;
}

/** Names shown in a message before the rest are counted: a 100,000-column file must not make a 1 MB error. */
const LISTED_NAMES = 20;

export function quoteList(names: readonly string[]): string {
  const shown = names
    .slice(0, LISTED_NAMES)
    .map((name) => `"${name}"`)
    .join(', ');
  return names.length > LISTED_NAMES ? `${shown} and ${names.length - LISTED_NAMES} more` : shown;
}
