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

/** Test hook: `chunkSize` puts chunk boundaries anywhere (CSV/JSONL). */
export async function* readBatches(
  path: string,
  schema: TableSchema,
  options: ReadOptions,
  chunkSize?: number,
): AsyncGenerator<ColumnBatch> {
  const { format, delimiter } = formatOf(path);
  if (format === 'csv') {
    yield* readCsvBatches(
      path,
      delimiter,
      (header) => planColumns(path, header, options),
      options.batchSize,
      chunkSize,
    );
  } else if (format === 'jsonl') {
    yield* readJsonlBatches(path, planColumns(path, schema.columns, options), options.batchSize, chunkSize);
  } else {
    const table = await openParquet(path);
    yield* readParquetBatches(path, table, planColumns(path, table.columns, options), options.batchSize);
  }
}
