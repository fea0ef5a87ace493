import { GateFailure, isUserError } from '../core/errors.ts';
import { describeNetworkFailure, networkFailure } from '../core/net/index.ts';
import type { CliIO } from './io.ts';
import packageJson from '../package.json' with { type: 'json' };

type Command = (args: string[], io: CliIO) => Promise<number>;

/**
 * Each command loads on first use (its own bundle chunk), so `cairn pull` does not pay for
 * onnxruntime and `cairn report` does not pay for the AWS SDK: a warm pull is mostly start-up.
 */
const commands: Record<string, () => Promise<Command>> = {
  evaluate: async () => (await import('./commands/evaluate.ts')).evaluateCommand,
  challenge: async () => (await import('./commands/challenge.ts')).challengeCommand,
  report: async () => (await import('./commands/report.ts')).reportCommand,
  pull: async () => (await import('./commands/pull.ts')).pullCommand,
  push: async () => (await import('./commands/push.ts')).pushCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
  registry: async () => (await import('./commands/registry.ts')).registryCommand,
  runner: async () => (await import('./commands/runner.ts')).runnerCommand,
  train: async () => (await import('./commands/train.ts')).trainCommand,
  gpu: async () => (await import('./commands/gpu.ts')).gpuCommand,
  drift: async () => (await import('./commands/drift.ts')).driftCommand,
};

export const usage = `Usage: cairn <command> [options]

Commands:
  challenge   champion vs challenger on the same rows: promote or keep, with a paired bootstrap interval
  demo        every journey, locally, on embedded defaults
  drift       compare fresh data with the reference data, column by column, and write drift.json
  evaluate    evaluate an ONNX model on a table and write metrics.json (or one shard; merge shards)
  gpu         this machine's NVIDIA GPUs, driver and CUDA versions, and the runner labels they imply
  pull        put the data .dvc files or dvc.lock name into the workspace, from a remote
  push        store a file or folder in a remote and record it in a .dvc file (or push a model)
  registry    the model registry on git tags (GTO-compatible): parse-tag, show, register, assign...
  report      render the pull-request comment and model card from metrics.json
  runner      this machine as ephemeral self-hosted runners, labelled by its GPUs: start, install
  train       run a training command: its process tree, telemetry and the training record

Run \`cairn <command> --help\` for a command's options.
`;

/** Runs one CLI invocation; returns the exit code: 0 ok, 1 gate failed, 2 bad usage or input (`train`: the command's own). */
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
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    io.stderr(`cairn: unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  try {
    return await (
      await load()
    )(args, io);
  } catch (error) {
    if (error instanceof GateFailure) {
      io.stderr(`cairn ${name}: ${error.message}\n`);
      return 1;
    }
    if (isUserError(error)) {
      io.stderr(`cairn ${name}: ${error.message}\n`);
      return 2;
    }
    const unreachable = networkFailure(error);
    if (unreachable) {
      io.stderr(`cairn ${name}: ${describeNetworkFailure(unreachable)}\n`);
      return 2;
    }
    throw error;
  }
}
