import { formatKeyPath, type ModelCardFields, type ModelConfig } from '../config/index.ts';
import type { MetricsReport } from '../metrics/index.ts';
import { renderClassTable, withClassNames } from './internal/class-sections.ts';
import { code, inert, inertLines, formatCount } from './format.ts';
import { METRIC_INFO, TASK_NAMES, metricsToShow } from './internal/metric-labels.ts';
import { renderMetricTable } from './metric-table.ts';
import { renderFrontMatter } from './internal/model-index.ts';
import { renderRunDetails } from './internal/run-details.ts';
import { describeData } from './internal/data-lines.ts';
import { renderTrainingSection } from './internal/training-details.ts';

/** The card's section of tables; a report that embeds the card shows these tables itself. */
export const QUANTITATIVE_ANALYSES = 'Quantitative analyses';

export interface ModelCardInput {
  report: MetricsReport;
  baseline?: MetricsReport;
  /** The model's entry in `.github/cairn.yml`; its `card` fills the sections only people can write. */
  model?: ModelConfig;
  /** The `model-index` front matter (for a README.md on the Hub); default true. */
  frontMatter?: boolean;
}

/**
 * A model card after Mitchell et al., "Model Cards for Model Reporting" (2019): model details,
 * intended use, factors, metrics, evaluation data, training data, quantitative analyses, ethical
 * considerations, caveats and recommendations, with Hugging Face `model-index` front matter.
 * Measured facts come from metrics.json; prose comes from the config. A field nobody wrote says
 * so and names the key to set: a card must not invent claims about a model.
 */
