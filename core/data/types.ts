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
  /** Columns to parse as float64; a non-numeric cell is a UserError naming file, row, column and value. Missing cells: see allowMissing. */
  numeric: readonly string[];
  /** Columns to keep as text. */
  text: readonly string[];
  /**
   * Whether a missing value in a numeric column reads as NaN (what pandas does, and what models
   * trained on data with gaps expect) or is a UserError naming the cell. Missing means an empty
   * cell, one of pandas' NA strings (`NA`, `NaN`, `null`, `N/A`, ...), JSON null or an absent key,
   * or a Parquet null. `true` (the default) allows it everywhere, `false` nowhere, a list only in
   * those columns (pass the features, so an empty target cell is an error). Text columns keep
   * the file's text; JSON null, an absent key and a Parquet null read as "".
   */
  allowMissing?: boolean | readonly string[];
  /**
   * Only data rows `start` (0-based) up to `end` (exclusive). Rows before `start` are skipped
   * without reading their cells (CSV: split into fields only; Parquet: their row groups are not
   * decoded; JSONL: each line is still parsed as JSON); reading stops at `end`. `firstRow` stays the
   * row's number in the whole file.
   */
  rows?: { start: number; end: number };
  /**
   * Called, instead of a UserError, for a cell of a numeric column that is neither a number nor
   * missing; the cell then reads as NaN. For a caller that decides a column's kind from all of its
   * cells (core/drift) and would rather hear "this column holds text" than stop the read.
   */
  onNotANumber?: (column: string) => void;
}

export type ColumnKind = 'number' | 'string';

export interface TableSchema {
  format: TableFormat;
  /** Column names in file order. */
  columns: string[];
  /** Kind inferred from a sample of rows: `number` when every sampled non-missing cell parses (Parquet: from its schema). */
  kinds: Record<string, ColumnKind>;
}
