import { stringify } from 'yaml';
import type { ModelConfig } from '../../config/index.ts';
import { dataFiles, type MetricsReport, type Task } from '../../metrics/index.ts';
import { hubLicense } from './hub-license.ts';
import { metricName, metricsToShow, TASK_NAMES } from './metric-labels.ts';

/** Hugging Face task ids for tabular models. */
const HF_TASK: Record<Task, string> = {
  binary: 'tabular-classification',
  multiclass: 'tabular-classification',
  regression: 'tabular-regression',
};

const UNKNOWN = 'unknown';

/**
 * The card's YAML front matter in the Hugging Face model card format: `model-index` holds one
 * result (task, evaluation dataset, metrics) so the Hub and tools that read it show the numbers.
 * Values Cairn does not know are `unknown`, never guessed. Keys follow the Hub's model card
 * metadata: `license` as a Hub id (hub-license.ts), `library_name`, `pipeline_tag`, `tags`.
 */
export function renderFrontMatter(report: MetricsReport, model?: ModelConfig): string {
  const data = report.data;
  const files = data ? dataFiles(data) : [];
  // Several files (a merged evaluation over more than one) have no one revision to name.
  const dataset: Record<string, string> =
    files.length === 1
      ? { name: files[0].path.split('/').pop() ?? files[0].path, type: files[0].path, revision: files[0].sha256 }
      : files.length > 1
        ? { name: `${files.length} files`, type: files.map((file) => file.path).join(', ') }
        : { name: UNKNOWN, type: UNKNOWN };
  const metrics = metricsToShow(report)
    .filter((name) => typeof report.metrics[name] === 'number' && Number.isFinite(report.metrics[name]))
    .map((name) => ({ type: name, name: metricName(name), value: report.metrics[name] as number }));
  const meta: Record<string, unknown> = {};
  if (model?.card?.license) Object.assign(meta, hubLicense(model.card.license));
  meta.library_name = 'onnx';
  meta.pipeline_tag = HF_TASK[report.task];
  meta.tags = ['cairn', 'onnx', HF_TASK[report.task]];
  meta['model-index'] = [
    {
      name: report.name,
      results: [{ task: { type: HF_TASK[report.task], name: TASK_NAMES[report.task] }, dataset, metrics }],
    },
  ];
  return `---\n${stringify(meta, { lineWidth: 0 })}---`;
}
