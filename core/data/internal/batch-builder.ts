import { UserError } from '../../errors.ts';
import type { ColumnBatch, ReadOptions } from '../types.ts';

/** Which file columns a read fills, and where each value goes. */
export interface ColumnPlan {
  /** The file's column names, in file order. */
  columns: readonly string[];
  /** Per file column: index into `numericNames`, or -1. */
  numericSlot: Int32Array;
  /** Per file column: index into `textNames`, or -1. */
  textSlot: Int32Array;
  numericNames: string[];
  textNames: string[];
  /** Per numeric slot: whether an empty or NA cell reads as NaN (else it is a UserError). */
  missingAllowed: boolean[];
  /** ReadOptions.onNotANumber: a non-numeric cell in a numeric column is reported, not an error. */
  onNotANumber?: (column: string) => void;
}

/**
 * Matches the columns a caller asks for against the file's header. An unknown column is a
 * UserError that lists what the file has, since a typo in `--target` / `--features` is the usual cause.
 */
export function planColumns(file: string, columns: readonly string[], options: ReadOptions): ColumnPlan {
  const index = new Map(columns.map((name, i) => [name, i]));
  const numericNames = [...new Set(options.numeric)];
  const textNames = [...new Set(options.text)];
  const unknown = [...numericNames, ...textNames].filter((name) => !index.has(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => `"${name}"`).join(', ');
    throw new UserError(
      `${file} has no column ${list}. Its columns are: ${columns.join(', ')}. Check the column names you passed (they are case-sensitive).`,
    );
  }
  const numericSlot = new Int32Array(columns.length).fill(-1);
  const textSlot = new Int32Array(columns.length).fill(-1);
  numericNames.forEach((name, slot) => (numericSlot[index.get(name)!] = slot));
  textNames.forEach((name, slot) => (textSlot[index.get(name)!] = slot));
  const allow = options.allowMissing ?? true;
  const missingAllowed = numericNames.map((name) => (typeof allow === 'boolean' ? allow : allow.includes(name)));
  return {
    columns,
    numericSlot,
    textSlot,
    numericNames,
    textNames,
    missingAllowed,
    onNotANumber: options.onNotANumber,
  };
}

/** The slots of a plan that fills no column of a `width`-column file (rows are counted, not read). */
export function planNoColumns(
  width: number,
): Pick<ColumnPlan, 'numericSlot' | 'textSlot' | 'numericNames' | 'textNames' | 'missingAllowed'> {
  const none = new Int32Array(width).fill(-1);
  return { numericSlot: none, textSlot: none, numericNames: [], textNames: [], missingAllowed: [] };
}

/** Collects rows into column arrays and hands them out as ColumnBatch objects of `capacity` rows. */
export class BatchBuilder {
  numeric: Float64Array[] = [];
  text: string[][] = [];
  /** Rows in the batch being filled. */
  rows = 0;
  /** Data rows handed out in earlier batches. */
  rowsBefore = 0;

  constructor(
    readonly plan: ColumnPlan,
    readonly capacity: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new UserError(`batch size must be a whole number of at least 1 (got ${capacity})`);
    }
    this.reset();
  }

  get full(): boolean {
    return this.rows === this.capacity;
  }

  /** 1-based number of the row being filled (header not counted). */
  get currentRow(): number {
    return this.rowsBefore + this.rows + 1;
  }

  take(): ColumnBatch {
    const length = this.rows;
    const numeric = new Map<string, Float64Array>();
    const text = new Map<string, string[]>();
    this.plan.numericNames.forEach((name, slot) => {
      const values = this.numeric[slot];
      numeric.set(name, length === values.length ? values : values.slice(0, length));
    });
    this.plan.textNames.forEach((name, slot) => {
      const values = this.text[slot];
      values.length = length;
      text.set(name, values);
    });
    const batch: ColumnBatch = { firstRow: this.rowsBefore + 1, length, numeric, text };
    this.rowsBefore += length;
    this.reset();
    return batch;
  }

  private reset(): void {
    this.rows = 0;
    this.numeric = this.plan.numericNames.map(() => new Float64Array(this.capacity));
    // Grown as rows come, not sized up front: a sample of a table 100,000 columns wide would
    // otherwise reserve a slot per column per row before reading one.
    this.text = this.plan.textNames.map(() => []);
  }
}
