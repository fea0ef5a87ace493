import { UserError } from '../../errors.ts';
import type { BatchBuilder } from './batch-builder.ts';
import { missingValueError, numberFromText, type CellPlace } from './cell-errors.ts';
import { CR, decodeQuoted, findClosingQuote, findFieldEnd, LF, QUOTE, quoteScan, skipLineEnd } from './csv-record.ts';
import { numberScan, scanNumber } from '../parse-number.ts';

/**
 * Parses CSV data rows straight into a BatchBuilder's column arrays. The hot path is an unquoted
 * numeric cell: `scanNumber` reads it in the same pass that finds where it ends, so no string is
 * made per cell. Rows are all-or-nothing: when a chunk ends inside a row, `parse` returns that
 * row's start and the caller comes back with the rest of it appended.
 */
export class CsvBatchParser {
  /** 1-based line of the next byte to parse, counting the header and blank lines. */
  line: number;
  private readonly ncols: number;

  constructor(
    private readonly file: string,
    private readonly delimiter: number,
    private readonly batch: BatchBuilder,
    firstDataLine: number,
  ) {
    this.line = firstDataLine;
    this.ncols = batch.plan.columns.length;
  }

  /**
   * Parses rows from `data[pos..]` until the batch is full or the data runs out, and returns the
   * position after the last whole row. `eof` says no more bytes follow `data`.
   */
  parse(data: Buffer, pos: number, eof: boolean): number {
    const end = data.length;
    const delimiter = this.delimiter;
    const ncols = this.ncols;
    const batch = this.batch;
    const { numericSlot, textSlot, missingAllowed, onNotANumber } = batch.plan;
    const numeric = batch.numeric;
    const text = batch.text;
    let line = this.line;
    let row = batch.rows;
    const capacity = batch.capacity;
    // Position and line after the last whole row (or blank line): where to resume.
    let committed = pos;

    rows: while (row < capacity && pos < end) {
      const rowLine = line;
      const first = data[pos];
      if (first === LF || first === CR) {
        // A blank line is skipped, as pandas does; it is not a row.
        const next = skipLineEnd(data, pos, end, eof);
        if (next < 0) break;
        pos = committed = next;
        this.line = ++line;
        continue;
      }
      let col = 0;
      for (;;) {
        const numericTarget = col < ncols ? numericSlot[col] : -1;
        const textTarget = col < ncols ? textSlot[col] : -1;
        let fieldEnd: number;
        if (pos < end && data[pos] === QUOTE) {
          const close = findClosingQuote(data, pos + 1, end);
          if (close < 0) {
            if (!eof) break rows;
            throw this.unclosedQuote(row, col, rowLine);
          }
          fieldEnd = close + 1;
          if (fieldEnd >= end && !eof) break rows;
          line += quoteScan.newlines;
          if (fieldEnd < end) {
            const after = data[fieldEnd];
            if (after !== delimiter && after !== LF && after !== CR) throw this.textAfterQuote(row, col, rowLine);
          }
          if (numericTarget >= 0 || textTarget >= 0) {
            const value = decodeQuoted(data, pos + 1, close, quoteScan.escaped);
            if (numericTarget >= 0) {
              numeric[numericTarget][row] = numberFromText(
                value,
                missingAllowed[numericTarget],
                () => this.place(row, col, rowLine),
                onNotANumber,
              );
            }
            if (textTarget >= 0) text[textTarget][row] = value;
          }
        } else {
          let value = NaN;
          let after = -1;
          if (numericTarget >= 0) {
            value = scanNumber(data, pos, end);
            fieldEnd = numberScan.end;
          } else {
            fieldEnd = pos;
          }
          // -1 stands for "the data ends here".
          if (value === value) after = fieldEnd < end ? data[fieldEnd] : -1;
          if (value !== value || (after !== delimiter && after !== LF && after !== CR && after !== -1)) {
            fieldEnd = findFieldEnd(data, pos, end, delimiter);
            after = fieldEnd < end ? data[fieldEnd] : -1;
            if (after === -1 && !eof) break rows;
            if (numericTarget >= 0) {
              value =
                fieldEnd === pos
                  ? this.emptyCell(missingAllowed[numericTarget], row, col, rowLine)
                  : numberFromText(
                      data.toString('utf8', pos, fieldEnd),
                      missingAllowed[numericTarget],
                      () => this.place(row, col, rowLine),
                      onNotANumber,
                    );
            }
          } else if (after === -1 && !eof) {
            break rows;
          }
          if (numericTarget >= 0) numeric[numericTarget][row] = value;
          if (textTarget >= 0) text[textTarget][row] = data.toString('utf8', pos, fieldEnd);
        }
        if (fieldEnd >= end) {
          pos = end;
          line++;
          break;
        }
        if (data[fieldEnd] === delimiter) {
          pos = fieldEnd + 1;
          col++;
          continue;
        }
        const next = skipLineEnd(data, fieldEnd, end, eof);
        if (next < 0) break rows;
        pos = next;
        line++;
        break;
      }
      if (col + 1 !== ncols) throw this.ragged(row, col + 1, rowLine);
      batch.rows = ++row;
      this.line = line;
      committed = pos;
    }
    // A row cut off by the end of the data is parsed again, whole, on the next call.
    return committed;
  }

  private emptyCell(missingAllowed: boolean, row: number, col: number, line: number): number {
    if (missingAllowed) return NaN;
    throw missingValueError(this.place(row, col, line));
  }

  private place(row: number, col: number, line: number): CellPlace {
    return { file: this.file, row: this.batch.rowsBefore + row + 1, column: this.batch.plan.columns[col], line };
  }

  private where(row: number, line: number): string {
    return `${this.file} row ${this.batch.rowsBefore + row + 1} (line ${line} of the file)`;
  }

  private ragged(row: number, fields: number, line: number): UserError {
    return new UserError(
      `${this.where(row, line)} has ${fields} field${fields === 1 ? '' : 's'}, but the header has ${this.ncols} columns. ` +
        `Every row needs one value per column: remove the extra separators or add the missing values, and quote values that contain "${String.fromCharCode(this.delimiter)}".`,
    );
  }

  private unclosedQuote(row: number, col: number, line: number): UserError {
    return new UserError(
      `${this.where(row, line)}, column "${this.batch.plan.columns[col] ?? col + 1}": a quoted value is never closed. ` +
        'Add the closing quote, and write a quote inside a quoted value as two quotes ("").',
    );
  }

  private textAfterQuote(row: number, col: number, line: number): UserError {
    return new UserError(
      `${this.where(row, line)}, column "${this.batch.plan.columns[col] ?? col + 1}": text follows the closing quote of a quoted value. ` +
        'Write a quote inside a quoted value as two quotes (""), or quote the whole value.',
    );
  }
}
