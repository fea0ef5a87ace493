import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../core/errors.ts';
import { cudaProviderLibraryName, onnxruntimeBindingDir, onnxruntimePackageDir } from '../../core/onnxruntime-files.ts';
import type { Logger } from '../../core/logger.ts';

export type CudaMode = 'auto' | 'true' | 'false';
export type CudaOutcome = 'installed' | 'present' | 'not-needed' | 'failed';

export interface CudaProviderOptions {
  mode: CudaMode;
  /** The bundled CLI; onnxruntime-node is resolved from it, as the CLI itself will. */
  cliPath: string;
  nodePath: string;
  gpuPresent: () => Promise<boolean>;
  logger: Logger;
  platform?: string;
  arch?: string;
}

/**
 * Makes onnxruntime-node's CUDA execution provider available to `device: auto|cuda` evaluations.
 * Releases ship without it: the library is several hundred MB, over GitHub's 100 MB file limit. On a
 * GPU runner, onnxruntime-node's own install script fetches it (from NuGet) into the action's dist/.
 * `auto` installs only where there is an NVIDIA GPU and never fails the step (evaluation falls back to
 * the CPU, saying why); `true` fails the step if the provider cannot be installed.
 */
export async function ensureCudaProvider(options: CudaProviderOptions): Promise<CudaOutcome> {
  const { mode, logger } = options;
  const platform = `${options.platform ?? process.platform}/${options.arch ?? process.arch}`;
  if (mode === 'false') return 'not-needed';
  if (platform !== 'linux/x64') {
    if (mode === 'true')
      throw new UserError(
        `input cuda is true, but onnxruntime-node has CUDA builds for linux/x64 only (this runner: ${platform}); set cuda: auto or false.`,
      );
    return 'not-needed';
  }
  if (mode === 'auto' && !(await options.gpuPresent())) {
    logger.info('cuda: no NVIDIA GPU on this runner; evaluations run on the CPU.');
    return 'not-needed';
  }
  const packageDir = onnxruntimePackageDir(options.cliPath);
  if (!packageDir)
    throw new Error(
      `onnxruntime-node cannot be resolved from ${options.cliPath}: this copy of the action is incomplete.`,
    );
  const library = join(onnxruntimeBindingDir(packageDir, 'linux', 'x64'), cudaProviderLibraryName('linux'));
  if (existsSync(library)) {
    logger.info(`cuda: the CUDA execution provider is installed (${library}).`);
    return 'present';
  }

  logger.info(
    "cuda: installing onnxruntime-node's CUDA execution provider (CUDA 12; a download of several hundred MB)...",
  );
  try {
    await promisify(execFile)(options.nodePath, [join(packageDir, 'script', 'install.js')], {
      cwd: packageDir,
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' },
      timeout: 15 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (!existsSync(library)) throw new Error(`the install script finished but ${library} is not there`);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    const why = `could not install the CUDA execution provider: ${stderr || (error as Error).message}`;
    if (mode === 'true')
      throw new UserError(
        `${why}. The runner needs network access to api.nuget.org; set cuda: auto to fall back to the CPU.`,
        { cause: error },
      );
    logger.warn(`cuda: ${why}. Evaluations fall back to the CPU.`);
    return 'failed';
  }
  logger.info(`cuda: installed ${library}; CUDA 12 and cuDNN 9 must come from the runner image.`);
  return 'installed';
}
