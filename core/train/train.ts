/**
 * One training run: refuse early what cannot work (no GPU where one is required, params or data
 * that are not there), run the command while sampling telemetry, and write the training record for
 * every outcome once the command started.
 */
import { writeFileAtomic } from '../atomic-write.ts';
import { UserError } from '../errors.ts';
import { probeGpus, startTelemetry, type GpuProbe, type TelemetrySummary } from '../gpu/index.ts';
import type { Logger } from '../logger.ts';
import { cliOption, type OptionName, type SpellOption } from '../option-names.ts';
import { dataVersions, digestModel, readStructuredFile } from './internal/record-inputs.ts';
import { exitCodeOf, runCommand } from './internal/run-command.ts';
import type { RunnerIdentity } from './runner-identity.ts';
import { TRAINING_RECORD_SCHEMA } from './training-record.ts';
import type { TrainingRecord } from '../metrics/index.ts';

export type GpuRequirement = 'required' | 'optional' | 'none';

/** A file the user named: the absolute path, and the option and path as they wrote it, for messages and the record. */
export interface NamedFile {
  path: string;
  shown: string;
}

export interface TrainOptions {
  /** argv: the program and its arguments, run without a shell. */
  command: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  gpu: GpuRequirement;
  record: NamedFile;
  params?: NamedFile;
  metrics?: NamedFile;
  model?: NamedFile;
  /** `.dvc` files or dvc.lock whose outputs the run trains on. */
  data?: readonly NamedFile[];
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL (default 5 s). */
  graceMs?: number;
  /** Telemetry sampling interval in seconds (default 1); 0 samples nothing. */
  telemetryIntervalS?: number;
  /** The commit; a promise may still be settling while the command runs. */
  git?: GitLineage | Promise<GitLineage | undefined>;
  runner: RunnerIdentity;
  /** Aborted with `'SIGINT'` or `'SIGTERM'` when Cairn receives that signal. */
  signal?: AbortSignal;
  /** How messages name options: `--gpu` (the CLI, the default) or `gpu:` (actions/train). */
  spell?: SpellOption;
  /** Where the GPU probe reads the driver's /proc entries (tests point it at an empty folder). */
  gpuProcRoot?: string;
}

export interface TrainResult {
  record: TrainingRecord;
  /** What `cairn train` exits with. */
  exitCode: number;
  /** Telemetry with its time series, for a chart; undefined when sampling was off. */
  telemetry?: TelemetrySummary;
}

export const DEFAULT_GRACE_MS = 5_000;
/**
 * How long the record waits for a GPU probe still running when the command has ended: a hung
 * nvidia-smi (each call may take 10 s) must not outlast the runner's kill and cost the record.
 */
export const PROBE_WAIT_MS = 2_000;

