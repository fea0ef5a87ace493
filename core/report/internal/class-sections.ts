import type { ClassMetrics, ConfusionMatrix, MetricsReport } from '../../metrics/index.ts';
import { inert, formatChange, formatCount, formatNumber, table } from '../format.ts';

/**
 * The report with its classes shown by the config's names (`models.<m>.labels`, in the order of
 * the model's class indices, which is the order of `per_class` and the matrix). Names that do not
 * count the same classes are ignored: a wrong name on a row is worse than the measured label.
 */
export function withClassNames(report: MetricsReport, names: readonly string[] | undefined): MetricsReport {
  const measured = report.per_class?.map((item) => item.label) ?? report.confusion_matrix?.labels;
  if (!names || !measured || names.length !== measured.length || report.task === 'regression') return report;
  const rename = new Map(measured.map((label, i) => [label, names[i]]));
  const shown = (label: string) => rename.get(label) ?? label;
  return {
    ...report,
    ...(report.per_class && { per_class: report.per_class.map((item) => ({ ...item, label: shown(item.label) })) }),
    ...(report.confusion_matrix && {
      confusion_matrix: { ...report.confusion_matrix, labels: report.confusion_matrix.labels.map(shown) },
    }),
  };
}

/**
 * Classes ordered by support, largest first (ties keep the report's order): when a report has
 * more classes than fit, the ones that weigh most in the weighted metrics are shown.
 */
export function classesBySupport(perClass: readonly ClassMetrics[]): ClassMetrics[] {
  return perClass
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.support - a.item.support || a.index - b.index)
    .map(({ item }) => item);
}

/**
 * `class | precision | recall | f1 | change in f1 | support`, at most `limit` rows (by support,
 * then shown in the report's class order). The change column appears when the baseline has
 * per-class numbers.
 */
export function renderClassTable(report: MetricsReport, baseline: MetricsReport | undefined, limit: number): string {
  const perClass = report.per_class ?? [];
  const shown = new Set(classesBySupport(perClass).slice(0, limit));
  const before = new Map((baseline?.per_class ?? []).map((item) => [item.label, item]));
  const withChange = before.size > 0;
  const header = ['class', 'precision', 'recall', 'f1', ...(withChange ? ['change in f1'] : []), 'support'];
  const rows = perClass
    .filter((item) => shown.has(item))
    .map((item) => [
      inert(item.label),
      formatNumber(item.precision),
      formatNumber(item.recall),
      formatNumber(item.f1),
      ...(withChange
        ? [formatChange('f1', item.f1, before.get(item.label)?.f1, before.get(item.label)?.f1_interval)]
        : []),
      formatCount(item.support),
    ]);
  const align = ['l', 'r', 'r', 'r', ...(withChange ? ['r'] : []), 'r'];
  const note =
    shown.size < perClass.length
      ? `\n\n_Showing the ${formatCount(shown.size)} classes with the most support of ${formatCount(perClass.length)}._`
      : '';
  return `${table([header, ...rows], align)}${note}`;
}

/** Rows are true classes, columns predicted classes; the diagonal (correct) is bold. */
export function renderConfusionMatrix(matrix: ConfusionMatrix): string {
  const labels = matrix.labels.map(inert);
  const rows = matrix.matrix.map((row, i) => [
    `**${labels[i]}**`,
    ...row.map((count, j) => (i === j ? `**${formatCount(count)}**` : formatCount(count))),
  ]);
  const header = ['true ↓ · predicted →', ...labels];
  return table([header, ...rows], ['l', ...labels.map(() => 'r')]);
}

export interface Confusion {
  actual: string;
  predicted: string;
  count: number;
  /** Share of the true class's rows that went to `predicted`. */
  share: number;
}

/** The largest off-diagonal cells: what a matrix too big to print would show a reader first. */
export function topConfusions(matrix: ConfusionMatrix, limit: number): Confusion[] {
  const found: Confusion[] = [];
  matrix.matrix.forEach((row, i) => {
    const support = row.reduce((sum, count) => sum + count, 0);
    row.forEach((count, j) => {
      if (i !== j && count > 0) {
        found.push({
          actual: matrix.labels[i],
          predicted: matrix.labels[j],
          count,
          share: support ? count / support : 0,
        });
      }
    });
  });
  // Ties by share, then by position, so the output is stable between runs.
  return found.sort((a, b) => b.count - a.count || b.share - a.share).slice(0, limit);
}

export function renderTopConfusions(matrix: ConfusionMatrix, limit: number): string {
  const top = topConfusions(matrix, limit);
  if (top.length === 0) return '_No misclassifications._';
  const rows = top.map((item) => [
    inert(item.actual),
    inert(item.predicted),
    formatCount(item.count),
    `${(item.share * 100).toFixed(1)}%`,
  ]);
  const intro = `_The ${formatCount(matrix.labels.length)}×${formatCount(matrix.labels.length)} confusion matrix is too large to show; these are its ${formatCount(top.length)} largest off-diagonal cells._`;
  return `${intro}\n\n${table([['true class', 'predicted as', 'rows', 'share of true class'], ...rows], ['l', 'l', 'r', 'r'])}`;
}
