import { parseNumberText } from '../../data/index.ts';
import { tallyCounts, type Value } from './categorical.ts';
import { populationStd } from './distances.ts';
import { sortFloat64 } from './sort-float64.ts';

// 64 Ki values (512 KiB) per block: a side grows without copying, and is copied once, into its exact size, at the end.
const BLOCK = 1 << 16;

/**
 * One side of a column read as numbers: its finite values, in blocks while reading. A cell that is no number makes the
 * column categorical; the side then drops what it held (the column is read again as text).
 */
export class NumberSide {
  notANumber = false;
  private blocks: Float64Array[] = [];
  private block = new Float64Array(BLOCK);
  private filled = 0;

  /** Parsed cells; NaN (missing) and ±Infinity are dropped. */
  addNumbers(values: Float64Array, length: number): void {
    if (this.notANumber) return;
    for (let i = 0; i < length; i += 1) {
      const value = values[i]!;
      // x − x is 0 for a finite x, NaN for NaN and ±Infinity.
      if (value - value === 0) this.push(value);
    }
  }

  /** Cells as text (JSONL, Parquet, or values handed in directly): parsed as core/data parses a numeric cell. */
  addText(cells: readonly string[]): void {
    for (const cell of cells) {
      if (this.notANumber) return;
      const parsed = parseNumberText(cell);
      if (parsed.kind === 'invalid') this.markNotANumber();
      else if (parsed.kind === 'number' && Number.isFinite(parsed.value)) this.push(parsed.value);
    }
  }

  markNotANumber(): void {
    this.notANumber = true;
    this.blocks = [];
    this.block = new Float64Array(0);
  }

  private push(value: number): void {
    if (this.filled === this.block.length) {
      this.blocks.push(this.block);
      this.block = new Float64Array(BLOCK);
      this.filled = 0;
    }
    this.block[this.filled++] = value;
  }

  /** The values in file order, in one array of their exact size; the blocks are released. */
  values(): Float64Array {
    const out = new Float64Array(this.blocks.length * BLOCK + this.filled);
    this.blocks.forEach((block, i) => out.set(block, i * BLOCK));
    out.set(this.block.subarray(0, this.filled), this.blocks.length * BLOCK);
    this.blocks = [];
    this.block = new Float64Array(0);
    return out;
  }
}

/** A finished numeric side: sorted in place for the tests, with the std taken before, in file order. */
export function sortedSide(side: NumberSide): { values: Float64Array; std: number } {
  const values = side.values();
  const std = populationStd(values);
  return { values: sortFloat64(values), std };
}

/** One side of a categorical column: how often each cell's text occurs. Memory grows with distinct values only. */
export class TextSide {
  private counts = new Map<string, number>();

  addText(cells: readonly string[]): void {
    const counts = this.counts;
    for (const cell of cells) counts.set(cell, (counts.get(cell) ?? 0) + 1);
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
