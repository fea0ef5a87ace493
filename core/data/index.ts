export { inspectTable } from './inspect-table.ts';
export { countRows, readTable } from './read-table.ts';
export { sha256File } from './sha256-file.ts';
export { MISSING_TOKENS, parseNumberText } from './parse-number.ts';
export type { ColumnBatch, ColumnKind, ReadOptions, TableFormat, TableSchema } from './types.ts';
