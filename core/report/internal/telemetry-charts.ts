import type { TelemetrySample } from '../../gpu/index.ts';
import { block, quote } from './mermaid-charts.ts';

/** Points per line: enough to see a training run's shape, few enough that a long run's chart stays a few KiB. */
export const MAX_CHART_POINTS = 100;

/** Lines per GPU chart: xychart-beta draws no legend, so beyond this the per-GPU table says more than the chart. */
export const MAX_CHART_GPUS = 8;

/**
 * The series on an even time grid of at most `points` values (xychart spaces a line's values evenly),
 * each the largest reading in its slice of time, so a short spike survives downsampling; a slice
 * with no sample repeats the one before. Missing readings (a GPU absent from a sample) are skipped.
 */
export function resampleSeries(
  series: readonly TelemetrySample[],
  read: (sample: TelemetrySample) => number | undefined,
  points = MAX_CHART_POINTS,
): number[] {
  const readings = series
    .map((sample) => ({ t: sample.t_s, value: read(sample) }))
    .filter((reading): reading is { t: number; value: number } => Number.isFinite(reading.value));
  if (readings.length <= points) return readings.map((reading) => reading.value);
  const start = readings[0].t;
  const span = readings[readings.length - 1].t - start || 1;
  const slices: Array<number | undefined> = new Array<number | undefined>(points).fill(undefined);
  for (const reading of readings) {
    const slice = Math.min(points - 1, Math.floor(((reading.t - start) / span) * points));
    slices[slice] = Math.max(slices[slice] ?? -Infinity, reading.value);
  }
  let last = readings[0].value;
  return slices.map((value) => (last = value ?? last));
}

function gpuIndexes(series: readonly TelemetrySample[]): number[] {
  return [...new Set(series.flatMap((sample) => sample.gpus.map((gpu) => gpu.index)))].sort((a, b) => a - b);
}

function axisTop(values: readonly number[], floor: number): number {
  const peak = Math.max(floor, ...values);
  return Math.ceil(peak * 1.1) || 1;
}

function round(value: number, digits: number): string {
  return String(Math.round(value * 10 ** digits) / 10 ** digits);
}

/** The charts of a run's telemetry: the tree's RSS, then each GPU's utilisation and memory. */
export function renderTelemetryCharts(
  series: readonly TelemetrySample[],
  options: { memoryTotalMib?: number } = {},
): string[] {
  if (series.length < 2) return [];
  const end = Math.max(1, Math.ceil(series[series.length - 1].t_s));
  const xAxis = `x-axis ${quote('Time (s)')} 0 --> ${end}`;
  const rss = resampleSeries(series, (sample) => sample.rss_mb);
  const charts = [
    block(
      [
        `title ${quote('Resident memory of the command and its children')}`,
        xAxis,
        `y-axis ${quote('RSS (MiB)')} 0 --> ${axisTop(rss, 1)}`,
        `line [${rss.map((value) => round(value, 1)).join(', ')}]`,
      ],
      `Resident set size (MiB) of the whole process tree over the run's ${end} s.`,
    ),
  ];
  const all = gpuIndexes(series);
  if (all.length === 0) return charts;
  const shown = all.slice(0, MAX_CHART_GPUS);
  const which =
    shown.length === 1
      ? `GPU ${shown[0]}`
      : `one line per GPU (${shown.join(', ')}${all.length > shown.length ? `; ${all.length - shown.length} more in the table` : ''})`;
  const perGpu = (field: 'utilization_pct' | 'memory_used_mib') =>
    shown.map((index) => resampleSeries(series, (sample) => sample.gpus.find((gpu) => gpu.index === index)?.[field]));
  const utilisation = perGpu('utilization_pct');
  const memory = perGpu('memory_used_mib');
  charts.push(
    block(
      [
        `title ${quote('GPU utilisation')}`,
        xAxis,
        `y-axis ${quote('Utilisation (%)')} 0 --> 100`,
        ...utilisation.map((line) => `line [${line.map((value) => round(value, 0)).join(', ')}]`),
      ],
      `GPU utilisation (%) over the run, ${which}.`,
    ),
    block(
      [
        `title ${quote('GPU memory used')}`,
        xAxis,
        `y-axis ${quote('Memory (MiB)')} 0 --> ${axisTop(memory.flat(), options.memoryTotalMib ?? 1)}`,
        ...memory.map((line) => `line [${line.map((value) => round(value, 0)).join(', ')}]`),
      ],
      `GPU memory used (MiB) over the run, ${which}.`,
    ),
  );
  return charts;
}
