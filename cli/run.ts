import { GateFailure, isUserError } from '../core/errors.ts';
import { demoCommand } from './commands/demo.ts';
import { evaluateCommand } from './commands/evaluate.ts';
import { reportCommand } from './commands/report.ts';
import type { CliIO } from './io.ts';
import packageJson from '../package.json' with { type: 'json' };

const commands: Record<string, (args: string[], io: CliIO) => Promise<number>> = {
  evaluate: evaluateCommand,
  report: reportCommand,
  demo: demoCommand,
};

export const usage = `Usage: cairn <command> [options]

Commands:
  demo        every journey, locally, on embedded defaults
  evaluate    evaluate an ONNX model on a table and write metrics.json
  report      render the pull-request comment and model card from metrics.json

Run \`cairn <command> --help\` for a command's options.
`;

/** Runs one CLI invocation; returns the exit code: 0 ok, 1 gate failed, 2 bad usage or input. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout(`${packageJson.version}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`cairn: unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof GateFailure) {
      io.stderr(`cairn ${name}: ${error.message}\n`);
      return 1;
    }
    if (isUserError(error)) {
      io.stderr(`cairn ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
