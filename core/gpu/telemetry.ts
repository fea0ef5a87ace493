/**
 * Telemetry of a running command: its process tree's RSS from /proc every interval, and each GPU's
 * utilisation and memory from ONE long-running `nvidia-smi --query-gpu=... -lms N` rather than a
 * fresh nvidia-smi per sample: each start of nvidia-smi loads NVML and opens every GPU (tens of ms
 * of CPU, far more without persistence mode), the loop pays that once. bench/train measures both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { treeRssKib } from './internal/process-tree.ts';
import { leadingNumber, parseQueryCsv } from './internal/query-csv.ts';
import { ThinnedSeries } from './internal/series.ts';
import { visibleArgs, visibleDevices } from './internal/visible-devices.ts';

export interface TelemetrySample {
  t_s: number;
  rss_mb: number;
  gpus: { index: number; utilization_pct: number; memory_used_mib: number }[];
}

export interface TelemetrySummary {
  interval_s: number;
  samples: number;
  peak_rss_mb: number;
  gpus: { index: number; peak_memory_mib: number; mean_utilization_pct: number }[];
  /** For the job summary's chart, thinned to at most MAX_SERIES points; not for the training record. */
  series: TelemetrySample[];
}

export interface TelemetryOptions {
  rootPid: number;
  /** Default 1. */
  intervalS?: number;
  /** Sample GPUs through nvidia-smi; default false. */
  gpus?: boolean;
  /** Its PATH finds nvidia-smi; its CUDA_VISIBLE_DEVICES keeps the loop to those GPUs. */
  env?: NodeJS.ProcessEnv;
  /** Default /proc. */
  procRoot?: string;
}

/** A day at one sample a second would be 86,400 points: the chart needs far fewer, memory too. */
export const MAX_SERIES = 1000;
export const GPU_FIELDS = ['index', 'utilization.gpu', 'memory.used'] as const;
/** A line longer than this is not nvidia-smi's: dropped, so a broken stream cannot grow memory. */
const MAX_LINE = 4096;

interface GpuStats {
  latest: { utilization_pct: number; memory_used_mib: number };
  peak: number;
  utilizationSum: number;
  readings: number;
}

export function startTelemetry(options: TelemetryOptions): { stop(): Promise<TelemetrySummary> } {
  const intervalS = options.intervalS ?? 1;
  const started = performance.now();
  const gpuStats = new Map<number, GpuStats>();
  const series = new ThinnedSeries<TelemetrySample>(MAX_SERIES);
  let samples = 0;
  let peakRssKib = 0;
  const sampleGpus = options.gpus === true && visibleDevices(options.env)?.length !== 0;
  const loop = sampleGpus ? startGpuLoop(intervalS, options.env, (line) => readGpuLine(line, gpuStats)) : null;

  const sample = () => {
    const rss = treeRssKib(options.rootPid, options.procRoot);
    peakRssKib = Math.max(peakRssKib, rss);
    const point: TelemetrySample = {
      t_s: round((performance.now() - started) / 1000, 3),
      rss_mb: round(rss / 1024, 1),
      gpus: [...gpuStats.entries()].sort(([a], [b]) => a - b).map(([index, stats]) => ({ index, ...stats.latest })),
    };
    series.add(point);
    samples += 1;
  };

  sample();
  const timer = setInterval(sample, intervalS * 1000);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      sample();
      if (loop) await stopLoop(loop);
      return {
        interval_s: intervalS,
        samples,
        peak_rss_mb: round(peakRssKib / 1024, 1),
        gpus: [...gpuStats.entries()]
          .sort(([a], [b]) => a - b)
          .map(([index, stats]) => ({
            index,
            peak_memory_mib: stats.peak,
            mean_utilization_pct: round(stats.utilizationSum / stats.readings, 1),
          })),
        series: series.points,
      };
    },
  };
}

function startGpuLoop(
  intervalS: number,
  env: NodeJS.ProcessEnv | undefined,
  onLine: (line: string) => void,
): ChildProcess {
  const ms = Math.max(100, Math.round(intervalS * 1000));
  const args = [
    `--query-gpu=${GPU_FIELDS.join(',')}`,
    '--format=csv,noheader,nounits',
    `-lms`,
    String(ms),
    // Under `cairn runner --per-gpu` the other GPUs are other jobs': not this run's telemetry.
    ...visibleArgs(visibleDevices(env)),
  ];
  const child = spawn('nvidia-smi', args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
  // No nvidia-smi, or it stopped: the run goes on with RSS only, and the summary lists no GPU.
  child.on('error', () => undefined);
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    if (buffered.length > MAX_LINE) buffered = '';
    for (const line of lines) if (line.length <= MAX_LINE) onLine(line);
  });
  // Telemetry must never be what keeps a finished `cairn train` alive.
  child.unref();
  (child.stdout as Socket).unref();
  return child;
}

/** Returns once the loop has exited, so no nvidia-smi outlives the run (SIGKILL after a second). */
async function stopLoop(loop: ChildProcess): Promise<void> {
  if (loop.exitCode !== null || loop.signalCode !== null || loop.pid === undefined) return;
  const exited = new Promise((resolve) => loop.once('exit', resolve));
  loop.kill('SIGTERM');
  const timer = setTimeout(() => loop.kill('SIGKILL'), 1000);
  await exited;
  clearTimeout(timer);
}

function readGpuLine(line: string, stats: Map<number, GpuStats>): void {
  const [row] = parseQueryCsv(line, GPU_FIELDS);
  if (!row) return;
  const index = leadingNumber(row.index ?? null);
  const utilization = leadingNumber(row['utilization.gpu'] ?? null);
  const memory = leadingNumber(row['memory.used'] ?? null);
  if (index === null) return;
  const entry = stats.get(index) ?? {
    latest: { utilization_pct: 0, memory_used_mib: 0 },
    peak: 0,
    utilizationSum: 0,
    readings: 0,
  };
  entry.latest = { utilization_pct: utilization ?? 0, memory_used_mib: memory ?? 0 };
  entry.peak = Math.max(entry.peak, memory ?? 0);
  entry.utilizationSum += utilization ?? 0;
  entry.readings += 1;
  stats.set(index, entry);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
