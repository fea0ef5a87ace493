import { markdownTable } from 'markdown-table';
import { LOWER_IS_BETTER } from '../metrics/index.ts';

// The escaping rules live in inert.ts; renderers import them from here with the other helpers.
export { code, codeCell, escapeCell, inert, inertLines, plainLine, repoLink } from './inert.ts';

/** Marks for a change between baseline and this run, judged by each metric's direction. */
export const MARK = { better: '🟢', worse: '🔴', same: '⚪' } as const;

/** Shown where a value does not exist (metric undefined for this data, or no baseline). */
export const MISSING = 'n/a';

export function isLowerBetter(metric: string): boolean {
  return LOWER_IS_BETTER.has(metric);
}

// Built once: toLocaleString with options builds a new Intl.NumberFormat on every call, and a model
// card formats hundreds of numbers (bench/RESULTS.md, "micro").
const TWO_DECIMALS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const WHOLE = new Intl.NumberFormat('en-US');

/**
 * Metric values at a readable precision: 4 decimals for the usual 0..1 scores, 2 for large
 * errors (mse of house prices), scientific where fixed notation would show 0 or too many digits.
 */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9 || magnitude < 1e-4) return value.toExponential(3);
  if (magnitude >= 100) return TWO_DECIMALS.format(value);
  return value.toFixed(4);
}

/** Whole numbers with thousands separators (rows, supports, counts). */
export function formatCount(value: number): string {
  return WHOLE.format(value);
}

function signed(value: number): string {
  // U+2212 would read better but breaks copy-paste into code; a plain hyphen is clearer for numbers.
  return value > 0 ? `+${formatNumber(value)}` : value < 0 ? `-${formatNumber(-value)}` : '±0';
}

/**
 * The change cell: mark, signed difference and relative change, e.g. `🟢 +0.0139 (+1.9%)`.
 * For LOWER_IS_BETTER metrics a decrease is 🟢. A value inside `noise` (the baseline's bootstrap
 * interval) is ⚪: a change that size happens between two samples of the same model. Missing on
 * either side gives `n/a`.
 */
export function formatChange(
  metric: string,
  current: number | null | undefined,
  baseline: number | null | undefined,
  noise?: readonly [number, number],
): string {
  if (current === null || current === undefined || baseline === null || baseline === undefined) return MISSING;
  if (!Number.isFinite(current) || !Number.isFinite(baseline)) return MISSING;
  const delta = current - baseline;
  if (delta === 0) return `${MARK.same} ±0`;
  const improved = isLowerBetter(metric) ? delta < 0 : delta > 0;
  const relative = baseline !== 0 ? ` (${delta > 0 ? '+' : '-'}${Math.abs((delta / baseline) * 100).toFixed(1)}%)` : '';
  const withinNoise = noise !== undefined && current >= noise[0] && current <= noise[1];
  return `${withinNoise ? MARK.same : improved ? MARK.better : MARK.worse} ${signed(delta)}${relative}`;
}

/** Short commit or content hash for display. */
export function shortHash(hash: string, length = 7): string {
  return hash.slice(0, length);
}

/** Same as formatNumber but for a 0..1 score in a chart (3 decimals keeps mermaid source short). */
export function chartValue(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '0';
}

/**
 * A GFM table. Delimiters are not padded: the table is read rendered, and padding a 300-row table
 * costs characters the 65,536-character comment limit cannot spare.
 */
export function table(rows: string[][], align?: string[]): string {
  return markdownTable(rows, { align, alignDelimiters: false });
}
