/**
 * A runner's labels: the GPU probe's (core/gpu), the ones GitHub gives every self-hosted runner
 * (`self-hosted`, the OS, the architecture, spelled as GitHub spells them: `Linux`, `X64`; GitHub
 * matches labels case-insensitively, so `runs-on: [self-hosted, linux, x64]` finds them too), and the
 * user's `--labels`. A JIT registration gets no default labels: every one is sent.
 */
import { modelLabel, type GpuDevice, type GpuProbe } from '../core/gpu/index.ts';

const OS_LABELS: Partial<Record<NodeJS.Platform, string>> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };
const ARCH_LABELS: Partial<Record<NodeJS.Architecture, string>> = { x64: 'X64', arm64: 'ARM64', arm: 'ARM' };

export interface Machine {
  platform: NodeJS.Platform;
  arch: NodeJS.Architecture;
}

export function machineLabels(machine: Machine): string[] {
  return ['self-hosted', OS_LABELS[machine.platform] ?? machine.platform, ARCH_LABELS[machine.arch] ?? machine.arch];
}

/** Labels without repeats, ignoring case as GitHub does; the first spelling wins. */
function distinct(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  return labels.filter((label) => {
    const key = label.toLowerCase();
    if (label === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The labels of the machine's one runner: all of its GPUs (`gpus-8`, every model). */
export function runnerLabels(probe: GpuProbe, machine: Machine, extra: readonly string[]): string[] {
  return distinct([...machineLabels(machine), ...probe.labels, ...extra]);
}

/**
 * The labels of the runner of one GPU under `--per-gpu`: `gpus-1` and that GPU's model, with the
 * machine's `gpu` and `cuda-N`, so `runs-on: [self-hosted, gpu-h100-80gb-hbm3]` gets one H100.
 */
export function gpuRunnerLabels(
  probe: GpuProbe,
  device: Pick<GpuDevice, 'name'>,
  machine: Machine,
  extra: readonly string[],
): string[] {
  const shared = probe.labels.filter((label) => label === 'gpu' || label.startsWith('cuda-'));
  return distinct([...machineLabels(machine), ...shared, modelLabel(device.name), 'gpus-1', ...extra]);
}

/** `--labels a,b c`: commas or spaces between labels. */
export function parseLabels(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(/[\s,]+/)).filter((label) => label !== '');
}
