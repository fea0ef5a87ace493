/**
 * RFC 4180 pieces shared by the header reader and the batch parser: quoted fields (with `""` for a
 * quote inside), LF / CRLF / CR line ends. Work on bytes so that a chunk boundary can fall anywhere:
 * a function that runs out of data says so and the caller retries with more.
 */

export const QUOTE = 34;
export const LF = 10;
export const CR = 13;

/** Side results of `findClosingQuote` (kept out of the return value so the hot path allocates nothing). */
export const quoteScan = { escaped: false, newlines: 0 };

/**
 * Index of the quote that closes a quoted field whose content starts at `start`, or -1 if the data
 * ends first. A quote in the last byte is returned as closing; the caller treats a field that ends
 * at the end of the data as incomplete unless the file ended, so a `""` split across chunks is safe.
 */
export function findClosingQuote(data: Uint8Array, start: number, end: number): number {
  let escaped = false;
  let newlines = 0;
  for (let i = start; i < end; i++) {
    const c = data[i];
    if (c === QUOTE) {
      if (i + 1 < end && data[i + 1] === QUOTE) {
        escaped = true;
        i++;
        continue;
      }
      quoteScan.escaped = escaped;
      quoteScan.newlines = newlines;
      return i;
    }
    if (c === LF) newlines++;
  }
  return -1;
}

export function decodeQuoted(data: Buffer, start: number, close: number, escaped: boolean): string {
  const text = data.toString('utf8', start, close);
  return escaped ? text.replaceAll('""', '"') : text;
}

/** End of an unquoted field: the first delimiter, CR or LF at or after `start`, else `end`. */
export function findFieldEnd(data: Uint8Array, start: number, end: number, delimiter: number): number {
  let i = start;
  while (i < end) {
    const c = data[i];
    if (c === delimiter || c === LF || c === CR) break;
    i++;
  }
  return i;
}

/** Position after the line end at `at` (LF, CRLF or CR), or -1 when a CR is the last byte and more may come. */
export function skipLineEnd(data: Uint8Array, at: number, end: number, eof: boolean): number {
  if (data[at] === LF) return at + 1;
  if (at + 1 < end) return data[at + 1] === LF ? at + 2 : at + 1;
  return eof ? at + 1 : -1;
}

export interface CsvRecord {
  fields: string[];
  /** Position after the record's line end. */
  next: number;
  /** Line ends consumed, including those inside quoted fields. */
  lines: number;
}

export type RecordProblem =
  { problem: 'unclosed-quote' } | { problem: 'text-after-quote'; field: number } | { problem: 'too-many-fields' };

/**
 * One whole record as strings (used for the header, where speed does not matter). `undefined`
 * when the data ends inside the record and more may come. Past `maxFields` fields it stops, before
 * a header of commas makes millions of strings.
 */
export function parseRecord(
  data: Buffer,
  pos: number,
  delimiter: number,
  eof: boolean,
  maxFields = Infinity,
): CsvRecord | RecordProblem | undefined {
  const end = data.length;
  const fields: string[] = [];
  let lines = 0;
  for (;;) {
    if (fields.length >= maxFields) return { problem: 'too-many-fields' };
    let fieldEnd: number;
    if (pos < end && data[pos] === QUOTE) {
      const close = findClosingQuote(data, pos + 1, end);
      if (close < 0) return eof ? { problem: 'unclosed-quote' } : undefined;
      fields.push(decodeQuoted(data, pos + 1, close, quoteScan.escaped));
      lines += quoteScan.newlines;
      fieldEnd = close + 1;
      if (fieldEnd < end && data[fieldEnd] !== delimiter && data[fieldEnd] !== LF && data[fieldEnd] !== CR) {
        return { problem: 'text-after-quote', field: fields.length - 1 };
      }
    } else {
      fieldEnd = findFieldEnd(data, pos, end, delimiter);
      fields.push(data.toString('utf8', pos, fieldEnd));
    }
    if (fieldEnd >= end) return eof ? { fields, next: end, lines: lines + 1 } : undefined;
    if (data[fieldEnd] === delimiter) {
      pos = fieldEnd + 1;
      continue;
    }
    const next = skipLineEnd(data, fieldEnd, end, eof);
    return next < 0 ? undefined : { fields, next, lines: lines + 1 };
  }
}
