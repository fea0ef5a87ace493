import type { DriftBins } from '../drift-report.schema.ts';
import { UserError } from '../../errors.ts';
import { NumberSide, sortedSide, tallySides, TextSide } from './sides.ts';
import {
  chooseTest,
  isDrift,
  scoreSummary,
  summarySize,
  TEST_THRESHOLDS,
  type ColumnKind,
  type ColumnSummary,
  type DriftTest,
} from './tests.ts';

export type Cell = string | number | null | undefined;

export interface ColumnDrift {
  name: string;
  kind: ColumnKind;
  test: DriftTest;
  score: number;
  threshold: number;
  drifted: boolean;
  /** The chart data (compareTables with `bins`, on the first drifted columns). */
  bins?: DriftBins;
}

export interface SkippedColumn {
  name: string;
  reason: string;
}

export interface ColumnOptions {
  test?: DriftTest;
  threshold?: number;
}

/**
 * A column's verdict from its summary: a side left empty skips it; otherwise the requested or default test (from n
 * and u), its threshold and score.
 */
export function summaryDrift(
  name: string,
  summary: ColumnSummary,
  options: ColumnOptions = {},
): ColumnDrift | SkippedColumn {
  const rows =
    summary.kind === 'num'
      ? [summary.reference.length, summary.current.length]
      : [summary.tally.referenceRows, summary.tally.currentRows];
  if (rows[0] === 0 || rows[1] === 0) {
    return { name, reason: `no values left in the ${rows[0] === 0 ? 'reference' : 'current'} data` };
  }
  const { kind } = summary;
  const { n, u } = summarySize(summary);
  const test = options.test ?? chooseTest(kind, n, u);
  // ks and wasserstein order the values: on text they would score nonsense (or never finish).
  if (kind === 'cat' && (test === 'ks' || test === 'wasserstein'))
    throw new UserError(
      `column "${name}" holds text, and the ${test} test needs numbers; choose chisquare, z, jensenshannon or psi for it.`,
    );
  const threshold = options.threshold ?? TEST_THRESHOLDS[test];
  if ((test === 'ks' || test === 'chisquare' || test === 'z') && threshold > 1)
    throw new UserError(
      `column "${name}" uses the ${test} test, whose score is a p-value: a threshold of ${threshold} (above 1) would flag drift always; give one from 0 to 1, e.g. 0.05.`,
    );
  const score = scoreSummary(test, summary);
  return { name, kind, test, score, threshold, drifted: isDrift(test, score, threshold) };
}

/**
 * One column's drift with the default (or requested) test: missing and infinite cells dropped first (pandas' missing
 * markers, as core/data reads them), `num` when every remaining cell on both sides parses as a number, else `cat`; a
 * side left empty skips the column. The same path `cairn drift` takes for a file, on cells held in memory.
 */
export function columnDrift(
  name: string,
  referenceCells: readonly Cell[],
  currentCells: readonly Cell[],
  options: ColumnOptions = {},
): ColumnDrift | SkippedColumn {
  // A finite number's shortest text parses back to the same number; NaN and Infinity read as missing and infinite.
  const asText = (cells: readonly Cell[]) =>
    cells.map((cell) => (cell === null || cell === undefined ? '' : String(cell)));
  const [referenceText, currentText] = [asText(referenceCells), asText(currentCells)];
  const reference = new NumberSide(referenceText.length);
  const current = new NumberSide(currentText.length);
  reference.addText(referenceText);
  current.addText(currentText);
  if (reference.notANumber || current.notANumber) {
    const [referenceCounts, currentCounts] = [new TextSide(), new TextSide()];
    referenceCounts.addText(referenceText);
    currentCounts.addText(currentText);
    return summaryDrift(name, { kind: 'cat', tally: tallySides(referenceCounts, currentCounts) }, options);
  }
  const sortedReference = sortedSide(reference);
  const summary: ColumnSummary = {
    kind: 'num',
    reference: sortedReference.values,
    current: sortedSide(current).values,
    referenceStd: sortedReference.std,
  };
  return summaryDrift(name, summary, options);
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
