import { withoutWorkflowCommands, type Logger } from '../core/logger.ts';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is a terminal: progress is a bar redrawn in place rather than log lines. */
  stderrIsTTY?: boolean;
  /** The terminal's width, when stderr is one. */
  stderrColumns?: number;
}

export function processIO(): CliIO {
  return {
    // Run in a workflow step, whatever the CLI prints is read by the runner: no line may be a command.
    stdout: (text) => void process.stdout.write(withoutWorkflowCommands(text)),
    stderr: (text) => void process.stderr.write(withoutWorkflowCommands(text)),
    env: process.env,
    cwd: process.cwd(),
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
