/**
 * Is there an NVIDIA GPU on this machine? Asked by `--device auto|cuda` (core/evaluate/device.ts)
 * and by the setup action before it downloads onnxruntime's CUDA provider. Imports nothing native,
 * so the setup action can bundle it without loading onnxruntime-node.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface ProbeResult {
  ok: boolean;
  /** What was found or what is missing, in words a user can act on. */
  detail: string;
}

const listGpus = async () => (await promisify(execFile)('nvidia-smi', ['-L'], { timeout: 10_000 })).stdout;

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** A GPU is there when nvidia-smi lists one, or the NVIDIA driver lists one under /proc. */
export async function probeNvidiaGpu(
  procRoot = '/proc/driver/nvidia',
  nvidiaSmi: () => Promise<string> = listGpus,
): Promise<ProbeResult> {
  try {
    const stdout = await nvidiaSmi();
    const first = stdout.split('\n').find((line) => line.startsWith('GPU '));
    if (first) return { ok: true, detail: `nvidia-smi found ${first.trim()}` };
  } catch {
    // No nvidia-smi on PATH (common in slim containers): the driver's /proc entries still tell.
  }
  const gpus = join(procRoot, 'gpus');
  const listed = listDir(gpus).length;
  if (listed > 0) return { ok: true, detail: `the NVIDIA driver lists ${listed} GPU(s) in ${gpus}` };
  return { ok: false, detail: `no NVIDIA GPU found (nvidia-smi -L lists none and ${gpus} is empty or missing)` };
}