export function renderModelCard(input: ModelCardInput): string {
  const { report, baseline, model } = input;
  const card: ModelCardFields = model?.card ?? {};
  const keyPrefix = formatKeyPath(['models', report.name]);
  const notProvided = (key: string) => `_Not provided in .github/cairn.yml_ (set ${code(`${keyPrefix}.${key}`)})`;
  // Prose from the config is shown as written, line by line, but inert like any other user text:
  // a card must not ping a team or post a link in the name of the app that renders it.
  const prose = (text: string | undefined, key: string) => (text?.trim() ? inertLines(text.trim()) : notProvided(key));
  const field = (key: keyof ModelCardFields) => prose(card[key], `card.${key}`);

  const details = [
    `- **Name:** ${inert(report.name)}`,
    `- **Task:** ${TASK_NAMES[report.task]}`,
    `- **Model type:** ${model?.type ? inert(model.type) : notProvided('type')}`,
    `- **Description:** ${prose(model?.description, 'description')}`,
    `- **Developers:** ${field('developers')}`,
    `- **License:** ${field('license')}`,
    `- **Format:** ONNX${report.runtime ? `, evaluated with onnxruntime ${inert(report.runtime.onnxruntime)}` : ''}`,
    `- **Model file:** ${report.model ? `${code(report.model.path)}, sha256 ${code(report.model.sha256)}` : model?.path ? code(model.path) : 'unknown'}`,
  ];
  const measured = report.per_class?.map((item) => item.label) ?? report.confusion_matrix?.labels;
  const names = model?.labels;
  if (report.task !== 'regression' && (measured || names)) {
    // Config names are display names for the measured labels; show both when they line up.
    const classes =
      measured && names && names.length === measured.length
        ? names.map((name, i) => (name === measured[i] ? inert(name) : `${inert(name)} (${code(measured[i])})`))
        : (measured ?? names ?? []).map(inert);
    details.push(`- **Classes:** ${classes.join(', ')}`);
  }
  if (report.data?.target) details.push(`- **Target:** ${code(report.data.target)}`);
  const features = report.data?.features;
  if (features)
    details.push(
      `- **Features** (${formatCount(features.length)}, in model input order): ${features.map(code).join(', ')}`,
    );
  const decision = decisionLine(report, model, `${keyPrefix}.threshold`);
  if (decision) details.push(`- **Decision threshold:** ${decision}`);
  if (report.git)
    details.push(`- **Version:** commit ${code(report.git.sha)}${report.git.ref ? ` (${code(report.git.ref)})` : ''}`);
  if (report.created_at) details.push(`- **Evaluated:** ${inert(report.created_at)}`);
  details.push(`- **Citation:** ${field('citation')}`, `- **Contact:** ${field('contact')}`);

  const metricLines = metricsToShow(report).map(
    (name) => `- ${code(name)}: ${METRIC_INFO[name]?.definition ?? 'custom metric'}`,
  );
  const metrics = [
    'Performance measures, computed with scikit-learn definitions:',
    '',
    ...metricLines,
    '',
    report.gate
      ? `Release gate: ${code(report.gate.expression)} (${report.gate.passed ? 'passed' : 'failed'}).`
      : report.gate_disabled
        ? 'Release gate: turned off on purpose for this evaluation (no-gate).'
        : 'Release gate: none configured.',
  ];

  const evaluation = [
    report.data ? `- **Dataset:** ${describeData(report.data)}` : '- **Dataset:** unknown',
    `- **Description:** ${field('evaluation_data')}`,
  ];

  const quantitative = [renderMetricTable(report, baseline, { current: 'this model' })];
  if (report.per_class && report.per_class.length > 0) {
    const named = (which: MetricsReport) => withClassNames(which, model?.labels);
    quantitative.push(
      'Per class:',
      renderClassTable(named(report), baseline && named(baseline), report.per_class.length),
    );
  }
  const run = renderRunDetails(report);
  if (run) quantitative.push(run);

  const sections: Array<[string, string]> = [
    ['Model details', details.join('\n')],
    [
      'Intended use',
      `**Primary intended uses:** ${field('intended_use')}\n\n**Out-of-scope uses:** ${field('out_of_scope_use')}`,
    ],
    ['Factors', field('factors')],
    ['Metrics', metrics.join('\n')],
    ['Evaluation data', evaluation.join('\n')],
    ['Training data', field('training_data')],
    ...(report.training ? [['Training', renderTrainingSection(report.training)] as [string, string]] : []),
    [QUANTITATIVE_ANALYSES, quantitative.join('\n\n')],
    ['Ethical considerations', field('ethical_considerations')],
    [
      'Caveats and recommendations',
      `**Limitations:** ${field('limitations')}\n\n**Recommendations:** ${field('recommendations')}`,
    ],
  ];
  return [
    ...(input.frontMatter === false ? [] : [renderFrontMatter(report, model), '']),
    `# Model card: ${inert(report.name)}`,
    '',
    '_Measured facts come from the evaluation (metrics.json); descriptions come from `.github/cairn.yml`._',
    ...sections.flatMap(([title, body]) => ['', `## ${title}`, '', body]),
    '',
  ].join('\n');
}

/** How the card states the decision rule; undefined for regression or when nothing is known. */
function decisionLine(report: MetricsReport, model: ModelConfig | undefined, key: string): string | undefined {
  if (report.task === 'regression') return undefined;
  const measured = report.per_class?.map((item) => item.label) ?? report.confusion_matrix?.labels;
  const names = model?.labels && measured && model.labels.length === measured.length ? model.labels : measured;
  const positive = report.task === 'binary' && names?.[1] !== undefined ? inert(names[1]) : 'the positive class';
  const decision = report.decision;
  if (decision?.rule === 'threshold')
    return `${positive} when its probability is ≥ ${decision.threshold} (set by ${code(key)})`;
  if (decision) {
    const how =
      decision.rule === 'argmax' ? 'argmax: the most probable class' : "the model's own predicted label (its argmax)";
    return report.task === 'binary'
      ? `${how}, ${positive} when its probability is > 0.5 (${code(key)} is not set)`
      : how;
  }
  // A metrics.json from before decisions were recorded: only the config can say.
  return model?.threshold !== undefined
    ? `${model.threshold} (${code(key)}; this evaluation did not record which rule it applied)`
    : undefined;
}
