import { UserError } from '../errors.ts';
import { BatchBuilder, type ColumnPlan } from './batch-builder.ts';
import { CsvBatchParser } from './csv-batch-parser.ts';
import { CR, LF, parseRecord, skipLineEnd } from './csv-record.ts';
import { checkColumnNames } from './column-names.ts';
import { openDataFile, readInto } from './open-data-file.ts';
import type { ColumnBatch } from './types.ts';

/**
 * 1 MiB reads: large enough that system calls and the copy of a cut-off row at each chunk end cost
 * nothing, small enough to stay in cache. Tests pass tiny sizes to put chunk ends everywhere.
 */
export const DEFAULT_CHUNK_SIZE = 1 << 20;

/**
 * Streams a CSV/TSV file as column batches. Memory holds one chunk (grown only for a row longer
 * than a chunk) plus one batch. `planFor` receives the header and says which columns to fill.
 * Throws a UserError for a file with no header or no data rows.
 */
export async function* readCsvBatches(
  path: string,
  delimiter: ',' | '\t',
  planFor: (columns: string[]) => ColumnPlan,
  batchSize: number,
  chunkSize = DEFAULT_CHUNK_SIZE,
): AsyncGenerator<ColumnBatch> {
  const separator = delimiter.charCodeAt(0);
  const { handle } = await openDataFile(path);
  try {
    let buffer = Buffer.allocUnsafe(chunkSize);
    let filled = 0;
    let pos = 0;
    let eof = false;
    // Keeps the unparsed tail, appends the next chunk of the file after it.
    const fill = async () => {
      if (pos > 0) {
        buffer.copy(buffer, 0, pos, filled);
        filled -= pos;
        pos = 0;
      } else if (filled === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
      }
      filled += await readInto(handle, buffer, filled);
      eof = filled < buffer.length;
    };

    await fill();
    while (filled < 3 && !eof) await fill();
    if (filled >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) pos = 3; // UTF-8 byte order mark
    let line = 1;
    let header: string[] | undefined;
    while (header === undefined) {
      const data = buffer.subarray(0, filled);
      while (pos < filled && (data[pos] === LF || data[pos] === CR)) {
        const next = skipLineEnd(data, pos, filled, eof);
        if (next < 0) break;
        pos = next;
        line++;
      }
      if (pos >= filled && eof) {
        throw new UserError(`${path} has no header row (it holds only blank lines). Add a header row naming the columns.`);
      }
      const record = pos < filled ? parseRecord(data, pos, separator, eof) : undefined;
      if (record === undefined) {
        await fill();
        continue;
      }
      if ('problem' in record) {
        throw new UserError(
          record.problem === 'unclosed-quote'
            ? `${path} line ${line}: the header has a quoted name that is never closed. Add the closing quote.`
            : `${path} line ${line}: text follows the closing quote of header name ${record.field + 1}. Quote the whole name.`,
        );
      }
      header = checkColumnNames(path, record.fields);
      pos = record.next;
      line += record.lines;
    }

    const builder = new BatchBuilder(planFor(header), batchSize);
    const parser = new CsvBatchParser(path, separator, builder, line);
    for (;;) {
      pos = parser.parse(buffer.subarray(0, filled), pos, eof);
      if (builder.full) {
        yield builder.take();
        continue;
      }
      if (eof) break;
      await fill();
    }
    if (builder.rows > 0) yield builder.take();
    if (builder.rowsBefore === 0) {
      throw new UserError(`${path} has a header row but no data rows. Add at least one row of data.`);
    }
  } finally {
    await handle.close();
  }
}
