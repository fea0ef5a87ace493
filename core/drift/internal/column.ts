import { UserError } from '../../errors.ts';
import { type Value } from './categorical.ts';
import { chooseTest, isDrift, scoreColumn, TEST_THRESHOLDS, type ColumnKind, type DriftTest } from './tests.ts';

export type Cell = string | number | null | undefined;

export interface ColumnDrift {
  name: string;
  kind: ColumnKind;
  test: DriftTest;
  score: number;
  threshold: number;
  drifted: boolean;
}

export interface SkippedColumn {
  name: string;
  reason: string;
}

export interface ColumnOptions {
  test?: DriftTest;
  threshold?: number;
}

// pandas reads these as missing by default, so an Evidently user's data loses the same cells.
const MISSING = new Set(['', 'NA', 'N/A', 'n/a', 'NaN', 'nan', '-NaN', '-nan', 'null', 'NULL', 'None', '#N/A', '<NA>']);
const INFINITE = new Set(['inf', '-inf', '+inf', 'Inf', '-Inf', '+Inf', 'Infinity', '-Infinity', '+Infinity']);

function present(cell: Cell): cell is string | number {
  if (cell === null || cell === undefined) return false;
  if (typeof cell === 'number') return Number.isFinite(cell);
  const text = cell.trim();
  return !MISSING.has(text) && !INFINITE.has(text);
}

function asNumber(cell: string | number): number {
  return typeof cell === 'number' ? cell : Number(cell.trim());
}

/**
 * One column's drift with the default (or requested) test: missing and infinite cells dropped first, `num` when every
 * remaining cell on both sides parses as a number, else `cat`; a side left empty skips the column.
 */
export function columnDrift(
  name: string,
  referenceCells: readonly Cell[],
  currentCells: readonly Cell[],
  options: ColumnOptions = {},
): ColumnDrift | SkippedColumn {
  const reference = referenceCells.filter(present);
  const current = currentCells.filter(present);
  if (reference.length === 0 || current.length === 0) {
    return { name, reason: `no values left in the ${reference.length === 0 ? 'reference' : 'current'} data` };
  }
  const numeric = [...reference, ...current].every((cell) => Number.isFinite(asNumber(cell)));
  const kind: ColumnKind = numeric ? 'num' : 'cat';
  const toValue = numeric ? asNumber : (cell: string | number): Value => String(cell);
  const referenceValues = reference.map(toValue);
  const currentValues = current.map(toValue);
  const distinct = new Set<Value>([...referenceValues, ...currentValues]).size;
  const test = options.test ?? chooseTest(kind, referenceValues.length, distinct);
  // ks and wasserstein order the values: on text they would score nonsense (or never finish).
  if (kind === 'cat' && (test === 'ks' || test === 'wasserstein'))
    throw new UserError(
      `column "${name}" holds text, and the ${test} test needs numbers; choose chisquare, z, jensenshannon or psi for it.`,
    );
  const threshold = options.threshold ?? TEST_THRESHOLDS[test];
  const score = scoreColumn(test, kind, referenceValues, currentValues);
  return { name, kind, test, score, threshold, drifted: isDrift(test, score, threshold) };
}

/** Dataset drift: the share of drifted columns reaches `share` (Evidently's default 0.5). */
export function datasetDrift(columns: readonly ColumnDrift[], share = 0.5) {
  const drifted = columns.filter((column) => column.drifted).length;
  const driftedShare = columns.length === 0 ? 0 : drifted / columns.length;
  return {
    columns: columns.length,
    drifted_columns: drifted,
    share: driftedShare,
    threshold: share,
    drifted: columns.length > 0 && driftedShare >= share,
  };
}
