/**
 * Runs the training command in a process group of its own, with its output going straight to ours,
 * and ends it (the whole tree) on a timeout or when the caller cancels.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { cliOption, type SpellOption } from '../../option-names.ts';
import { ProcessTree } from './process-tree.ts';

export type TrainingStatus = 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
export type CancelSignal = 'SIGINT' | 'SIGTERM';

export interface RunCommandOptions {
  command: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  timeoutMs?: number;
  /** How the log names the timeout's option: `--timeout-minutes` (the default) or `timeout-minutes:`. */
  spell?: SpellOption;
  graceMs: number;
  /** Aborted with the signal Cairn received (`'SIGINT'` or `'SIGTERM'`) as its reason. */
  signal?: AbortSignal;
  /** How often the tree is looked at, so a process that leaves the group is still stopped. */
  watchMs?: number;
  procRoot?: string;
  /** Called once the command runs, with its pid (the process group's id too). */
  onStart?: (pid: number) => void;
}

export interface CommandOutcome {
  status: TrainingStatus;
  /** The command's own exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  cancelledBy: CancelSignal | null;
  startedAt: Date;
  finishedAt: Date;
}

/** What `cairn train` exits with: the command's own code when it ran to the end, else 124 / 130 / 143. */
export function exitCodeOf(outcome: Pick<CommandOutcome, 'status' | 'exitCode' | 'signal' | 'cancelledBy'>): number {
  if (outcome.status === 'timed_out') return 124;
  if (outcome.status === 'cancelled') return outcome.cancelledBy === 'SIGINT' ? 130 : 143;
  if (outcome.exitCode !== null) return outcome.exitCode;
  return 128 + (outcome.signal ? (constants.signals[outcome.signal] ?? 0) : 0);
}

export async function runCommand(options: RunCommandOptions): Promise<CommandOutcome> {
  const [file, ...args] = options.command;
  if (options.signal?.aborted) throw new UserError('cancelled before the command started; nothing ran.');
  const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: 'inherit', detached: true });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT' || error.code === 'EACCES'
          ? new UserError(
              `cannot run ${file}: ${error.code === 'ENOENT' ? 'not found (check PATH, or give its path)' : 'permission denied'}; nothing ran.`,
              { cause: error },
            )
          : error,
      ),
    );
  });
  const startedAt = new Date();
  const pid = child.pid!;
  options.onStart?.(pid);
  const tree = new ProcessTree(pid, { procRoot: options.procRoot });
  const watch = setInterval(() => tree.refresh(), options.watchMs ?? 1_000);

  let ended: 'timed_out' | CancelSignal | undefined;
  let stopping: Promise<unknown> | undefined;
  const stop = (why: 'timed_out' | CancelSignal) => {
    if (ended) return;
    ended = why;
    options.logger.warn(
      `${why === 'timed_out' ? `the command ran past its time limit (${(options.spell ?? cliOption)('timeout-minutes')})` : `cancelled (${why})`}; stopping it (SIGTERM to its process group, SIGKILL after ${options.graceMs / 1000} s)`,
    );
    stopping = tree.stop(options.graceMs).then((report) => {
      if (report.survivors.length > 0)
        options.logger.error(`processes ${report.survivors.join(', ')} did not end even on SIGKILL`);
    });
  };
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timed_out'), options.timeoutMs);
  const onAbort = () => stop(options.signal?.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const { code, signal } = await exited;
    clearTimeout(timer);
    if (!ended && tree.alive()) {
      // The command is done, but something it started still runs (a `&` job, a data loader): it
      // would hold the GPU and the runner's job past the step.
      options.logger.warn('the command left processes running; stopping them');
      await tree.stop(options.graceMs);
    }
    await stopping;
    const finishedAt = new Date();
    const status: TrainingStatus =
      ended === 'timed_out' ? 'timed_out' : ended ? 'cancelled' : code === 0 ? 'succeeded' : 'failed';
    return {
      status,
      exitCode: code,
      signal,
      cancelledBy: ended && ended !== 'timed_out' ? ended : null,
      startedAt,
      finishedAt,
    };
  } finally {
    clearInterval(watch);
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
