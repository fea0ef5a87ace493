/** Turns a batch of table columns into onnxruntime input tensors, following an InputPlan. */
import { Tensor } from 'onnxruntime-node';
import { UserError } from '../../errors.ts';
import type { ColumnBatch } from '../../data/index.ts';
import type { ColumnDtype, InputPlan } from './input-mapping.ts';

export type Feeds = Record<string, Tensor>;

export function buildFeeds(plan: InputPlan, batch: ColumnBatch, dataPath: string): Feeds {
  const rows = batch.length;
  if (plan.kind === 'matrix') {
    const width = plan.features.length;
    const values = plan.dtype === 'float32' ? new Float32Array(rows * width) : new Float64Array(rows * width);
    plan.features.forEach((name, j) => {
      const column = numericColumn(batch, name);
      for (let i = 0; i < rows; i++) values[i * width + j] = column[i];
    });
    return { [plan.input]: new Tensor(plan.dtype, values, [rows, width]) };
  }
  const feeds: Feeds = {};
  for (const input of plan.inputs) {
    const dims = input.dims === 2 ? [rows, 1] : [rows];
    feeds[input.name] =
      input.dtype === 'string'
        ? new Tensor('string', textColumn(batch, input.name), dims)
        : new Tensor(
            input.dtype,
            convertColumn(numericColumn(batch, input.name), input.dtype, input.name, batch.firstRow, dataPath),
            dims,
          );
  }
  return feeds;
}

type NumericDtype = Exclude<ColumnDtype, 'string'>;

function convertColumn(column: Float64Array, dtype: NumericDtype, name: string, firstRow: number, dataPath: string) {
  switch (dtype) {
    case 'float64':
      return column;
    case 'float32':
      return Float32Array.from(column);
    case 'int64': {
      const values = new BigInt64Array(column.length);
      for (let i = 0; i < column.length; i++)
        values[i] = BigInt(integerCell(column[i], i, name, firstRow, dataPath, 'an integer'));
      return values;
    }
    case 'int32': {
      const values = new Int32Array(column.length);
      for (let i = 0; i < column.length; i++)
        values[i] = integerCell(column[i], i, name, firstRow, dataPath, 'an integer');
      return values;
    }
    case 'bool': {
      const values = new Uint8Array(column.length);
      for (let i = 0; i < column.length; i++) {
        const value = integerCell(column[i], i, name, firstRow, dataPath, '0 or 1');
        if (value !== 0 && value !== 1) throw cellError(value, i, name, firstRow, dataPath, '0 or 1');
        values[i] = value;
      }
      return values;
    }
  }
}

function integerCell(
  value: number,
  i: number,
  name: string,
  firstRow: number,
  dataPath: string,
  wanted: string,
): number {
  if (!Number.isSafeInteger(value)) throw cellError(value, i, name, firstRow, dataPath, wanted);
  return value;
}

function cellError(
  value: number,
  i: number,
  name: string,
  firstRow: number,
  dataPath: string,
  wanted: string,
): UserError {
  return new UserError(
    `${dataPath} row ${firstRow + i}, column "${name}": ${Number.isNaN(value) ? 'empty' : value} is not ${wanted}, ` +
      `which the model's input "${name}" needs (data rows are numbered from 1, header not counted).`,
  );
}

function numericColumn(batch: ColumnBatch, name: string): Float64Array {
  const column = batch.numeric.get(name);
  // core/data returns every column asked for; a missing one is a bug here, not bad input.
  if (!column) throw new Error(`batch has no numeric column "${name}"`);
  return column;
}

function textColumn(batch: ColumnBatch, name: string): string[] {
  const column = batch.text.get(name);
  if (!column) throw new Error(`batch has no text column "${name}"`);
  return column;
}
