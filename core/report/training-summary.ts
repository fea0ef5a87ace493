/**
 * The job summary of a training run (actions/train; `cairn train` could print it too): how it ended,
 * what it ran on and produced, and charts of its memory and GPU use over time. Every string from the
 * record or the workflow goes through inert.ts; the charts are downsampled, so the size stays bounded
 * however long the run.
 */
import type { TelemetrySample } from '../gpu/index.ts';
import type { TrainingRecord } from '../train/index.ts';
import { codeCell, formatCount, inert, table } from './format.ts';
import { renderTelemetryCharts } from './internal/telemetry-charts.ts';
import { formatDuration, shortened } from './internal/training-details.ts';

export interface TrainingSummaryInput {
  record: TrainingRecord;
  /** The telemetry's time series (not in the record); without it, no charts. */
  series?: readonly TelemetrySample[];
  /** The command as the user wrote it (the action's shell string); default, the record's argv. */
  command?: string;
  /** The model's name, for the heading. */
  name?: string;
  recordPath?: string;
  modelUri?: string;
}

/** Rows of the per-GPU table; an 8-GPU box is the common large case. */
const GPU_ROWS = 64;

const STATUS: Record<TrainingRecord['status'], string> = {
  succeeded: '✅ succeeded',
  failed: '❌ failed',
  cancelled: '⏹️ cancelled',
  timed_out: '⏱️ timed out',
};

function exitCell(record: TrainingRecord): string {
  if (record.exit_code !== null) return String(record.exit_code);
  return record.signal ? `none: ended by ${inert(record.signal)}` : 'none';
}

function gpuCell(record: TrainingRecord): string {
  const probe = record.gpu;
  if (probe === null) return 'not probed';
  if (probe.count === 0) return `none${probe.reason ? ` (${inert(probe.reason)})` : ''}`;
  const byModel = new Map<string, number>();
  for (const device of probe.devices) byModel.set(device.name, (byModel.get(device.name) ?? 0) + 1);
  const models = [...byModel].map(([name, count]) => `${count} × ${name}`).join(', ');
  return inert(`${models}${probe.cuda_version ? `, CUDA ${probe.cuda_version}` : ''}`);
}

function gpuTable(record: TrainingRecord): string | undefined {
  const gpus = record.telemetry.gpus;
  if (gpus.length === 0) return undefined;
  const names = new Map((record.gpu?.devices ?? []).map((device) => [device.index, device.name]));
  const rows = gpus
    .slice(0, GPU_ROWS)
    .map((gpu) => [
      String(gpu.index),
      inert(names.get(gpu.index) ?? ''),
      `${Math.round(gpu.mean_utilization_pct)} %`,
      `${formatCount(Math.round(gpu.peak_memory_mib))} MiB`,
    ]);
  const more = gpus.length > GPU_ROWS ? `\n\n_${gpus.length - GPU_ROWS} more GPUs in the record._` : '';
  return `${table([['GPU', 'Model', 'Mean utilisation', 'Peak memory'], ...rows], ['r', 'l', 'r', 'r'])}${more}`;
}

export function renderTrainingSummary(input: TrainingSummaryInput): string {
  const { record } = input;
  const command = input.command ?? record.command.join(' ');
  const rows = [
    ['', 'This run'],
    ['Status', STATUS[record.status]],
    ['Exit code', exitCell(record)],
    ['Duration', formatDuration(record.duration_s)],
    ['Peak RSS', `${formatCount(Math.round(record.telemetry.peak_rss_mb))} MiB`],
    ['GPUs', gpuCell(record)],
    ['Model sha256', record.model ? codeCell(record.model.sha256) : 'none'],
    ['Model URI', input.modelUri ? codeCell(input.modelUri) : 'not pushed'],
    ['Command', codeCell(shortened(command))],
  ];
  if (input.recordPath) rows.push(['Record', codeCell(input.recordPath)]);
  const heading = `### Training${input.name ? ` ${inert(input.name)}` : ''}: ${STATUS[record.status]} in ${formatDuration(record.duration_s)}`;
  const memoryTotalMib = Math.max(0, ...(record.gpu?.devices ?? []).map((device) => device.memory_total_mib));
  const charts = renderTelemetryCharts(input.series ?? [], { memoryTotalMib: memoryTotalMib || undefined });
  const samples = record.telemetry.samples;
  const chartNote =
    charts.length === 0 && input.series
      ? [
          `_No chart: ${samples === 0 ? 'telemetry was off' : `${samples} telemetry sample${samples === 1 ? '' : 's'}, too few`}._`,
        ]
      : [];
  return [heading, table(rows, ['l', 'l']), gpuTable(record), ...charts, ...chartNote]
    .filter((part): part is string => part !== undefined)
    .join('\n\n');
}
