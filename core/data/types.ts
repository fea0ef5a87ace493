/** A batch of rows from a table, stored by column. */
export interface ColumnBatch {
  /** 1-based number of this batch's first data row in the file (header not counted). */
  firstRow: number;
  length: number;
  /** Columns asked for as numeric, parsed. A cell that is not a number is a UserError. */
  numeric: Map<string, Float64Array>;
  /** Every other column asked for, as the file's text (JSONL/Parquet values stringified). */
  text: Map<string, string[]>;
}

export type TableFormat = 'csv' | 'jsonl' | 'parquet';

export interface ReadOptions {
  /** Rows per batch (the last batch may be shorter). */
  batchSize: number;
  /** Columns to parse as float64; a non-numeric cell names file, row and column. Empty cells are NaN only if allowMissing. */
  numeric: readonly string[];
  /** Columns to keep as text. */
  text: readonly string[];
}

export type ColumnKind = 'number' | 'string';

export interface TableSchema {
  format: TableFormat;
  /** Column names in file order. */
  columns: string[];
  /** Kind inferred from a sample of rows: `number` when every sampled non-empty cell parses. */
  kinds: Record<string, ColumnKind>;
}
