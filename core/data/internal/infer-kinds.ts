import { parseNumberText } from '../parse-number.ts';
import type { ColumnKind } from '../types.ts';

/**
 * A column is `number` when every sampled cell is a number or missing (a column with only missing
 * cells too: pandas reads it as float64 NaN), `string` as soon as one cell is not.
 */
export function kindOfTextCells(cells: readonly string[]): ColumnKind {
  return cells.every((cell) => parseNumberText(cell).kind !== 'invalid') ? 'number' : 'string';
}

/**
 * Same rule for JSON values: numbers and null / absent count as numeric. Booleans and numeric
 * strings make the column `string`: they are labels, not measurements, in the files we see.
 */
export function kindOfJsonValues(values: readonly unknown[]): ColumnKind {
  return values.every((value) => value === null || value === undefined || typeof value === 'number')
    ? 'number'
    : 'string';
}
