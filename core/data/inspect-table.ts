import { UserError } from '../errors.ts';
import { planColumns } from './internal/batch-builder.ts';
import { kindOfJsonValues, kindOfTextCells } from './internal/infer-kinds.ts';
import { readCsvBatches } from './internal/read-csv.ts';
import { jsonlRows } from './internal/read-jsonl.ts';
import { openParquet } from './internal/read-parquet.ts';
import { MAX_COLUMNS, tooManyColumns } from './internal/record-bounds.ts';
import { formatOf } from './internal/table-format.ts';
import type { ColumnKind, TableSchema } from './types.ts';

export const DEFAULT_SAMPLE_ROWS = 1000;

/**
 * The columns of a data file, in file order, and the kind of each: from the Parquet schema, or
 * for CSV / JSONL from the first `sampleRows` rows. A sample can be wrong about a later row; the
 * read then names that cell.
 */
export async function inspectTable(path: string, options: { sampleRows?: number } = {}): Promise<TableSchema> {
  const sampleRows = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  if (!Number.isInteger(sampleRows) || sampleRows < 1) {
    throw new UserError(`sample size must be a whole number of at least 1 (got ${sampleRows})`);
  }
  const { format, delimiter } = formatOf(path);
  if (format === 'parquet') {
    const { columns, kinds } = await openParquet(path);
    return { format, columns, kinds };
  }
  if (format === 'jsonl') return inspectJsonl(path, sampleRows);

  let columns: string[] = [];
  const batches = readCsvBatches(
    path,
    delimiter,
    (header) => planColumns(path, (columns = header), { batchSize: sampleRows, numeric: [], text: header }),
    sampleRows,
  );
  const first = await batches.next();
  await batches.return(undefined);
  const kinds: Record<string, ColumnKind> = {};
  for (const name of columns) kinds[name] = first.done ? 'string' : kindOfTextCells(first.value.text.get(name)!);
  return { format, columns, kinds };
}

async function inspectJsonl(path: string, sampleRows: number): Promise<TableSchema> {
  const values = new Map<string, unknown[]>();
  let seen = 0;
  for await (const rows of jsonlRows(path)) {
    for (const { value } of rows) {
      for (const key of Object.keys(value)) if (!values.has(key)) values.set(key, []);
      if (values.size > MAX_COLUMNS) throw tooManyColumns(path, `the first ${seen + 1} objects have`);
      for (const [key, list] of values) list.push(value[key]);
      if (++seen === sampleRows) break;
    }
    if (seen === sampleRows) break;
  }
  if (seen === 0) throw new UserError(`${path} has no data rows. Add at least one line holding a JSON object.`);
  const columns = [...values.keys()];
  if (columns.length === 0)
    throw new UserError(`${path}: the sampled objects have no keys. Each line needs the columns as keys.`);
  const kinds = Object.fromEntries(columns.map((name) => [name, kindOfJsonValues(values.get(name)!)]));
  return { format: 'jsonl', columns, kinds };
}
