import { UserError } from '../../errors.ts';
import { parseNumberText } from '../parse-number.ts';

/** Where a cell is, for messages: rows count data rows from 1 (the header is not a row). */
export interface CellPlace {
  file: string;
  row: number;
  column: string;
  /** Physical line in a text file (1-based, header included), when the format has lines. */
  line?: number;
}

function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(shown);
}

function where(place: CellPlace): string {
  return `${place.file} row ${place.row}, column "${place.column}"`;
}

function lineNote(place: CellPlace): string {
  return place.line === undefined ? '' : ` (line ${place.line} of the file)`;
}

export function notANumberError(place: CellPlace, value: string, missingAllowed: boolean): UserError {
  const fix = missingAllowed ? 'Fix the value, or leave the cell empty for a missing value.' : 'Fix the value.';
  return new UserError(
    `${where(place)}: ${quote(value)} is not a number${lineNote(place)}. The column is read as numeric. ${fix}`,
  );
}

export function missingValueError(place: CellPlace): UserError {
  return new UserError(
    `${where(place)}: the value is missing${lineNote(place)}, and this column must have a value in every row. Fill it in or drop the row.`,
  );
}

/**
 * A numeric column's value from a cell's text; throws a UserError naming the cell, or, for text that is no number
 * when `onNotANumber` is given, reports the column there and reads NaN.
 */
export function numberFromText(
  text: string,
  missingAllowed: boolean,
  place: () => CellPlace,
  onNotANumber?: (column: string) => void,
): number {
  const parsed = parseNumberText(text);
  if (parsed.kind === 'number') return parsed.value;
  if (parsed.kind === 'missing') {
    if (missingAllowed) return NaN;
    throw missingValueError(place());
  }
  if (onNotANumber) return (onNotANumber(place().column), NaN);
  throw notANumberError(place(), text, missingAllowed);
}
