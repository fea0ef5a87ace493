/**
 * A long command line crashes onnxruntime-node (1.30.0, Linux): creating its environment reads
 * /proc/self/cmdline and runs a std::regex over the whole of it (the telemetry SDK's app id), and
 * libstdc++'s regex recurses once per character, so about 29 KB of arguments overflow the 8 MiB
 * stack: a segfault (exit 139) with no message. `--features` with 2,000 names is such a line.
 * See docs/upstream/onnxruntime-node-long-command-line.md.
 *
 * Cairn steps around it: when its command line is long, the CLI runs itself again with a short
 * one (`node dist/cli.js`) and hands the arguments over on a pipe, so the process that loads
 * onnxruntime has a short /proc/self/cmdline. Commands see the same arguments either way.
 */
import { spawn } from 'node:child_process';
import { closeSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';

/** Internal: set only by `relaunchWithShortCommandLine` for its child, which reads its arguments from this fd. */
const ARGUMENTS_FD = 'CAIRN_INTERNAL_ARGUMENTS_FD';

/**
 * Well below the ~29 KB that crashes with an 8 MiB stack (the limit scales with `ulimit -s`), and
 * well above any everyday command line, which then runs in one process as before.
 */
export const LONG_COMMAND_LINE_BYTES = 4096;

/** What /proc/self/cmdline holds for this process: each argument and its NUL. */
export function commandLineBytes(argv: readonly string[]): number {
  return argv.reduce((total, arg) => total + Buffer.byteLength(arg) + 1, 0);
}

/** The arguments a relaunched CLI was handed on its pipe; undefined in a CLI the user started. */
export function relayedArguments(env: NodeJS.ProcessEnv): string[] | undefined {
  const fd = env[ARGUMENTS_FD];
  if (fd === undefined) return undefined;
  delete env[ARGUMENTS_FD]; // not for the commands this CLI starts (git, a nested cairn)
  const args: unknown = JSON.parse(readFileSync(Number(fd), 'utf8'));
  closeSync(Number(fd));
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) throw new Error(`${ARGUMENTS_FD}: expected a JSON list of strings`);
  return args;
}

/**
 * Runs this CLI again as `node [node options] SCRIPT` with `args` on fd 3 and the same stdio,
 * working folder and environment; resolves to its exit code (128 + N when signal N ended it).
 * Signals sent to this process alone (a cancelled CI job's SIGTERM) are passed on to the child.
 */
export function relaunchWithShortCommandLine(args: readonly string[]): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]], {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      env: { ...process.env, [ARGUMENTS_FD]: '3' },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    const relay = child.stdio[3] as NodeJS.WritableStream;
    relay.on('error', () => {}); // the child exited before reading: its exit code says why
    relay.end(JSON.stringify(args));
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      for (const name of signals) process.off(name, forward);
      done(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
