import { parseNumberText } from '../../data/index.ts';
import { tallyCounts, type Value } from './categorical.ts';
import { populationStd } from './distances.ts';
import { sortFloat64, type SortScratch } from './sort-float64.ts';

/**
 * One side of a column read as numbers: its finite values, in one array sized from the expected row count (so the
 * values are neither copied nor left behind as garbage when reading ends; a wrong guess only costs a regrowth). A cell
 * that is no number makes the column categorical; the side then drops what it held (the column is read again as text).
 */
export class NumberSide {
  notANumber = false;
  private store: Float64Array;
  private filled = 0;

  constructor(expectedRows = 1 << 16) {
    this.store = new Float64Array(Math.max(16, expectedRows));
  }

  /** Parsed cells; NaN (missing) and ±Infinity are dropped. */
  addNumbers(values: Float64Array, length: number): void {
    if (this.notANumber) return;
    if (this.filled + length > this.store.length) this.grow(this.filled + length);
    const store = this.store;
    let filled = this.filled;
    for (let i = 0; i < length; i += 1) {
      const value = values[i]!;
      // x − x is 0 for a finite x, NaN for NaN and ±Infinity.
      if (value - value === 0) store[filled++] = value;
    }
    this.filled = filled;
  }

  /** Cells as text (JSONL, Parquet, or values handed in directly): parsed as core/data parses a numeric cell. */
  addText(cells: readonly string[]): void {
    if (this.notANumber) return;
    if (this.filled + cells.length > this.store.length) this.grow(this.filled + cells.length);
    for (const cell of cells) {
      const parsed = parseNumberText(cell);
      if (parsed.kind === 'invalid') return this.markNotANumber();
      if (parsed.kind === 'number' && Number.isFinite(parsed.value)) this.store[this.filled++] = parsed.value;
    }
  }

  markNotANumber(): void {
    this.notANumber = true;
    this.store = new Float64Array(0);
    this.filled = 0;
  }

  private grow(needed: number): void {
    const store = new Float64Array(Math.max(needed, Math.ceil(this.store.length * 1.5)));
    store.set(this.store.subarray(0, this.filled));
    this.store = store;
  }

  /** The values in file order (a view: what was reserved beyond them stays with it). */
  values(): Float64Array {
    return this.store.subarray(0, this.filled);
  }
}

/** A finished numeric side: sorted in place for the tests, with the std taken before, in file order. */
export function sortedSide(side: NumberSide, scratch?: SortScratch): { values: Float64Array; std: number } {
  const values = side.values();
  const std = populationStd(values);
  return { values: sortFloat64(values, scratch), std };
}

/**
 * Distinct texts a group of columns may hold before its pass is given up (the columns are then read one at a time):
 * a group is planned at 8 bytes a row per column, but a text column's memory grows with its distinct values, about
 * 300 bytes each by the time they are tallied (the string, its map entries, the union's bins; measured: one column of
 * 300k + 300k IDs peaks at 278 MB), which a column of IDs has one per row.
 */
export class DistinctBudget {
  private held = 0;
  constructor(readonly limit: number) {}

  add(): void {
    if (++this.held > this.limit) throw new GroupTooLargeError();
  }
}

/** Thrown out of a pass whose text columns outgrew their DistinctBudget. */
export class GroupTooLargeError extends Error {
  constructor() {
    super('the group of columns holds more distinct texts than its memory budget allows');
  }
}

/** One side of a categorical column: how often each cell's text occurs. Memory grows with distinct values only. */
export class TextSide {
  private counts = new Map<string, number>();

  constructor(private readonly budget?: DistinctBudget) {}

  addText(cells: readonly string[]): void {
    const counts = this.counts;
    const budget = this.budget;
    for (const cell of cells) {
      const count = counts.get(cell);
      if (count === undefined) budget?.add();
      counts.set(cell, (count ?? 0) + 1);
    }
  }

  /** The counts of present values: missing cells and infinite numbers are dropped, judged once per distinct text. */
  presentCounts(): Map<Value, number> {
    const present = new Map<Value, number>();
    for (const [text, count] of this.counts) {
      const parsed = parseNumberText(text);
      if (parsed.kind === 'missing' || (parsed.kind === 'number' && !Number.isFinite(parsed.value))) continue;
      present.set(text, count);
    }
    return present;
  }
}

export function tallySides(reference: TextSide, current: TextSide) {
  return tallyCounts(reference.presentCounts(), current.presentCounts());
}
