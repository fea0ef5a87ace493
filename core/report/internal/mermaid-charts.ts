import type { ClassMetrics, Curve, MetricsReport } from '../../metrics/index.ts';
import { classesBySupport } from './class-sections.ts';
import { chartValue, formatNumber, plainLine } from '../format.ts';

/**
 * Charts as Mermaid `xychart-beta` blocks, which GitHub renders in comments and job summaries,
 * so no image host is needed. An xychart line has evenly spaced x values, so curves are
 * resampled onto a fixed grid of x (false positive rate, recall) first.
 */

const GRID_STEPS = 20;

function grid(steps: number): number[] {
  return Array.from({ length: steps + 1 }, (_, i) => i / steps);
}

function sortedPoints(curve: Curve): Array<{ x: number; y: number }> {
  return curve.x
    .map((x, i) => ({ x, y: curve.y[i] }))
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .sort((a, b) => a.x - b.x || a.y - b.y);
}

/**
 * True positive rate at each grid false positive rate, linear between ROC points (the ROC curve
 * is piecewise linear); on a vertical run of points the top one is used.
 */
export function sampleRoc(curve: Curve, steps = GRID_STEPS): number[] {
  const points = sortedPoints(curve);
  if (points.length === 0) return [];
  return grid(steps).map((x) => {
    let left = -1;
    while (left + 1 < points.length && points[left + 1].x <= x) left++;
    if (left === -1) return points[0].y;
    const right = points.findIndex((p) => p.x > x);
    if (right === -1) return points[left].y;
    const a = points[left];
    const b = points[right];
    return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
  });
}

/**
 * Interpolated precision at each grid recall: the best precision at that recall or more (the
 * usual smoothing of a saw-toothed PR curve); 0 beyond the largest recall reached.
 */
export function samplePrecisionRecall(curve: Curve, steps = GRID_STEPS): number[] {
  const points = sortedPoints(curve);
  if (points.length === 0) return [];
  return grid(steps).map((x) => points.filter((p) => p.x >= x).reduce((best, p) => Math.max(best, p.y), 0));
}

const MERMAID_ENTITY: Record<string, string> = { '#': '#35;', '<': '#60;', '>': '#62;' };

export function quote(text: string): string {
  // A class label inside the mermaid block: one line (it cannot close the fence), no HTML (mermaid
  // entity codes, and `#` itself so a label cannot write one), and a single quote for a double one,
  // which reads the same.
  return `"${plainLine(text)
    .replace(/"/g, "'")
    .replace(/[#<>]/g, (ch) => MERMAID_ENTITY[ch])}"`;
}

export function block(lines: string[], description: string): string {
  // The italic line says in words what the chart shows, for screen readers and text-only views.
  return `_${description}_\n\n\`\`\`mermaid\nxychart-beta\n${lines.map((line) => `  ${line}`).join('\n')}\n\`\`\``;
}

export function renderRocChart(report: MetricsReport): string | undefined {
  const roc = report.curves?.roc;
  if (!roc || roc.x.length < 2) return undefined;
  const auc = report.metrics.roc_auc;
  const values = sampleRoc(roc).map(chartValue);
  return block(
    [
      `title ${quote(`ROC curve${typeof auc === 'number' ? ` (AUC ${formatNumber(auc)})` : ''}`)}`,
      `x-axis ${quote('False positive rate')} 0 --> 1`,
      `y-axis ${quote('True positive rate')} 0 --> 1`,
      `line [${values.join(', ')}]`,
      `line [${grid(GRID_STEPS).map(chartValue).join(', ')}]`,
    ],
    'ROC curve of the positive class: true positive rate against false positive rate; the straight line is chance.',
  );
}

export function renderPrecisionRecallChart(report: MetricsReport): string | undefined {
  const pr = report.curves?.pr;
  if (!pr || pr.x.length < 2) return undefined;
  const ap = report.metrics.average_precision;
  const values = samplePrecisionRecall(pr).map(chartValue);
  return block(
    [
      `title ${quote(`Precision-recall curve${typeof ap === 'number' ? ` (AP ${formatNumber(ap)})` : ''}`)}`,
      `x-axis ${quote('Recall')} 0 --> 1`,
      `y-axis ${quote('Precision (interpolated)')} 0 --> 1`,
      `line [${values.join(', ')}]`,
    ],
    'Precision-recall curve of the positive class: the best precision reachable at each recall.',
  );
}

/** F1 per class as bars, the `limit` classes with most support, in the report's class order. */
export function renderClassF1Chart(perClass: readonly ClassMetrics[], limit: number): string | undefined {
  if (perClass.length < 2 || limit < 1) return undefined;
  const chosen = new Set(classesBySupport(perClass).slice(0, limit));
  const shown = perClass.filter((item) => chosen.has(item));
  const subset = shown.length < perClass.length ? ` (${shown.length} of ${perClass.length} classes, most support)` : '';
  return block(
    [
      `title ${quote(`F1 by class${subset}`)}`,
      `x-axis [${shown.map((item) => quote(item.label)).join(', ')}]`,
      `y-axis ${quote('F1')} 0 --> 1`,
      `bar [${shown.map((item) => chartValue(item.f1)).join(', ')}]`,
    ],
    `F1 score of each class${subset}.`,
  );
}

/** Every chart the report has data for, in reading order. */
export function renderCharts(report: MetricsReport, classLimit: number): string[] {
  const charts = [renderRocChart(report), renderPrecisionRecallChart(report)];
  if (report.task === 'multiclass' && report.per_class) charts.push(renderClassF1Chart(report.per_class, classLimit));
  return charts.filter((chart): chart is string => chart !== undefined);
}
