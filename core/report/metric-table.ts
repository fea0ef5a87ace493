import { dataFiles, type GateResult, type MetricsReport } from '../metrics/index.ts';
import {
  code,
  codeCell,
  inert,
  formatChange,
  formatCount,
  formatNumber,
  isLowerBetter,
  MARK,
  shortHash,
  table,
} from './format.ts';
import { metricsToShow } from './internal/metric-labels.ts';

export interface ColumnLabels {
  /** Header of the run being reported; default "this PR" (a retraining job may say "challenger"). */
  current?: string;
  /** Header of the reference run; default "baseline". */
  baseline?: string;
}

/** `baseline` as a reader knows it: the ref and short commit it was evaluated on, when known. */
export function describeBaseline(baseline: MetricsReport): string {
  const ref = baseline.git?.ref ? code(baseline.git.ref) : undefined;
  const sha = baseline.git?.sha ? code(shortHash(baseline.git.sha)) : undefined;
  if (ref && sha) return `${ref} (${sha})`;
  if (ref || sha) return (ref ?? sha) as string;
  // Without git facts the model file is the best identity a reader can check.
  return baseline.model
    ? `the baseline model ${code(baseline.model.path)} (${code(shortHash(baseline.model.sha256))})`
    : 'the baseline';
}

/**
 * `metric | baseline | this PR | change`, direction-aware marks (🟢 better, 🔴 worse, lower is
 * better for the metrics marked ↓). Without a baseline: `metric | this PR`.
 */
export function renderMetricTable(report: MetricsReport, baseline?: MetricsReport, labels: ColumnLabels = {}): string {
  // Labels can carry versions and stage names (a deployment review): inert like any cell.
  const current = inert(labels.current ?? 'this PR');
  const reference = inert(labels.baseline ?? 'baseline');
  const names = metricsToShow(report, baseline);
  const label = (name: string) => inert(isLowerBetter(name) ? `${name} ↓` : name);
  if (names.length === 0) return '_No metrics in this report._';

  const rows = baseline
    ? [
        ['metric', reference, current, 'change'],
        ...names.map((name) => [
          label(name),
          formatNumber(baseline.metrics[name]),
          formatNumber(report.metrics[name]),
          formatChange(name, report.metrics[name], baseline.metrics[name], baseline.intervals?.[name]),
        ]),
      ]
    : [['metric', current], ...names.map((name) => [label(name), formatNumber(report.metrics[name])])];
  const rendered = table(rows, baseline ? ['l', 'r', 'r', 'r'] : ['l', 'r']);
  const lower = names.filter(isLowerBetter);
  const legend = [
    baseline ? `${MARK.better} better · ${MARK.worse} worse than the baseline` : undefined,
    lower.length > 0 ? '↓ lower is better' : undefined,
    names.some((name) => report.metrics[name] === null)
      ? 'n/a: undefined for this data (as in scikit-learn)'
      : undefined,
  ].filter(Boolean);
  const noise = baseline ? `\n\n<sub>${noiseRule(baseline)}</sub>` : '';
  return legend.length > 0 ? `${rendered}\n\n<sub>${legend.join(' · ')}</sub>${noise}` : `${rendered}${noise}`;
}

/** The one line that says how a change is told from noise. */
export function noiseRule(baseline: MetricsReport): string {
  const how = baseline.bootstrap;
  if (!baseline.intervals || !how)
    return `Noise: the baseline records no bootstrap intervals (an older metrics.json), so every change is marked ${MARK.better} or ${MARK.worse}.`;
  return `Noise: a change is ${MARK.better} or ${MARK.worse} only when this value lies outside the baseline's ${formatPercent(how.confidence)} bootstrap interval (${formatCount(how.resamples)} resamples of its evaluation rows, seed ${how.seed}); inside it, ${MARK.same}.`;
}

const formatPercent = (share: number) => `${Number((share * 100).toFixed(1))}%`;

/** One line under the title: task, rows, data and model identity, what it is compared with. */
export function renderRunLine(report: MetricsReport, baseline?: MetricsReport): string {
  const parts = [`**${report.task}**`, `${formatCount(report.rows)} rows`];
  if (report.data) {
    const files = dataFiles(report.data).map((file) => `${code(file.path)} (${code(shortHash(file.sha256))})`);
    const merged = 'parts' in report.data ? `, merged from ${report.data.parts.length} shards` : '';
    parts.push(`data ${files.join(', ')}${merged}`);
  }
  if (report.model) parts.push(`model ${code(report.model.path)} (${code(shortHash(report.model.sha256))})`);
  parts.push(baseline ? `compared with ${describeBaseline(baseline)}` : 'no baseline to compare with');
  return parts.join(' · ');
}

export function verdictOf(
  gate: GateResult | undefined,
  disabled?: MetricsReport['gate_disabled'],
): { emoji: string; word: string } {
  if (!gate) return { emoji: '📊', word: disabled ? 'evaluated (gate turned off)' : 'evaluated (no gate)' };
  return gate.passed ? { emoji: '✅', word: 'gate passed' } : { emoji: '❌', word: 'gate failed' };
}

/** `## ✅ churn: gate passed` — the verdict is always in the first heading. */
export function renderTitle(report: MetricsReport): string {
  const { emoji, word } = verdictOf(report.gate, report.gate_disabled);
  return `## ${emoji} ${inert(report.name)}: ${word}`;
}

/**
 * The gate headline and a rule table with the numbers each rule was checked against. `disabled`
 * (the report's `gate_disabled`) says the gate was turned off on purpose, so a reader does not
 * take "no gate" for a missing config.
 */
export function renderGateSection(gate: GateResult | undefined, disabled?: MetricsReport['gate_disabled']): string {
  if (!gate && disabled) {
    const configured = disabled.configured ? `; the configured gate ${code(disabled.configured)} was not checked` : '';
    return `⚠️ **Gate:** turned off on purpose for this evaluation (no-gate)${configured}.`;
  }
  if (!gate) return '**Gate:** none configured.';
  const failed = gate.rules.filter((rule) => !rule.passed).length;
  const headline = gate.passed
    ? `✅ **Gate passed** (${gate.rules.length} of ${gate.rules.length} rules): ${code(gate.expression)}`
    : `❌ **Gate failed** (${failed} of ${gate.rules.length} rules failed): ${code(gate.expression)}`;
  const rows = [
    ['rule', 'value', 'threshold', 'result'],
    ...gate.rules.map((rule) => [
      codeCell(rule.rule),
      formatNumber(rule.actual),
      formatNumber(rule.threshold),
      inert(`${rule.passed ? '✅ pass' : '❌ fail'}${rule.reason ? `: ${rule.reason}` : ''}`),
    ]),
  ];
  return `${headline}\n\n${table(rows, ['l', 'r', 'r', 'l'])}`;
}
