import { withoutWorkflowCommands, type Logger } from '../core/logger.ts';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout is a terminal: a person reads it, so `evaluate` prints its table there rather than JSON. */
  stdoutIsTTY?: boolean;
  /** stderr is a terminal: progress is a bar redrawn in place rather than log lines. */
  stderrIsTTY?: boolean;
  /** The terminal's width, when stderr is one. */
  stderrColumns?: number;
}

/**
 * Output with no workflow command in it. JSON keeps its exact value: a `[` after `##` (only a JSON
 * string can hold one) is written as the escape `\u005b`, which every parser reads back as `[`, and
 * no line of JSON starts with `::`. Other text gets core's zero-width break.
 */
export function forTheRunner(text: string): string {
  if (!text.includes('##[')) return withoutWorkflowCommands(text);
  if (/^\s*[[{]/.test(text)) {
    try {
      JSON.parse(text);
      return text.replace(/##\[/g, '##\\u005b');
    } catch {
      // not JSON after all
    }
  }
  return withoutWorkflowCommands(text);
}

export function processIO(): CliIO {
  return {
    // Run in a workflow step, whatever the CLI prints is read by the runner: no line may be a command.
    stdout: (text) => void process.stdout.write(forTheRunner(text)),
    stderr: (text) => void process.stderr.write(forTheRunner(text)),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stderrColumns: process.stderr.isTTY ? process.stderr.columns : undefined,
  };
}

/** Logs go to stderr so stdout stays clean for JSON and markdown. */
export function cliLogger(io: CliIO, verbosity: 'quiet' | 'normal' | 'verbose'): Logger {
  const write = (prefix: string) => (message: string) => io.stderr(`${prefix}${message}\n`);
  const quietly = () => {};
  return {
    debug: verbosity === 'verbose' ? write('debug: ') : quietly,
    info: verbosity === 'quiet' ? quietly : write(''),
    warn: write('warning: '),
    error: write('error: '),
  };
}
