/**
 * The official actions runner, run as `run.sh` with its JIT config in `ACTIONS_RUNNER_INPUT_JITCONFIG`
 * (as actions-runner-controller starts it) in its own process group, and what
 * its console says. States come from the lines actions/runner prints (Runner.Listener's Runner.cs
 * and JobDispatcher.cs): "√ Connected to GitHub", "<time>: Listening for Jobs", "<time>: Running
 * job: <name>", "<time>: Job <name> completed with result: <result>".
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type RunnerEvent =
  | { kind: 'connected' }
  | { kind: 'listening' }
  | { kind: 'job-started'; job: string }
  | { kind: 'job-finished'; job: string; result: string };

export function parseRunnerLine(line: string): RunnerEvent | undefined {
  if (/Connected to GitHub\s*$/.test(line)) return { kind: 'connected' };
  if (/Listening for Jobs\s*$/.test(line)) return { kind: 'listening' };
  const started = /Running job: (.+?)\s*$/.exec(line);
  if (started) return { kind: 'job-started', job: started[1] };
  const finished = /Job (.+) completed with result: (\w+)/.exec(line);
  if (finished) return { kind: 'job-finished', job: finished[1], result: finished[2] };
  return undefined;
}

export interface RunnerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ActionsRunnerProcess {
  pid: number | undefined;
  exited: Promise<RunnerExit>;
  /** SIGTERM to the whole group (the runner cancels a running job), SIGKILL after `graceMs`. */
  terminate(graceMs: number): void;
}

export interface StartRunnerOptions {
  runnerDir: string;
  jitConfig: string;
  env: NodeJS.ProcessEnv;
  onLine: (line: string) => void;
  onEvent: (event: RunnerEvent) => void;
}

export type StartActionsRunner = (options: StartRunnerOptions) => ActionsRunnerProcess;

/**
 * Detached, so the runner has its own process group: a terminal's Ctrl+C or systemd's SIGTERM to
 * cairn does not reach it (the runner would cancel its job at once); cairn decides when it stops.
 */
export const startActionsRunner: StartActionsRunner = (options) => {
  // Not `--jitconfig <config>`: a command line is world-readable (/proc/<pid>/cmdline, ps), an
  // environment only to its user and root. The runner's CommandSettings reads every
  // ACTIONS_RUNNER_INPUT_* variable and removes it from its environment, so its jobs never get it.
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(options.env))
    if (!name.toUpperCase().startsWith('ACTIONS_RUNNER_INPUT_')) env[name] = value;
  env.ACTIONS_RUNNER_INPUT_JITCONFIG = options.jitConfig;
  const child = spawn(join(options.runnerDir, 'run.sh'), [], {
    cwd: options.runnerDir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<RunnerExit>((resolve) => {
    child.once('error', (error) => {
      options.onLine(`could not start ${join(options.runnerDir, 'run.sh')}: ${error.message}`);
      resolve({ code: null, signal: null });
    });
    child.once('close', (code, signal) => {
      // run.sh is gone and its output read: what is left of its group belongs to no job now, and
      // must not write into the runner folder after cairn clears it for the next registration.
      signalGroup('SIGKILL');
      resolve({ code, signal });
    });
  });
  // A process the job left behind in the group would hold the pipes open, and the runner's folder
  // with them: once run.sh is gone, whatever is left of its group goes too.
  child.once('exit', () => setTimeout(() => signalGroup('SIGKILL'), 2_000).unref());
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      options.onLine(line);
      const event = parseRunnerLine(line);
      if (event) options.onEvent(event);
    });
  }
  let killTimer: NodeJS.Timeout | undefined;
  void exited.then(() => clearTimeout(killTimer));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  return {
    pid: child.pid,
    exited,
    terminate(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup('SIGTERM');
      killTimer ??= setTimeout(() => signalGroup('SIGKILL'), graceMs);
      killTimer.unref();
    },
  };
};
