/**
 * The training record (metrics.json `training`) in a model card and a PR comment. The record comes
 * from a file a workflow passed along, so every string in it goes through inert() or code().
 */
import type { TrainingRecord } from '../../metrics/index.ts';
import { code, codeCell, escapeCell, formatCount, inert, table } from '../format.ts';

/** Params or metrics beyond this many leaves are counted, not listed: a card is not a dump. */
const MAX_ENTRIES = 30;
/** A command, param or metric longer than this is cut (the card, the job summary): the record holds all of it. */
export const SHOWN_CHARS = 300;

export function shortened(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s % 60} s`;
}

/** `1 x NVIDIA H100 80GB HBM3 (driver 550.54.15, CUDA 12.4)`, or why there was none. */
function hardware(training: TrainingRecord): string {
  const gpu = training.gpu;
  const runner = `${inert(training.runner.name)} (${inert(training.runner.os)}, ${inert(training.runner.arch)})`;
  if (!gpu) return `no GPU asked for, on ${runner}`;
  if (gpu.count === 0) return `no GPU (${inert(gpu.reason ?? 'none found')}), on ${runner}`;
  const models = new Map<string, number>();
  for (const device of gpu.devices) models.set(device.name, (models.get(device.name) ?? 0) + 1);
  const versions = [
    gpu.driver_version && inert(`driver ${gpu.driver_version}`),
    gpu.cuda_version && inert(`CUDA ${gpu.cuda_version}`),
  ]
    .filter(Boolean)
    .join(', ');
  const devices = [...models].map(([name, count]) => `${count} x ${inert(name)}`).join(', ');
  return `${devices}${versions ? ` (${versions})` : ''}, on ${runner}`;
}

function outcome(training: TrainingRecord): string {
  if (training.status === 'failed')
    return training.signal ? `failed (killed by ${inert(training.signal)})` : `failed (exit ${training.exit_code})`;
  return training.status.replace('_', ' ');
}

/** One line for the PR comment. */
export function renderTrainingLine(training: TrainingRecord): string {
  return `**Training:** ${outcome(training)} in ${formatDuration(training.duration_s)} on ${hardware(training)}.`;
}

/** `key.path` -> value for every leaf of a params or metrics document, in document order. */
function leaves(value: unknown, prefix = ''): Array<[string, string]> {
  if (value === null || typeof value !== 'object')
    return [[prefix || '(value)', typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null')]];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  if (entries.length === 0) return [[prefix || '(value)', Array.isArray(value) ? '[]' : '{}']];
  return entries.flatMap(([key, item]) => leaves(item, prefix ? `${prefix}.${key}` : key));
}

function valueTable(title: string, value: unknown): string {
  const rows = leaves(value);
  const shown = rows
    .slice(0, MAX_ENTRIES)
    .map(([key, item]) => [codeCell(shortened(key)), escapeCell(shortened(item))]);
  const more =
    rows.length > MAX_ENTRIES
      ? `\n\n_${rows.length - MAX_ENTRIES} more not shown; the training record has them all._`
      : '';
  return `**${title}:**\n\n${table([['name', 'value'], ...shown])}${more}`;
}

/** The model card's "Training" section: outcome, hardware and peaks, data versions, params, metrics. */
export function renderTrainingSection(training: TrainingRecord): string {
  const facts = [
    `- **Outcome:** ${outcome(training)}, ${formatDuration(training.duration_s)} (started ${inert(training.started_at)})`,
    `- **Hardware:** ${hardware(training)}`,
    `- **Command:** ${code(shortened(training.command.join(' ')))}`,
  ];
  const { telemetry } = training;
  if (telemetry.samples > 0) {
    const gpus = telemetry.gpus.map(
      (gpu) =>
        `GPU ${gpu.index}: ${formatCount(Math.round(gpu.peak_memory_mib))} MiB peak, ${Math.round(gpu.mean_utilization_pct)} % mean utilisation`,
    );
    facts.push(
      `- **Peak memory:** ${formatCount(Math.round(telemetry.peak_rss_mb))} MB RSS${gpus.length > 0 ? `; ${gpus.join('; ')}` : ''}`,
    );
  }
  if (training.data.length > 0)
    facts.push(
      `- **Data versions:** ${training.data.map((item) => `${code(item.path)} md5 ${code(item.md5)}`).join(', ')}`,
    );
  if (training.model) facts.push(`- **Model:** ${code(training.model.path)}, sha256 ${code(training.model.sha256)}`);
  if (training.git)
    facts.push(`- **Commit:** ${code(training.git.sha)}${training.git.ref ? ` (${code(training.git.ref)})` : ''}`);
  const parts = [facts.join('\n')];
  if (training.params !== null) parts.push(valueTable('Parameters', training.params));
  if (training.metrics !== null) parts.push(valueTable('Training metrics', training.metrics));
  return parts.join('\n\n');
}
