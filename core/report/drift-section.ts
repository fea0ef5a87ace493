/**
 * The drift section of a job summary or a pull request comment, from a cairn.drift/v1 report: the dataset verdict,
 * each column's test, score, threshold and verdict, the skipped columns, and a reference-vs-current chart per drifted
 * column. Column names and values come from the data, so every one goes through inert.ts (or quote() inside a chart);
 * rows, charts and names are capped, so the size stays bounded however wide the table.
 */
import type { DriftBins, DriftReport } from '../drift/index.ts';
import { chartValue, code, formatCount, formatNumber, inert, table } from './format.ts';
import { block, quote } from './internal/mermaid-charts.ts';

export interface DriftSectionOptions {
  /** Rows of the column table, drifted columns first; the rest are counted. Default 500. */
  maxRows?: number;
  /** Charts of drifted columns; the rest are counted. Default 10. */
  maxCharts?: number;
  /** Charts folded under <details> (a PR comment) rather than shown (a job summary). */
  foldCharts?: boolean;
  /** Where the full report is, for the notes about what was left out. */
  source?: string;
}

/** A column name longer than this is cut in the report: drift.json holds all of it. */
export const DRIFT_NAME_CHARS = 100;
/** A bar label longer than this is cut in a chart: a long axis label hides the others. */
const CHART_LABEL_CHARS = 30;

const VERDICT = { drifted: '🔴 drifted', clean: '🟢 no drift' } as const;

function shortName(name: string, limit = DRIFT_NAME_CHARS): string {
  if (name.length <= limit) return name;
  // Never half a surrogate pair: the cut lands before an emoji rather than inside it.
  const end = /[\uD800-\uDBFF]/.test(name[limit - 2]!) ? limit - 2 : limit - 1;
  return `${name.slice(0, end)}…`;
}

/** An axis label for a bin edge: three significant digits, scientific where they would not do. */
function edgeLabel(value: number): string {
  const magnitude = Math.abs(value);
  if (value !== 0 && (magnitude >= 1e6 || magnitude < 1e-3)) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

function chartBars(bins: DriftBins): { labels: string[]; reference: number[]; current: number[]; what: string } {
  if ('edges' in bins) {
    const first = edgeLabel(bins.edges[0]!);
    const last = edgeLabel(bins.edges[bins.edges.length - 1]!);
    return {
      labels: bins.edges.slice(0, -1).map(edgeLabel),
      reference: bins.reference,
      current: bins.current,
      what: `${bins.reference.length} equal-width bins from ${first} to ${last}, each labelled by where it starts`,
    };
  }
  const labels = [...bins.labels];
  const reference = [...bins.reference];
  const current = [...bins.current];
  if (bins.more > 0) {
    // The values not shown, together: a new category in the current data often hides in the long tail.
    const rest = (shares: readonly number[]) => Math.max(0, 1 - shares.reduce((sum, share) => sum + share, 0));
    labels.push(`(${bins.more} others)`);
    reference.push(rest(bins.reference));
    current.push(rest(bins.current));
  }
  const what =
    bins.more > 0
      ? `the ${bins.labels.length} most frequent values and the ${bins.more} others together`
      : 'each value';
  return { labels, reference, current, what };
}

function renderDriftChart(name: string, bins: DriftBins): string {
  const bars = chartBars(bins);
  const top = Math.min(1, Math.ceil(Math.max(0.01, ...bars.reference, ...bars.current) * 110) / 100);
  return block(
    [
      `title ${quote(`${shortName(name, 60)}: reference vs current`)}`,
      `x-axis [${bars.labels.map((label) => quote(shortName(label, CHART_LABEL_CHARS))).join(', ')}]`,
      `y-axis ${quote('Share of rows')} 0 --> ${top}`,
      `bar [${bars.reference.map(chartValue).join(', ')}]`,
      `line [${bars.current.map(chartValue).join(', ')}]`,
    ],
    `${inert(shortName(name))}: share of rows in ${bars.what}; bars are the reference data, the line the current data.`,
  );
}

function datasetLine(report: DriftReport): string {
  const { dataset } = report;
  const share = formatNumber(dataset.share);
  const comparison = dataset.drifted ? '≥' : '<';
  return `**Dataset:** ${dataset.drifted ? VERDICT.drifted : VERDICT.clean}: ${dataset.drifted_columns} of ${dataset.columns} columns drifted, share ${share} ${comparison} threshold ${dataset.threshold}.`;
}

/** Drift of a dataset as markdown: heading, verdict, column table, skipped columns, charts (see the options). */
export function renderDriftSection(report: DriftReport, options: DriftSectionOptions = {}): string {
  const maxRows = options.maxRows ?? 500;
  const maxCharts = options.maxCharts ?? 10;
  const where = options.source ? code(options.source) : 'the drift report';
  const sides = `Reference ${code(report.reference.path)} (${formatCount(report.reference.rows)} rows) against current ${code(report.current.path)} (${formatCount(report.current.rows)} rows).`;
  const parts = [
    `### Data drift: ${report.dataset.drifted ? 'the dataset drifted' : 'no dataset drift'}`,
    datasetLine(report),
    sides,
  ];
  const drifted = report.columns.filter((column) => column.drifted);
  const ordered = [...drifted, ...report.columns.filter((column) => !column.drifted)];
  const shown = ordered.slice(0, maxRows);
  if (shown.length > 0) {
    const rows = shown.map((column) => [
      inert(shortName(column.name)),
      column.kind,
      column.test,
      formatNumber(column.score),
      formatNumber(column.threshold),
      column.drifted ? VERDICT.drifted : VERDICT.clean,
    ]);
    parts.push(
      table([['Column', 'Kind', 'Test', 'Score', 'Threshold', 'Verdict'], ...rows], ['l', 'l', 'l', 'r', 'r', 'l']),
    );
  }
  if (ordered.length > shown.length) {
    const hiddenDrifted = Math.max(0, drifted.length - shown.length);
    parts.push(
      `_${ordered.length - shown.length} more columns (${hiddenDrifted} drifted) are in ${where}; drifted columns are listed first._`,
    );
  }
  if (report.skipped.length > 0) {
    const listed = report.skipped.slice(0, maxRows);
    const more = report.skipped.length - listed.length;
    parts.push(
      `**Skipped** (not counted):\n\n${listed.map((column) => `- ${inert(shortName(column.name))}: ${inert(column.reason)}`).join('\n')}${more > 0 ? `\n\n_${more} more skipped columns are in ${where}._` : ''}`,
    );
  }
  const charts = drifted
    .filter((column) => column.bins)
    .slice(0, maxCharts)
    .map((column) => renderDriftChart(column.name, column.bins!));
  const uncharted = drifted.length - charts.length;
  const note =
    uncharted > 0 && maxCharts > 0
      ? `_Charts for ${charts.length} of ${drifted.length} drifted columns: at most ${maxCharts} are drawn, each from the bins ${where} holds._`
      : undefined;
  if (charts.length > 0) {
    const body = [...charts, note].filter(Boolean).join('\n\n');
    parts.push(options.foldCharts ? `<details><summary>Drift charts</summary>\n\n${body}\n\n</details>` : body);
  } else if (note) parts.push(note);
  return parts.join('\n\n');
}
