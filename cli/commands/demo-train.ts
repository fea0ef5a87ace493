/**
 * The demo trains as a workflow would: through `cairn train`'s core, so each model comes with its
 * training record (cairn.training/v1) beside it, and Ctrl-C stops the training's whole tree.
 */
import { relative } from 'node:path';
import { UserError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { formatDuration } from '../../core/report/index.ts';
import { runnerIdentity, train, type TrainingRecord } from '../../core/train/index.ts';
import type { CliIO } from '../io.ts';

export interface DemoTraining {
  script: string;
  data: string;
  model: string;
  record: string;
  epochs?: number;
}

export async function trainForDemo(
  training: DemoTraining,
  context: { io: CliIO; logger: Logger },
): Promise<TrainingRecord> {
  const { io, logger } = context;
  const shown = (path: string) => relative(io.cwd, path) || path;
  const epochs = training.epochs === undefined ? [] : ['--epochs', String(training.epochs)];
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => cancel.abort(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { record } = await train({
      // --quiet: the demo's stdout is the comment; the record says how the run went.
      command: [
        process.execPath,
        training.script,
        '--data',
        training.data,
        '--out',
        training.model,
        ...epochs,
        '--quiet',
      ],
      cwd: io.cwd,
      env: io.env,
      logger,
      gpu: 'optional',
      record: { path: training.record, shown: shown(training.record) },
      model: { path: training.model, shown: shown(training.model) },
      runner: runnerIdentity(io.env),
      signal: cancel.signal,
    });
    if (record.status !== 'succeeded')
      throw new UserError(
        `the demo's training ${record.status} (exit code ${record.exit_code ?? record.signal}); ${shown(training.record)} says more.`,
      );
    return record;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** One line for the demo's closing lines: where the record is and what it says. */
export function describeTraining(record: TrainingRecord, path: string, io: CliIO): string {
  const gpu =
    record.gpu === null
      ? 'GPU not probed'
      : record.gpu.count === 0
        ? 'no GPU'
        : `${record.gpu.count} GPU${record.gpu.count === 1 ? '' : 's'}`;
  const sha = record.model ? `, model sha256 ${record.model.sha256.slice(0, 12)}…` : '';
  return `Training record: ${relative(io.cwd, path) || path} (${record.schema}): ${record.status} in ${formatDuration(record.duration_s)}, peak RSS ${Math.round(record.telemetry.peak_rss_mb)} MiB, ${gpu}${sha}.`;
}
