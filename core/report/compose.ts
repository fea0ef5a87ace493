import type { DriftReport } from '../drift/index.ts';
import type { MetricsReport } from '../metrics/index.ts';
import {
  renderClassTable,
  renderConfusionMatrix,
  renderTopConfusions,
  withClassNames,
} from './internal/class-sections.ts';
import { renderMetricTable, renderGateSection, renderRunLine, renderTitle, type ColumnLabels } from './metric-table.ts';
import { renderCharts } from './internal/mermaid-charts.ts';
import { renderRunDetails } from './internal/run-details.ts';
import { renderTrainingLine } from './internal/training-details.ts';
import { embedModelCard } from './internal/embed-model-card.ts';
import { renderDriftSection } from './drift-section.ts';
import { inert } from './format.ts';

/** The `comment:` settings of `.github/cairn.yml` (same keys, so `config.comment` can be passed). */
export interface CommentOptions {
  charts?: boolean;
  card?: boolean;
  confusion_matrix?: boolean;
  /** Per-class rows in a PR comment before it summarises; default 20. */
  max_classes?: number;
}

export interface ReportInput {
  report: MetricsReport;
  baseline?: MetricsReport;
  /** A rendered model card (renderModelCard); its YAML front matter is dropped when embedded. */
  modelCard?: string;
  labels?: ColumnLabels;
  /** `models.<m>.labels`: the names per-class tables, the confusion matrix and charts show. */
  classNames?: readonly string[];
  options?: CommentOptions;
  /** A drift report (actions/drift's drift.json) and where it came from: the comment shows its verdict. */
  drift?: { report: DriftReport; source?: string };
}

/** Drift rows and charts in a PR comment (short: the job summary has more) and in a job summary. */
const DRIFT_DETAIL = { comment: { rows: 10, charts: 3 }, summary: { rows: 100, charts: 6 } } as const;

/** How much of each section to render; budgeting walks down a ladder of these. */
export interface Detail {
  classLimit: number;
  confusion: 'matrix' | 'top' | 'none';
  topConfusions: number;
  charts: boolean;
  chartClassLimit: number;
  card: boolean;
  runDetails: boolean;
  /** Secondary sections folded in <details> (PR comments) or shown under headings (job summary). */
  fold: boolean;
}

/** Everything the report has; what a trimmed rendering is compared against to say what it left out. */
export function leftOut(input: ReportInput, detail: Detail, full: Detail): string[] {
  const { report } = input;
  const classes = report.per_class?.length ?? 0;
  const missing: string[] = [];
  if (classes > detail.classLimit && full.classLimit > detail.classLimit) {
    missing.push(
      detail.classLimit === 0
        ? `per-class numbers (${classes} classes)`
        : `per-class numbers for ${classes - detail.classLimit} of ${classes} classes`,
    );
  }
  if (report.confusion_matrix && full.confusion !== 'none' && detail.confusion !== full.confusion) {
    missing.push(detail.confusion === 'top' ? 'the full confusion matrix' : 'the confusion matrix');
  }
  if (full.charts && !detail.charts) missing.push('charts');
  if (input.modelCard && full.card && !detail.card) missing.push('the model card');
  if (full.runDetails && !detail.runDetails) missing.push('run details (latency, runtime, model inputs)');
  return missing;
}

function section(title: string, body: string, detail: Detail): string {
  return detail.fold ? `<details><summary>${title}</summary>\n\n${body}\n\n</details>` : `### ${title}\n\n${body}`;
}

/** The report body at one level of detail; `note` (a trim notice) goes right under the run line. */
export function compose(input: ReportInput, detail: Detail, head: { marker?: string; note?: string }): string {
  const report = withClassNames(input.report, input.classNames);
  const baseline = input.baseline && withClassNames(input.baseline, input.classNames);
  const parts: string[] = [];
  if (head.marker) parts.push(head.marker);
  parts.push(renderTitle(report), renderRunLine(report, baseline));
  if (report.training) parts.push(renderTrainingLine(report.training));
  if (head.note) parts.push(head.note);
  parts.push(
    renderGateSection(report.gate, report.gate_disabled),
    `### Metrics\n\n${renderMetricTable(report, baseline, input.labels)}`,
  );
  if (input.drift) {
    const limits = detail.fold ? DRIFT_DETAIL.comment : DRIFT_DETAIL.summary;
    parts.push(
      renderDriftSection(input.drift.report, {
        maxRows: limits.rows,
        maxCharts: detail.charts ? limits.charts : 0,
        foldCharts: detail.fold,
        source: input.drift.source,
      }),
    );
  }

  const classes = report.per_class?.length ?? 0;
  if (classes > 0 && detail.classLimit > 0) {
    parts.push(section('Per class', renderClassTable(report, baseline, detail.classLimit), detail));
  }
  const matrix = report.confusion_matrix;
  if (matrix && detail.confusion === 'matrix')
    parts.push(section('Confusion matrix', renderConfusionMatrix(matrix), detail));
  if (matrix && detail.confusion === 'top')
    parts.push(section('Most frequent confusions', renderTopConfusions(matrix, detail.topConfusions), detail));
  if (detail.charts) {
    const charts = renderCharts(report, detail.chartClassLimit);
    if (charts.length > 0) parts.push(section('Charts', charts.join('\n\n'), detail));
  }
  if (detail.card && input.modelCard) parts.push(section('Model card', embedModelCard(input.modelCard), detail));
  if (detail.runDetails) {
    const details = renderRunDetails(report);
    if (details) parts.push(section('Run details', details, detail));
  }
  parts.push(
    `<sub>Generated by Cairn from ${inert(report.schema)} metrics${report.created_at ? ` at ${inert(report.created_at)}` : ''}.</sub>`,
  );
  return `${parts.join('\n\n')}\n`;
}

export interface Budget {
  limit: number;
  measure: (text: string) => number;
}

/**
 * Renders at the first level of `ladder` that fits the budget; if even the last does not (a gate
 * with thousands of rules), cuts that one at a line boundary. The title, verdict and gate headline
 * come first, so they survive any cut.
 */
export function fitToBudget(
  render: (detail: Detail) => string,
  ladder: readonly Detail[],
  budget: Budget,
  cutNotice: string,
): string {
  let text = '';
  for (const detail of ladder) {
    text = render(detail);
    if (budget.measure(text) <= budget.limit) return text;
  }
  const tail = `\n\n${cutNotice}\n`;
  const room = budget.limit - budget.measure(tail);
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (budget.measure(text.slice(0, mid)) <= room) low = mid;
    else high = mid - 1;
  }
  const lineEnd = text.lastIndexOf('\n', low);
  const cut = lineEnd > 0 ? text.slice(0, lineEnd) : text.slice(0, low);
  return `${cut}${tail}`;
}
