/**
 * The reference-vs-current shares a drifted column's chart draws (`bins` in drift.json), taken from what the test
 * already holds: a numeric column's sorted values, a categorical column's counts. So charting costs no read of the
 * files (reading them again for it took longer than the tests themselves on 1M x 1M rows).
 */
import type { DriftBins } from '../drift-report.schema.ts';
import { tallySorted, type Tally } from './categorical.ts';
import type { ColumnSummary } from './tests.ts';

/** Drifted columns that get bins, in report order: more than any report draws. */
export const MAX_BINNED_COLUMNS = 10;
/** Bars per chart: a `num` column with more distinct values gets this many equal-width bins at most. */
export const MAX_BINS = 20;
/** Values shown for a column binned by value; the rest are counted in `more`. */
export const MAX_LABELS = 12;
/** A value longer than this is cut in `labels`: drift.json has no size limit, but the report does. */
export const MAX_LABEL_CHARS = 80;

/** More than `limit` distinct values in a sorted array, found without walking past the limit. */
function distinctAbove(sorted: Float64Array, limit: number): boolean {
  let distinct = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct += 1;
    if (distinct > limit) return true;
  }
  return false;
}

/** Equal-width bins over both sides' range, Sturges' count (numpy's rule) capped at MAX_BINS; counts per side. */
function histogram(reference: Float64Array, current: Float64Array): DriftBins {
  const low = Math.min(reference[0]!, current[0]!);
  const high = Math.max(reference[reference.length - 1]!, current[current.length - 1]!);
  const count = Math.min(MAX_BINS, Math.max(1, Math.ceil(Math.log2(reference.length + current.length) + 1)));
  const edges = Array.from({ length: count + 1 }, (_, i) => (i === count ? high : low + ((high - low) * i) / count));
  const shares = (values: Float64Array) => {
    const counts = new Array<number>(count).fill(0);
    for (const value of values) {
      const bin = high === low ? 0 : Math.floor(((value - low) / (high - low)) * count);
      counts[Math.min(count - 1, Math.max(0, bin))]! += 1;
    }
    return counts.map((n) => n / values.length);
  };
  return { edges, reference: shares(reference), current: shares(current) };
}

function cut(label: string): string {
  if (label.length <= MAX_LABEL_CHARS) return label;
  // Never half a surrogate pair: JSON would carry a lone surrogate.
  const end = /[\uD800-\uDBFF]/.test(label[MAX_LABEL_CHARS - 2]!) ? MAX_LABEL_CHARS - 2 : MAX_LABEL_CHARS - 1;
  return `${label.slice(0, end)}…`;
}

/** One bar per value: numbers in numeric order, all of them; text most frequent first, the top MAX_LABELS. */
function valueBins(tally: Tally, numeric: boolean): DriftBins {
  const order = tally.keys.map((_, k) => k);
  const shareOf = (k: number) => [tally.reference[k]! / tally.referenceRows, tally.current[k]! / tally.currentRows];
  if (!numeric) {
    const weight = (k: number) => Math.max(...shareOf(k));
    const text = (k: number) => String(tally.keys[k]);
    order.sort((a, b) => weight(b) - weight(a) || (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
  }
  const shown = numeric ? order : order.slice(0, MAX_LABELS);
  return {
    labels: shown.map((k) => cut(String(tally.keys[k]))),
    reference: shown.map((k) => shareOf(k)[0]!),
    current: shown.map((k) => shareOf(k)[1]!),
    more: order.length - shown.length,
  };
}

/** The chart data of one compared column, from the summary its test scored. */
export function summaryBins(summary: ColumnSummary): DriftBins {
  if (summary.kind === 'cat') return valueBins(summary.tally, false);
  const { reference, current } = summary;
  if (distinctAbove(reference, MAX_BINS) || distinctAbove(current, MAX_BINS)) return histogram(reference, current);
  return valueBins(tallySorted(reference, current), true);
}
