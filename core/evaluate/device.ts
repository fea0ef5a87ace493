/**
 * Which onnxruntime execution provider runs the model. `auto` takes CUDA only when both a GPU and
 * onnxruntime-node's CUDA provider are there, and says why it chose; `cuda` fails with what is
 * missing instead of quietly running on the CPU.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listSupportedBackends } from 'onnxruntime-node';
import { UserError } from '../errors.ts';
import { gpuPresence, probeGpus, type ProbeResult } from '../gpu/index.ts';
import type { Logger } from '../logger.ts';
import { cudaProviderLibraryName, onnxruntimeBindingDir, onnxruntimePackageDir } from '../onnxruntime-files.ts';

export type DeviceRequest = 'auto' | 'cpu' | 'cuda';
export type ExecutionProvider = 'cpu' | 'cuda';

export type { ProbeResult };

/** Injected in tests; `systemProbes` looks at the real machine. */
export interface DeviceProbes {
  gpu(): Promise<ProbeResult>;
  cudaProvider(): Promise<ProbeResult>;
}

export interface DeviceChoice {
  provider: ExecutionProvider;
  reason: string;
}

export async function chooseExecutionProvider(
  request: DeviceRequest,
  probes: DeviceProbes,
  logger: Logger,
): Promise<DeviceChoice> {
  if (request === 'cpu') return logged(logger, { provider: 'cpu', reason: 'device cpu was requested' });
  const [gpu, cuda] = await Promise.all([probes.gpu(), probes.cudaProvider()]);
  if (gpu.ok && cuda.ok) {
    // nvidia-smi -L ends each GPU's line with its UUID: noise on every run.
    return logged(
      logger,
      { provider: 'cuda', reason: `${gpu.detail}; ${cuda.detail}` },
      gpu.detail.replace(/ \(UUID: [^)]*\)/, ''),
    );
  }
  const missing = [gpu, cuda]
    .filter((probe) => !probe.ok)
    .map((probe) => probe.detail)
    .join('; ');
  if (request === 'cuda') {
    throw new UserError(
      (option) =>
        `${option('device')} cuda cannot run here: ${missing}. Use ${option('device')} auto (or cpu) to evaluate on the CPU.`,
    );
  }
  // Most machines have no GPU: that is the whole story. The probes' details are for --device cuda and debug logs.
  const brief = gpu.ok ? 'GPU found; onnxruntime-node has no CUDA provider' : 'no NVIDIA GPU';
  return logged(logger, { provider: 'cpu', reason: `device auto fell back to the CPU: ${missing}` }, brief);
}

/** Lines each logger has shown: an evaluation that opens several models (the demo, a challenge) says it once. */
const announced = new WeakMap<Logger, Set<string>>();

/** One short line at info, once per logger; the whole reason at debug, every time. */
function logged(logger: Logger, choice: DeviceChoice, brief = choice.reason): DeviceChoice {
  const line = `execution provider: ${choice.provider} (${brief})`;
  let seen = announced.get(logger);
  if (!seen) announced.set(logger, (seen = new Set()));
  if (!seen.has(line)) logger.info(line);
  seen.add(line);
  if (brief !== choice.reason) logger.debug(`execution provider: ${choice.provider} (${choice.reason})`);
  return choice;
}

/**
 * onnxruntime-node lists `cuda` as a backend on Linux x64 even when its install script did not fetch
 * the CUDA provider library (offline installs, or the script skipped by allowScripts), so the file is checked too.
 */
export async function probeCudaProvider(
  backends: () => Array<{ name: string; bundled: boolean }> = listSupportedBackends,
  bindingDir: string = installedBindingDir(),
): Promise<ProbeResult> {
  const cuda = backends().find((backend) => backend.name === 'cuda');
  if (!cuda) {
    return {
      ok: false,
      detail: `this onnxruntime-node build has no CUDA execution provider (${process.platform}/${process.arch}; CUDA builds exist for linux/x64 only)`,
    };
  }
  if (cuda.bundled) return { ok: true, detail: 'onnxruntime-node bundles its CUDA execution provider' };
  const library = cudaProviderLibraryName();
  if (existsSync(join(bindingDir, library)))
    return { ok: true, detail: `onnxruntime-node's CUDA provider is installed (${library})` };
  return {
    ok: false,
    detail: `onnxruntime-node was installed without its CUDA execution provider (${join(bindingDir, library)} is missing: its install script was skipped, or had no network; running onnxruntime-node's script/install.js, or the setup action's cuda input, installs it; CUDA 12 and cuDNN 9 must be installed)`,
  };
}

function installedBindingDir(): string {
  const packageDir = onnxruntimePackageDir(import.meta.url);
  if (!packageDir) throw new Error('onnxruntime-node cannot be resolved, though this module imports it');
  return onnxruntimeBindingDir(packageDir);
}

export const systemProbes: DeviceProbes = {
  gpu: async () => gpuPresence(await probeGpus()),
  cudaProvider: () => probeCudaProvider(),
};
