/**
 * The reference-vs-current shares a drifted column's chart draws (`bins` in drift.json). They come from the data, in
 * two streaming passes over each file that keep only counts: the first finds each column's range and its values
 * while there are few, the second counts histogram bins. Memory stays a few counters per column, whatever the rows,
 * except for a text column's distinct values.
 */
import { inspectTable, MISSING_TOKENS, readTable } from '../data/index.ts';
import type { DriftBins, DriftReport } from './drift-report.schema.ts';

/** Drifted columns that get bins, in report order: more than any report draws. */
export const MAX_BINNED_COLUMNS = 10;
/** Bars per chart: a `num` column with more distinct values gets this many equal-width bins at most. */
export const MAX_BINS = 20;
/** Values shown for a column binned by value; the rest are counted in `more`. */
export const MAX_LABELS = 12;
/** A value longer than this is cut in `labels`: drift.json has no size limit, but the report does. */
export const MAX_LABEL_CHARS = 80;

const INFINITY = /^[+-]?inf(?:inity)?$/i;

/** pandas' missing values and infinities are dropped before testing; the chart drops them too. */
function presentText(cell: string): string | undefined {
  const text = cell.trim();
  return MISSING_TOKENS.has(text) || INFINITY.test(text) ? undefined : text;
}

interface Side {
  rows: number;
  min: number;
  max: number;
  /** Counts by value; dropped (undefined) for a `num` column once it holds more than MAX_BINS values. */
  values: Map<string, number> | undefined;
  bins: number[];
}

interface Charted {
  name: string;
  kind: 'num' | 'cat';
  sides: [Side, Side];
  edges?: number[];
}

const emptySide = (): Side => ({ rows: 0, min: Infinity, max: -Infinity, values: new Map(), bins: [] });

async function eachCell(path: string, columns: readonly string[], visit: (column: number, text: string) => void) {
  const schema = await inspectTable(path);
  for await (const batch of readTable(path, schema, { batchSize: 65536, numeric: [], text: columns })) {
    columns.forEach((name, column) => {
      for (const cell of batch.text.get(name)!) {
        const text = presentText(cell);
        if (text !== undefined) visit(column, text);
      }
    });
  }
}

function firstPass(charted: Charted, side: Side, text: string): void {
  if (charted.kind === 'num') {
    const value = Number(text);
    if (!Number.isFinite(value)) return;
    if (value < side.min) side.min = value;
    if (value > side.max) side.max = value;
  }
  side.rows += 1;
  const values = side.values;
  if (!values) return;
  const key = charted.kind === 'num' ? String(Number(text)) : text;
  values.set(key, (values.get(key) ?? 0) + 1);
  if (charted.kind === 'num' && values.size > MAX_BINS) side.values = undefined;
}

/** Equal-width bins over both sides' range, Sturges' count (numpy's rule) capped at MAX_BINS. */
function histogramEdges(sides: readonly Side[]): number[] {
  const low = Math.min(...sides.map((side) => side.min));
  const high = Math.max(...sides.map((side) => side.max));
  const rows = sides.reduce((sum, side) => sum + side.rows, 0);
  const count = Math.min(MAX_BINS, Math.max(1, Math.ceil(Math.log2(rows) + 1)));
  return Array.from({ length: count + 1 }, (_, i) => (i === count ? high : low + ((high - low) * i) / count));
}

function binOf(edges: readonly number[], value: number): number {
  const low = edges[0]!;
  const high = edges[edges.length - 1]!;
  const bins = edges.length - 1;
  return Math.min(bins - 1, Math.max(0, Math.floor(((value - low) / (high - low)) * bins)));
}

function cut(label: string): string {
  if (label.length <= MAX_LABEL_CHARS) return label;
  // Never half a surrogate pair: JSON would carry a lone surrogate.
  const end = /[\uD800-\uDBFF]/.test(label[MAX_LABEL_CHARS - 2]!) ? MAX_LABEL_CHARS - 2 : MAX_LABEL_CHARS - 1;
  return `${label.slice(0, end)}…`;
}

function valueBins(charted: Charted): DriftBins {
  const [reference, current] = charted.sides.map((side) => side.values!);
  const shareOf = (side: Side, key: string) => (side.values!.get(key) ?? 0) / side.rows;
  const keys = [...new Set([...reference!.keys(), ...current!.keys()])];
  const weight = (key: string) => Math.max(shareOf(charted.sides[0], key), shareOf(charted.sides[1], key));
  // Numbers read left to right; text values most frequent first, so the top of a long tail is what shows.
  const ordered =
    charted.kind === 'num'
      ? keys.sort((a, b) => Number(a) - Number(b))
      : keys.sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : a > b ? 1 : 0));
  const shown = charted.kind === 'num' ? ordered : ordered.slice(0, MAX_LABELS);
  return {
    labels: shown.map(cut),
    reference: shown.map((key) => shareOf(charted.sides[0], key)),
    current: shown.map((key) => shareOf(charted.sides[1], key)),
    more: keys.length - shown.length,
  };
}

/**
 * `report` with `bins` on its first MAX_BINNED_COLUMNS drifted columns, read from the two tables the report compared.
 * Columns neither drifted nor binned are returned as they were.
 */
export async function driftBins(report: DriftReport, tables: { reference: string; current: string }) {
  const charted: Charted[] = report.columns
    .filter((column) => column.drifted)
    .slice(0, MAX_BINNED_COLUMNS)
    .map((column) => ({ name: column.name, kind: column.kind, sides: [emptySide(), emptySide()] }));
  if (charted.length === 0) return report;
  const names = charted.map((column) => column.name);
  const paths = [tables.reference, tables.current] as const;
  for (const [index, path] of paths.entries())
    await eachCell(path, names, (column, text) => firstPass(charted[column]!, charted[column]!.sides[index]!, text));
  const histograms = charted.filter(
    (column) => column.kind === 'num' && column.sides.some((side) => side.values === undefined),
  );
  for (const column of histograms) {
    column.edges = histogramEdges(column.sides);
    for (const side of column.sides) side.bins = new Array<number>(column.edges.length - 1).fill(0);
  }
  if (histograms.length > 0) {
    const byName = histograms.map((column) => charted.indexOf(column));
    for (const [index, path] of paths.entries())
      await eachCell(
        path,
        histograms.map((column) => column.name),
        (column, text) => {
          const { edges, sides } = charted[byName[column]!]!;
          const value = Number(text);
          if (Number.isFinite(value)) sides[index]!.bins[binOf(edges!, value)]! += 1;
        },
      );
  }
  const bins = new Map<string, DriftBins>();
  for (const column of charted) {
    if (column.sides.some((side) => side.rows === 0)) continue;
    bins.set(
      column.name,
      column.edges
        ? {
            edges: column.edges,
            reference: column.sides[0].bins.map((count) => count / column.sides[0].rows),
            current: column.sides[1].bins.map((count) => count / column.sides[1].rows),
          }
        : valueBins(column),
    );
  }
  return {
    ...report,
    columns: report.columns.map((column) =>
      bins.has(column.name) ? { ...column, bins: bins.get(column.name) } : column,
    ),
  };
}
