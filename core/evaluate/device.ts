/**
 * Which onnxruntime execution provider runs the model. `auto` takes CUDA only when both a GPU and
 * onnxruntime-node's CUDA provider are there, and says why it chose; `cuda` fails with what is
 * missing instead of quietly running on the CPU.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { listSupportedBackends } from 'onnxruntime-node';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export type DeviceRequest = 'auto' | 'cpu' | 'cuda';
export type ExecutionProvider = 'cpu' | 'cuda';

export interface ProbeResult {
  ok: boolean;
  /** What was found or what is missing, in words a user can act on. */
  detail: string;
}

/** Injected in tests; `systemProbes` looks at the real machine. */
export interface DeviceProbes {
  gpu(): Promise<ProbeResult>;
  cudaProvider(): Promise<ProbeResult>;
}

export interface DeviceChoice {
  provider: ExecutionProvider;
  reason: string;
}

export async function chooseExecutionProvider(request: DeviceRequest, probes: DeviceProbes, logger: Logger): Promise<DeviceChoice> {
  if (request === 'cpu') return logged(logger, { provider: 'cpu', reason: 'device cpu was requested' });
  const [gpu, cuda] = await Promise.all([probes.gpu(), probes.cudaProvider()]);
  if (gpu.ok && cuda.ok) {
    return logged(logger, { provider: 'cuda', reason: `${gpu.detail}; ${cuda.detail}` });
  }
  const missing = [gpu, cuda].filter((probe) => !probe.ok).map((probe) => probe.detail).join('; ');
  if (request === 'cuda') {
    throw new UserError(`--device cuda cannot run here: ${missing}. Use --device auto (or cpu) to evaluate on the CPU.`);
  }
  return logged(logger, { provider: 'cpu', reason: `device auto fell back to the CPU: ${missing}` });
}

function logged(logger: Logger, choice: DeviceChoice): DeviceChoice {
  logger.info(`execution provider: ${choice.provider} (${choice.reason})`);
  return choice;
}

const run = promisify(execFile);

const listGpus = async () => (await run('nvidia-smi', ['-L'], { timeout: 10_000 })).stdout;

/** A GPU is there when nvidia-smi lists one, or the NVIDIA driver lists one under /proc. */
export async function probeNvidiaGpu(procRoot = '/proc/driver/nvidia', nvidiaSmi: () => Promise<string> = listGpus): Promise<ProbeResult> {
  try {
    const stdout = await nvidiaSmi();
    const first = stdout.split('\n').find((line) => line.startsWith('GPU '));
    if (first) return { ok: true, detail: `nvidia-smi found ${first.trim()}` };
  } catch {
    // No nvidia-smi on PATH (common in slim containers): the driver's /proc entries still tell.
  }
  const gpus = join(procRoot, 'gpus');
  if (existsSync(gpus) && readdirSync(gpus).length > 0) {
    return { ok: true, detail: `the NVIDIA driver lists ${readdirSync(gpus).length} GPU(s) in ${gpus}` };
  }
  return { ok: false, detail: `no NVIDIA GPU found (nvidia-smi -L lists none and ${gpus} is empty or missing)` };
}

/**
 * onnxruntime-node lists `cuda` as a backend on Linux x64 even when its install script skipped the
 * CUDA provider library (offline installs, --onnxruntime-node-install=skip), so the file is checked too.
 */
export async function probeCudaProvider(
  backends: () => Array<{ name: string; bundled: boolean }> = listSupportedBackends,
  bindingDir: string = onnxruntimeBindingDir(),
): Promise<ProbeResult> {
  const cuda = backends().find((backend) => backend.name === 'cuda');
  if (!cuda) {
    return { ok: false, detail: `this onnxruntime-node build has no CUDA execution provider (${process.platform}/${process.arch}; CUDA builds exist for linux/x64 only)` };
  }
  if (cuda.bundled) return { ok: true, detail: 'onnxruntime-node bundles its CUDA execution provider' };
  const library = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  if (existsSync(join(bindingDir, library))) return { ok: true, detail: `onnxruntime-node's CUDA provider is installed (${library})` };
  return {
    ok: false,
    detail: `onnxruntime-node was installed without its CUDA execution provider (${join(bindingDir, library)} is missing: reinstall onnxruntime-node with network access and without --onnxruntime-node-install=skip; CUDA 12 and cuDNN 9 must be installed)`,
  };
}

function onnxruntimeBindingDir(): string {
  const require = createRequire(import.meta.url);
  // dist/index.js -> bin/napi-v6/<platform>/<arch>, where the native binding and provider libraries live.
  return join(dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
}

export const systemProbes: DeviceProbes = { gpu: () => probeNvidiaGpu(), cudaProvider: () => probeCudaProvider() };
