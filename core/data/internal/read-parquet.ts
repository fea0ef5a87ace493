import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
  type SchemaElement,
} from 'hyparquet';
import { UserError } from '../../errors.ts';
import { BatchBuilder, type ColumnPlan } from './batch-builder.ts';
import { openDataFile } from './open-data-file.ts';
import { jsonNumber, jsonText } from './read-jsonl.ts';
import { MAX_COLUMNS, tooManyColumns } from './record-bounds.ts';
import type { ColumnBatch, ColumnKind } from '../types.ts';

export interface ParquetTable {
  file: AsyncBuffer;
  metadata: FileMetaData;
  columns: string[];
  kinds: Record<string, ColumnKind>;
  rows: number;
}

/** Opens a Parquet file and reads its footer (schema, row groups); no column data yet. */
export async function openParquet(path: string): Promise<ParquetTable> {
  const { handle } = await openDataFile(path); // the same missing / empty / folder messages as other formats
  await handle.close();
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new UserError(
      `${path} is not a readable Parquet file (${(error as Error).message}). Check that it was written as Parquet.`,
      {
        cause: error,
      },
    );
  }
  const fields = parquetSchema(metadata).children.map((child) => child.element);
  if (fields.length > MAX_COLUMNS) throw tooManyColumns(path, 'the schema has');
  const columns = fields.map((field) => field.name);
  const kinds = Object.fromEntries(fields.map((field) => [field.name, kindOf(field)]));
  const rows = Number(metadata.num_rows);
  if (rows === 0) throw new UserError(`${path} has no data rows. Write at least one row to it.`);
  return { file, metadata, columns, kinds, rows };
}

/** Kinds come from the Parquet types, which are exact, rather than from a sample. */
function kindOf(field: SchemaElement): ColumnKind {
  const logical = field.logical_type?.type;
  if (logical === 'DECIMAL' || logical === 'INTEGER' || logical === 'FLOAT16') return 'number';
  if (logical !== undefined || field.converted_type !== undefined || field.num_children) {
    return field.converted_type === 'DECIMAL' ||
      field.converted_type?.startsWith('INT_') ||
      field.converted_type?.startsWith('UINT_')
      ? 'number'
      : 'string';
  }
  return field.type === 'INT32' || field.type === 'INT64' || field.type === 'FLOAT' || field.type === 'DOUBLE'
    ? 'number'
    : 'string';
}

/**
 * Streams a Parquet file as column batches, one row group at a time: memory holds the asked-for
 * columns of one row group (the writer chose its size) plus one batch.
 */
export async function* readParquetBatches(
  path: string,
  table: ParquetTable,
  plan: ColumnPlan,
  batchSize: number,
  skipRows = 0,
): AsyncGenerator<ColumnBatch> {
  const builder = new BatchBuilder(plan, batchSize);
  // Row groups wholly before skipRows are never decoded; the one it falls in is read from there.
  builder.rowsBefore = Math.min(skipRows, table.rows);
  const { numericNames, textNames, missingAllowed } = plan;
  const wanted = [...new Set([...numericNames, ...textNames])];
  let groupStart = 0;
  for (const group of table.metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    const groupEnd = groupStart + groupRows;
    if (groupRows === 0 || wanted.length === 0 || groupEnd <= skipRows) {
      groupStart = groupEnd;
      continue;
    }
    const from = Math.max(groupStart, skipRows);
    const data = new Map<string, ArrayLike<unknown>>();
    await parquetRead({
      file: table.file,
      metadata: table.metadata,
      columns: wanted,
      rowStart: from,
      rowEnd: groupEnd,
      onChunk: ({ columnName, columnData, rowStart }) => {
        // Chunks normally cover the whole group; stitch them if the reader splits one.
        if (rowStart === groupStart && columnData.length >= groupRows) data.set(columnName, columnData);
        else {
          const whole = (data.get(columnName) as unknown[] | undefined) ?? new Array<unknown>(groupRows);
          for (let i = 0; i < columnData.length; i++) {
            const at = rowStart - groupStart + i;
            if (at >= 0 && at < groupRows) whole[at] = columnData[i];
          }
          data.set(columnName, whole);
        }
      },
    });
    const numericData = numericNames.map((name) => data.get(name)!);
    const textData = textNames.map((name) => data.get(name)!);
    for (let i = from - groupStart; i < groupRows; i++) {
      const row = builder.rows;
      for (let slot = 0; slot < numericData.length; slot++) {
        const value = numericData[slot][i];
        builder.numeric[slot][row] =
          typeof value === 'number'
            ? value
            : jsonNumber(
                value,
                missingAllowed[slot],
                () => ({
                  file: path,
                  row: builder.currentRow,
                  column: numericNames[slot],
                }),
                plan.onNotANumber,
              );
      }
      for (let slot = 0; slot < textData.length; slot++) builder.text[slot][row] = jsonText(textData[slot][i]);
      builder.rows++;
      if (builder.full) yield builder.take();
    }
    groupStart = groupEnd;
  }
  if (wanted.length === 0) {
    // No columns asked for: still report the rows, in batches, as for the other formats.
    for (let i = builder.rowsBefore; i < table.rows; i++) {
      builder.rows++;
      if (builder.full) yield builder.take();
    }
  }
  if (builder.rows > 0) yield builder.take();
}
