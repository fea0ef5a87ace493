import { open, stat } from 'node:fs/promises';
import { readTable, type TableSchema } from '../../data/index.ts';
import { NumberSide, TextSide, type DistinctBudget } from './sides.ts';

/** How a column is read: parsed straight to numbers, or counted as text (a categorical column). */
export type ReadMode = 'num' | 'cat';

export interface SideRead {
  rows: number;
  sides: Map<string, NumberSide | TextSide>;
}

/**
 * One pass over a file for a group of columns. CSV/TSV `num` columns go through core/data's number parser (no string
 * per cell); a cell that is no number only marks its column (onNotANumber), the caller reads it again as text. JSONL
 * and Parquet cells come as text and are parsed here, so a JSON `true` stays text, as it always was for drift.
 */
export async function readSide(
  path: string,
  schema: TableSchema,
  modes: ReadonlyMap<string, ReadMode>,
  expectedRows?: number,
  budget?: DistinctBudget,
): Promise<SideRead> {
  const sides = new Map<string, NumberSide | TextSide>();
  const numeric: string[] = [];
  const text: string[] = [];
  for (const [name, mode] of modes) {
    sides.set(name, mode === 'num' ? new NumberSide(expectedRows) : new TextSide(budget));
    (mode === 'num' && schema.format === 'csv' ? numeric : text).push(name);
  }
  const onNotANumber = (column: string) => (sides.get(column) as NumberSide).markNotANumber();
  let rows = 0;
  for await (const batch of readTable(path, schema, { batchSize: 65536, numeric, text, onNotANumber })) {
    rows += batch.length;
    for (const name of numeric) (sides.get(name) as NumberSide).addNumbers(batch.numeric.get(name)!, batch.length);
    for (const name of text) sides.get(name)!.addText(batch.text.get(name)!);
  }
  return { rows, sides };
}

/**
 * What the column values of one group may take, both files together: 160 MiB, so that with Node's own ~60 MB, the
 * read buffers and what the allocator keeps, a 1M × 1M-row comparison stays under 400 MB whatever the column count
 * (10 numeric columns a group at that size).
 */
export const GROUP_BUDGET_BYTES = 160 * 2 ** 20;

/**
 * Rows in a text table, estimated from the share of line ends in its first MiB, with 2% to spare (each numeric side
 * reserves that many values up front). Undefined for Parquet.
 */
async function estimateRows(path: string, schema: TableSchema): Promise<number | undefined> {
  if (schema.format === 'parquet') return undefined;
  const { size } = await stat(path);
  const handle = await open(path, 'r');
  try {
    const sample = Buffer.alloc(Math.min(size, 1 << 20));
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
    let lines = 0;
    for (let i = 0; i < bytesRead; i += 1) if (sample[i] === 10) lines += 1;
    return Math.ceil((1.02 * size * Math.max(lines, 1)) / Math.max(bytesRead, 1)) + 64;
  } finally {
    await handle.close();
  }
}

export interface ReadPlan {
  /** The columns split into groups read together. */
  groups: string[][];
  referenceRows?: number;
  currentRows?: number;
}

/** What one distinct text of a categorical column costs, roughly (see DistinctBudget). */
export const BYTES_PER_DISTINCT_TEXT = 300;

/**
 * Groups whose numbers (8 bytes a value, both files) fit the budget. Text columns are planned like numeric ones, as
 * low-cardinality columns take far less; one whose distinct values outgrow that (a column of IDs) gives up the group's
 * pass through a DistinctBudget, and its columns are read one at a time. Parquet is read a column at a time: a pass reads only
 * that column's pages.
 */
export async function planReads(
  columns: readonly string[],
  reference: { path: string; schema: TableSchema },
  current: { path: string; schema: TableSchema },
  budgetBytes = GROUP_BUDGET_BYTES,
): Promise<ReadPlan> {
  const referenceRows = await estimateRows(reference.path, reference.schema);
  const currentRows = await estimateRows(current.path, current.schema);
  if (columns.length === 0) return { groups: [], referenceRows, currentRows };
  const rows = referenceRows === undefined || currentRows === undefined ? Infinity : referenceRows + currentRows;
  const perGroup = Math.max(1, Math.floor(budgetBytes / (8 * rows)));
  const count = Math.ceil(columns.length / perGroup);
  const size = Math.ceil(columns.length / count);
  const groups = Array.from({ length: count }, (_, i) => columns.slice(i * size, (i + 1) * size));
  return { groups, referenceRows, currentRows };
}
