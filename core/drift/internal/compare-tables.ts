import { inspectTable, readTable, type TableSchema } from '../../data/index.ts';
import { UserError } from '../../errors.ts';
import { DRIFT_REPORT_SCHEMA, type DriftReport } from '../drift-report.schema.ts';
import { columnDrift, datasetDrift, type ColumnDrift, type SkippedColumn } from './column.ts';
import { TEST_THRESHOLDS, type DriftTest } from './tests.ts';

export interface CompareTablesOptions {
  reference: { path: string; shown: string };
  current: { path: string; shown: string };
  /** Default: every reference column. */
  columns?: readonly string[];
  tests?: ReadonlyMap<string, DriftTest>;
  thresholds?: ReadonlyMap<string, number>;
  /** Share of drifted columns that makes the dataset drift (Evidently's 0.5). */
  share?: number;
}

export function isDriftTest(name: string): name is DriftTest {
  return Object.hasOwn(TEST_THRESHOLDS, name);
}

/** Every cell of the asked-for columns as the file's text: columnDrift drops the missing ones and decides the kind. */
async function readColumns(path: string, schema: TableSchema, columns: readonly string[]) {
  const cells = new Map(columns.map((name) => [name, [] as string[]]));
  let rows = 0;
  for await (const batch of readTable(path, schema, { batchSize: 65536, numeric: [], text: columns })) {
    rows += batch.length;
    for (const name of columns) {
      const column = cells.get(name)!;
      for (const cell of batch.text.get(name)!) column.push(cell);
    }
  }
  return { rows, cells };
}

/**
 * The drift report for two tables. Every named column is checked against both files before any is read, so a typo
 * costs no read of a large file. Keeps the asked-for columns of both files as text in memory.
 */
export async function compareTables(options: CompareTablesOptions): Promise<DriftReport> {
  const [referenceSchema, currentSchema] = await Promise.all([
    inspectTable(options.reference.path),
    inspectTable(options.current.path),
  ]);
  const columns = options.columns ?? referenceSchema.columns;
  const named = [...columns, ...(options.tests?.keys() ?? []), ...(options.thresholds?.keys() ?? [])];
  for (const name of named) {
    for (const [side, schema, shown] of [
      ['reference', referenceSchema, options.reference.shown],
      ['current', currentSchema, options.current.shown],
    ] as const) {
      if (!schema.columns.includes(name))
        throw new UserError(
          `column "${name}" is not in the ${side} data ${shown}; its columns are: ${schema.columns.join(', ')}.`,
        );
    }
    if (!columns.includes(name))
      throw new UserError(`column "${name}" has a --test or --threshold but is not in --columns; add it there.`);
  }
  const reference = await readColumns(options.reference.path, referenceSchema, columns);
  const current = await readColumns(options.current.path, currentSchema, columns);
  const drifts: ColumnDrift[] = [];
  const skipped: SkippedColumn[] = [];
  for (const name of columns) {
    const result = columnDrift(name, reference.cells.get(name)!, current.cells.get(name)!, {
      test: options.tests?.get(name),
      threshold: options.thresholds?.get(name),
    });
    if (!('kind' in result)) skipped.push(result);
    else drifts.push(result);
  }
  return {
    schema: DRIFT_REPORT_SCHEMA,
    reference: { path: options.reference.shown, rows: reference.rows },
    current: { path: options.current.shown, rows: current.rows },
    columns: drifts,
    skipped,
    dataset: datasetDrift(drifts, options.share),
  };
}
