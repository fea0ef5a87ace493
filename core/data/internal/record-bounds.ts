import { formatBytes } from '../../byte-size.ts';
import { UserError } from '../../errors.ts';

/**
 * What one table may hold before a reader refuses it: wider tables or longer records than these are
 * not data a model is evaluated on, and past them V8 runs out of memory (a million columns times a
 * sample of rows) or string length (a 400 MB line) and the process dies without a message.
 */
export const MAX_COLUMNS = 100_000;
/** One CSV row or JSONL line, in bytes. */
export const MAX_RECORD_BYTES = 64 << 20;

export function tooManyColumns(path: string, what: string): UserError {
  return new UserError(
    `${path}: ${what} more than ${MAX_COLUMNS.toLocaleString('en-US')} columns, the most Cairn reads. ` +
      'Keep the columns the model needs (select them when you write the file) and try again.',
  );
}

export function recordTooLong(path: string, line: number, maxBytes: number): UserError {
  return new UserError(
    `${path} line ${line}: the record starting there is longer than ${formatBytes(maxBytes)}, the most Cairn reads in one row or line. ` +
      'Check that the file is really CSV/JSONL with one record per line (no missing line ends or unclosed quote), or split the record.',
  );
}
