import { execFile } from 'node:child_process';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as core from '@actions/core';
import { actionLogger } from '../shared/action-logger.ts';
import { parseEnumInput } from '../shared/inputs.ts';
import { runnerPaths } from '../shared/runner-env.ts';
import { writeCliShims } from './cli-shim.ts';
import { probeGpus } from '../../core/gpu/index.ts';
import { ensureCudaProvider, type CudaProviderOptions } from './cuda-provider.ts';

export interface SetupOptions {
  /** The bundled CLI, `<action root>/dist/cli.js`. */
  cliPath: string;
  /** Node binary the shim runs; default, the one running this action. */
  nodePath?: string;
  /** Where the tool folder is made; default RUNNER_TEMP (emptied after the job, as PATH is per job). */
  tempDir?: string;
  /** Tests replace the GPU probe. */
  gpuPresent?: CudaProviderOptions['gpuPresent'];
}

export interface SetupResult {
  version: string;
  binDir: string;
  cuda: Awaited<ReturnType<typeof ensureCudaProvider>>;
}

/** Puts `cairn` on PATH for the job's later steps; on a GPU runner, readies the CUDA provider. */
export async function run(options: SetupOptions): Promise<SetupResult> {
  const nodePath = options.nodePath ?? process.execPath;
  const cudaMode = parseEnumInput('cuda', ['auto', 'true', 'false'] as const, 'auto');
  try {
    await access(options.cliPath);
  } catch (error) {
    // Not a user error: the action's own dist/ is incomplete, a packaging bug to report.
    throw new Error(`Cairn CLI not found at ${options.cliPath}: this copy of the action has no built dist/.`, {
      cause: error,
    });
  }
  const binDir = await mkdtemp(join(options.tempDir ?? runnerPaths().runnerTemp ?? tmpdir(), 'cairn-bin-'));
  const shims = await writeCliShims(binDir, nodePath, options.cliPath);

  // Run the CLI once through the shim, as later steps will: a release whose native dependency
  // (onnxruntime-node) does not load fails here, at setup, rather than in the middle of an evaluation.
  const [file, args] =
    process.platform === 'win32' ? [nodePath, [options.cliPath, '--version']] : [shims.posix, ['--version']];
  let version: string;
  try {
    const { stdout } = await promisify(execFile)(file, args, { timeout: 60_000 });
    version = stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`\`cairn --version\` failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }

  const cuda = await ensureCudaProvider({
    mode: cudaMode,
    cliPath: options.cliPath,
    nodePath,
    gpuPresent: options.gpuPresent ?? (async () => (await probeGpus({ env: process.env })).count > 0),
    logger: actionLogger,
  });

  core.addPath(binDir);
  core.setOutput('version', version);
  core.setOutput('path', binDir);
  core.setOutput('cuda', cuda);
  core.info(`cairn ${version} is on PATH (${binDir}), run by ${nodePath}`);
  return { version, binDir, cuda };
}