type GitLineage = { sha: string; ref?: string | null };

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { logger } = options;
  const spell = options.spell ?? cliOption;
  if (options.command.length === 0)
    throw new UserError('name the command to run after --: cairn train -- python train.py');
  // With --gpu optional the probe (nvidia-smi can take a second to load NVML) runs beside the
  // command rather than before it; telemetry starts once it has answered.
  const stopProbe = new AbortController();
  const probing: Promise<GpuProbe | null> =
    options.gpu === 'none'
      ? Promise.resolve(null)
      : probeGpus({ env: options.env, procRoot: options.gpuProcRoot, signal: stopProbe.signal });
  if (options.gpu === 'required') {
    const probe = await probing;
    if (probe === null || probe.count === 0)
      throw new UserError(
        (spell) =>
          `${spell('gpu')} required, but this machine has no GPU (${probe?.reason ?? 'none found'}); nothing ran. Run the job on a GPU runner: \`runs-on: [self-hosted, gpu]\` (a machine under \`cairn runner start\` has the labels gpu, gpu-<model>, cuda-<major>, gpus-<n>), or use ${spell('gpu')} optional.`,
      );
  }
  const params = options.params ? await readParams(options.params) : null;
  const data = await dataVersions(
    (options.data ?? []).map((file) => file.path),
    { cwd: options.cwd, logger, signal: options.signal },
  );

  const intervalS = options.telemetryIntervalS ?? 1;
  let sampler: ReturnType<typeof startTelemetry> | undefined;
  let finished = false;
  const outcome = await runCommand({
    command: options.command,
    cwd: options.cwd,
    env: options.env,
    logger,
    timeoutMs: options.timeoutMs,
    spell,
    graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
    signal: options.signal,
    watchMs: intervalS > 0 ? intervalS * 1000 : undefined,
    onStart: (pid) =>
      void probing.then((gpu) => {
        if (stopProbe.signal.aborted) return; // given up on: the record says so
        if (gpu) logger.info(gpu.count > 0 ? `GPUs: ${describeGpus(gpu)}` : `no GPU: ${gpu.reason ?? 'none found'}`);
        if (intervalS > 0 && !finished)
          sampler = startTelemetry({ rootPid: pid, intervalS, gpus: gpu !== null && gpu.count > 0, env: options.env });
      }),
  });
  finished = true;
  const gpu = await probeWithin(probing, options.signal?.aborted ? 0 : PROBE_WAIT_MS, logger);
  // A probe given up on is killed, so no nvidia-smi keeps `cairn train` alive after the record.
  stopProbe.abort();
  const telemetry = await sampler?.stop();
  const git = await options.git;

  // From here on the record is written whatever happens: a problem with an output is a warning.
  const succeeded = outcome.status === 'succeeded';
  const record: TrainingRecord = {
    schema: TRAINING_RECORD_SCHEMA,
    status: outcome.status,
    exit_code: outcome.exitCode,
    signal: outcome.signal,
    command: [...options.command],
    started_at: outcome.startedAt.toISOString(),
    finished_at: outcome.finishedAt.toISOString(),
    duration_s: Math.round(outcome.finishedAt.getTime() - outcome.startedAt.getTime()) / 1000,
    gpu,
    telemetry: {
      interval_s: intervalS,
      samples: telemetry?.samples ?? 0,
      peak_rss_mb: telemetry?.peak_rss_mb ?? 0,
      gpus: telemetry?.gpus ?? [],
    },
    params,
    metrics: options.metrics
      ? await readOutput(logger, spell, succeeded, 'metrics', options.metrics, readMetrics)
      : null,
    model: options.model
      ? await readOutput(logger, spell, succeeded, 'model', options.model, (file) => digestModel(file.path, file.shown))
      : null,
    data,
    git: git ? { sha: git.sha, ref: git.ref ?? null } : null,
    runner: options.runner,
  };
  await writeFileAtomic(options.record.path, `${JSON.stringify(record, null, 2)}\n`);
  logger.info(`training ${record.status} (${record.duration_s} s); wrote ${options.record.shown}`);
  return { record, exitCode: exitCodeOf(outcome), telemetry };
}

/** The probe's answer, or null (and why, in the log) when it has not come within `ms`. */
async function probeWithin(probing: Promise<GpuProbe | null>, ms: number, logger: Logger): Promise<GpuProbe | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = Symbol('late');
  const answer = await Promise.race([
    probing,
    new Promise<typeof late>((done) => (timer = setTimeout(done, ms, late))),
  ]);
  clearTimeout(timer);
  if (answer !== late) return answer;
  logger.warn(
    `the GPU probe (nvidia-smi) had not answered ${ms > 0 ? `${ms / 1000} s after the command ended` : 'when the run was cancelled'}; the record has gpu: null`,
  );
  return null;
}

async function readParams(file: NamedFile): Promise<unknown> {
  const params = await readStructuredFile(file.path, 'params');
  if (params === undefined)
    throw new UserError((spell) => `${spell('params')} ${file.shown} does not exist; nothing ran.`);
  return params;
}

async function readMetrics(file: NamedFile): Promise<unknown> {
  return readStructuredFile(file.path, 'metrics');
}

/** An output of the run: null when missing (a warning only if the run succeeded) or unreadable (a warning). */
async function readOutput<T>(
  logger: Logger,
  spell: SpellOption,
  succeeded: boolean,
  option: OptionName,
  file: NamedFile,
  read: (file: NamedFile) => Promise<T | undefined>,
): Promise<T | null> {
  try {
    const value = await read(file);
    if (value === undefined && succeeded)
      logger.warn(`${spell(option)} ${file.shown}: the command succeeded but did not write it; the record has null`);
    return value ?? null;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    logger.warn(`${error.messageFor(spell)} The record has null.`);
    return null;
  }
}

function describeGpus(gpu: GpuProbe): string {
  const names = new Map<string, number>();
  for (const device of gpu.devices) names.set(device.name, (names.get(device.name) ?? 0) + 1);
  return [...names].map(([name, count]) => `${count} x ${name}`).join(', ');
}
