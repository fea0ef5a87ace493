import { open, stat } from 'node:fs/promises';
import { readTable, type TableSchema } from '../../data/index.ts';
import { NumberSide, TextSide } from './sides.ts';

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
export async function readSide(path: string, schema: TableSchema, modes: ReadonlyMap<string, ReadMode>) {
  const sides = new Map<string, NumberSide | TextSide>();
  const numeric: string[] = [];
  const text: string[] = [];
  for (const [name, mode] of modes) {
    sides.set(name, mode === 'num' ? new NumberSide() : new TextSide());
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
 * What the column values of one group may take, both files together: 256 MiB, so that with Node's own ~60 MB and the
 * read buffers a 1M × 1M-row comparison stays under 400 MB whatever the column count.
 */
export const GROUP_BUDGET_BYTES = 256 * 2 ** 20;

/** Rows in a text table, estimated from the share of line ends in its first MiB (rounded up, never below 1). */
async function estimateRows(path: string): Promise<number> {
  const { size } = await stat(path);
  const handle = await open(path, 'r');
  try {
    const sample = Buffer.alloc(Math.min(size, 1 << 20));
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
    let lines = 0;
    for (let i = 0; i < bytesRead; i += 1) if (sample[i] === 10) lines += 1;
    return Math.max(1, Math.ceil((size * Math.max(lines, 1)) / Math.max(bytesRead, 1)));
  } finally {
    await handle.close();
  }
}

/**
 * The columns split into groups read together, each group's numbers (8 bytes a value, both files) within the budget.
 * Text columns count like numeric ones: their memory grows with distinct values, at most one entry per row. Parquet
 * is read a column at a time: a pass reads only that column's pages.
 */
export async function columnGroups(
  columns: readonly string[],
  reference: { path: string; schema: TableSchema },
  current: { path: string; schema: TableSchema },
  budgetBytes = GROUP_BUDGET_BYTES,
): Promise<string[][]> {
  if (columns.length === 0) return [];
  let perGroup = 1;
  if (reference.schema.format !== 'parquet' && current.schema.format !== 'parquet') {
    const rows = (await estimateRows(reference.path)) + (await estimateRows(current.path));
    perGroup = Math.max(1, Math.floor(budgetBytes / (8 * rows)));
  }
  const count = Math.ceil(columns.length / perGroup);
  const size = Math.ceil(columns.length / count);
  return Array.from({ length: count }, (_, i) => columns.slice(i * size, (i + 1) * size)).filter((g) => g.length > 0);
}
