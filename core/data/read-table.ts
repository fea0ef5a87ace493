import { planColumns } from './internal/batch-builder.ts';
import { readCsvBatches } from './internal/read-csv.ts';
import { readJsonlBatches } from './internal/read-jsonl.ts';
import { openParquet, readParquetBatches } from './internal/read-parquet.ts';
import { formatOf } from './internal/table-format.ts';
import type { ColumnBatch, ReadOptions, TableSchema } from './types.ts';

/**
 * Streams the asked-for columns of a data file in batches of `options.batchSize` rows, in file
 * order, with bounded memory (a file larger than memory works). The format comes from the file's
 * extension; for JSONL, `schema.columns` (from `inspectTable`) are the columns that may be asked for.
 * Errors (UserError for bad data, naming file, row and column) surface while iterating.
 */
export function readTable(path: string, schema: TableSchema, options: ReadOptions): AsyncIterable<ColumnBatch> {
  return readBatches(path, schema, options);
}

/**
 * The number of data rows in a file: Parquet's footer says it; CSV and JSONL are read through
 * once without keeping any cell (what a sharded evaluation needs before it can cut the rows).
 */
export async function countRows(path: string, schema: TableSchema): Promise<number> {
  if (schema.format === 'parquet') return (await openParquet(path)).rows;
  let rows = 0;
  for await (const batch of readBatches(path, schema, { batchSize: 1 << 16, numeric: [], text: [] }))
    rows += batch.length;
  return rows;
}

/** Test hook: `chunkSize` puts chunk boundaries anywhere (CSV/JSONL). */
export async function* readBatches(
  path: string,
  schema: TableSchema,
  options: ReadOptions,
  chunkSize?: number,
): AsyncGenerator<ColumnBatch> {
  const range = options.rows;
  if (range === undefined) {
    yield* readFormat(path, schema, options, chunkSize, 0);
    return;
  }
  if (!(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.end >= range.start))
    throw new RangeError(`row range must be whole numbers with 0 <= start <= end, got ${range.start}..${range.end}`);
  if (range.end === range.start) return;
  // Returning from the loop closes the reader (and its file) without reading the rows after `end`.
  for await (const batch of readFormat(path, schema, options, chunkSize, range.start)) {
    const left = range.end - (batch.firstRow - 1);
    if (left <= 0) return;
    if (batch.length <= left) yield batch;
    else {
      yield sliceBatch(batch, left);
      return;
    }
  }
}

function readFormat(
  path: string,
  schema: TableSchema,
  options: ReadOptions,
  chunkSize: number | undefined,
  skipRows: number,
): AsyncGenerator<ColumnBatch> {
  const { format, delimiter } = formatOf(path);
  if (format === 'csv')
    return readCsvBatches(
      path,
      delimiter,
      (header) => planColumns(path, header, options),
      options.batchSize,
      chunkSize,
      skipRows,
    );
  if (format === 'jsonl')
    return readJsonlBatches(path, planColumns(path, schema.columns, options), options.batchSize, chunkSize, skipRows);
  return (async function* () {
    const table = await openParquet(path);
    yield* readParquetBatches(path, table, planColumns(path, table.columns, options), options.batchSize, skipRows);
  })();
}

/** The first `length` rows of a batch. */
function sliceBatch(batch: ColumnBatch, length: number): ColumnBatch {
  const numeric = new Map([...batch.numeric].map(([name, values]) => [name, values.subarray(0, length)]));
  const text = new Map([...batch.text].map(([name, values]) => [name, values.slice(0, length)]));
  return { firstRow: batch.firstRow, length, numeric, text };
}
