import { UserError } from '../../errors.ts';
import { BatchBuilder, type ColumnPlan } from './batch-builder.ts';
import { missingValueError, notANumberError, numberFromText, type CellPlace } from './cell-errors.ts';
import { FileChunks, openDataFile } from './open-data-file.ts';
import { MAX_COLUMNS, recordTooLong, tooManyColumns } from './record-bounds.ts';
import type { ColumnBatch } from '../types.ts';

export interface JsonlRow {
  value: Record<string, unknown>;
  /** 1-based physical line. */
  line: number;
}

/**
 * The file's JSON objects, one per non-blank line, yielded a chunk at a time. Memory holds one
 * chunk (grown only for a line longer than a chunk). A line that is not a JSON object is a
 * UserError naming the line.
 */
export async function* jsonlRows(path: string, chunkSize = 1 << 20): AsyncGenerator<JsonlRow[]> {
  const { handle } = await openDataFile(path);
  try {
    let line = 1;
    const chunks = new FileChunks(handle, chunkSize, (max) => recordTooLong(path, line, max));
    let start = 0;
    while (!chunks.eof) {
      await chunks.refill(start);
      start = 0;
      const { buffer, filled, eof } = chunks;
      const rows: JsonlRow[] = [];
      for (;;) {
        let end = buffer.indexOf(10, start);
        if (end < 0 || end >= filled) {
          if (!eof || start >= filled) break;
          end = filled;
        }
        let text = buffer.toString('utf8', start, end);
        if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte order mark
        if (text.trim() !== '') rows.push({ value: parseLine(path, text, line), line });
        line++;
        start = Math.min(end + 1, filled);
      }
      if (rows.length > 0) yield rows;
    }
  } finally {
    await handle.close();
  }
}

function parseLine(path: string, text: string, line: number): Record<string, unknown> {
  // Each key takes at least 4 characters ("":0), so only a line this long can name too many.
  if (text.length > MAX_COLUMNS * 4 && topLevelKeys(text, MAX_COLUMNS + 1) > MAX_COLUMNS)
    throw tooManyColumns(`${path} line ${line}`, 'the object has');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${path} line ${line} is not valid JSON (${(error as Error).message}). Each line must hold one JSON object.`,
      {
        cause: error,
      },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(
      `${path} line ${line} is not a JSON object. Each line must hold one object, like {"a": 1, "b": "x"}.`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Keys of the object on a line, counted up to `stop` without parsing it: commas at depth 1 outside
 * strings. JSON.parse of an object with millions of keys takes gigabytes before anything can check it.
 */
function topLevelKeys(text: string, stop: number): number {
  let depth = 0;
  let keys = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // a string: skip to its closing quote
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
    else if (c === 44 && depth === 1 && ++keys >= stop) return keys;
  }
  return keys;
}

/** Streams a JSONL file as column batches; columns absent from a row read as missing. */
export async function* readJsonlBatches(
  path: string,
  plan: ColumnPlan,
  batchSize: number,
  chunkSize?: number,
  skipRows = 0,
): AsyncGenerator<ColumnBatch> {
  const builder = new BatchBuilder(plan, batchSize);
  const { numericNames, textNames, missingAllowed } = plan;
  for await (const rows of jsonlRows(path, chunkSize)) {
    for (const { value, line } of rows) {
      // Each line is still parsed (JSON has no cheaper way to find where an object ends), but no cell is read.
      if (builder.rowsBefore < skipRows) {
        builder.rowsBefore++;
        continue;
      }
      const row = builder.rows;
      const place = (column: string): CellPlace => ({ file: path, row: builder.currentRow, column, line });
      for (let slot = 0; slot < numericNames.length; slot++) {
        const name = numericNames[slot];
        builder.numeric[slot][row] = jsonNumber(
          value[name],
          missingAllowed[slot],
          () => place(name),
          plan.onNotANumber,
        );
      }
      for (let slot = 0; slot < textNames.length; slot++) builder.text[slot][row] = jsonText(value[textNames[slot]]);
      builder.rows++;
      if (builder.full) yield builder.take();
    }
  }
  if (builder.rows > 0) yield builder.take();
  if (builder.rowsBefore === 0)
    throw new UserError(`${path} has no data rows. Add at least one line holding a JSON object.`);
}

/** A JSON value as a number: numbers as they are, true/false as 1/0, numeric strings parsed. */
export function jsonNumber(
  value: unknown,
  missingAllowed: boolean,
  place: () => CellPlace,
  onNotANumber?: (column: string) => void,
): number {
  switch (typeof value) {
    case 'number':
      return value;
    case 'bigint':
      return Number(value);
    case 'boolean':
      return value ? 1 : 0;
    case 'string':
      return numberFromText(value, missingAllowed, place, onNotANumber);
    case 'undefined':
      if (missingAllowed) return NaN;
      throw missingValueError(place());
    default:
      if (value === null) {
        if (missingAllowed) return NaN;
        throw missingValueError(place());
      }
      if (onNotANumber) return (onNotANumber(place().column), NaN);
      throw notANumberError(place(), jsonText(value), missingAllowed);
  }
}

/** A JSON value as text: strings as they are, null/absent as "", anything else as JSON. */
export function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));
  }
  return String(value);
}
