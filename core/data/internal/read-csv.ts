import { UserError } from '../../errors.ts';
import { BatchBuilder, planNoColumns, type ColumnPlan } from './batch-builder.ts';
import { CsvBatchParser } from './csv-batch-parser.ts';
import { CR, LF, parseRecord, skipLineEnd } from './csv-record.ts';
import { checkColumnNames } from './column-names.ts';
import { FileChunks, openDataFile } from './open-data-file.ts';
import { MAX_COLUMNS, recordTooLong, tooManyColumns } from './record-bounds.ts';
import type { ColumnBatch } from '../types.ts';

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
  skipRows = 0,
): AsyncGenerator<ColumnBatch> {
  const separator = delimiter.charCodeAt(0);
  const { handle } = await openDataFile(path);
  try {
    let line = 1;
    // The line the unparsed record starts on: the header's, then the parser's.
    let recordLine = () => line;
    const chunks = new FileChunks(handle, chunkSize, (max) => recordTooLong(path, recordLine(), max));
    let pos = 0;
    const fill = async () => {
      await chunks.refill(pos);
      pos = 0;
    };

    await fill();
    while (chunks.filled < 3 && !chunks.eof) await fill();
    const bom =
      chunks.filled >= 3 && chunks.buffer[0] === 0xef && chunks.buffer[1] === 0xbb && chunks.buffer[2] === 0xbf;
    if (bom) pos = 3;
    let header: string[] | undefined;
    while (header === undefined) {
      const data = chunks.buffer.subarray(0, chunks.filled);
      while (pos < chunks.filled && (data[pos] === LF || data[pos] === CR)) {
        const next = skipLineEnd(data, pos, chunks.filled, chunks.eof);
        if (next < 0) break;
        pos = next;
        line++;
      }
      if (pos >= chunks.filled && chunks.eof) {
        throw new UserError(
          `${path} has no header row (it holds only blank lines). Add a header row naming the columns.`,
        );
      }
      const record = pos < chunks.filled ? parseRecord(data, pos, separator, chunks.eof, MAX_COLUMNS) : undefined;
      if (record === undefined) {
        await fill();
        continue;
      }
      if ('problem' in record) {
        if (record.problem === 'too-many-fields') throw tooManyColumns(path, 'the header names');
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

    const plan = planFor(header);
    if (skipRows > 0) {
      // Skipped rows are split into fields (rows stay rows across quoted line breaks) but no cell is
      // parsed or kept: a builder that fills no column, one "batch" as long as the rows to skip.
      const skipped = new BatchBuilder({ ...plan, ...planNoColumns(header.length) }, skipRows);
      const skipper = new CsvBatchParser(path, separator, skipped, line);
      recordLine = () => skipper.line;
      for (;;) {
        pos = skipper.parse(chunks.buffer.subarray(0, chunks.filled), pos, chunks.eof);
        if (skipped.full || chunks.eof) break;
        await fill();
      }
      line = skipper.line;
      skipRows = skipped.rows;
    }
    const builder = new BatchBuilder(plan, batchSize);
    builder.rowsBefore = skipRows;
    const parser = new CsvBatchParser(path, separator, builder, line);
    recordLine = () => parser.line;
    for (;;) {
      pos = parser.parse(chunks.buffer.subarray(0, chunks.filled), pos, chunks.eof);
      if (builder.full) {
        yield builder.take();
        continue;
      }
      if (chunks.eof) break;
      await fill();
    }
    if (builder.rows > 0) yield builder.take();
    if (builder.rowsBefore === 0 && skipRows === 0) {
      throw new UserError(`${path} has a header row but no data rows. Add at least one row of data.`);
    }
  } finally {
    await handle.close();
  }
}
