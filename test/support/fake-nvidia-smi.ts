/**
 * Puts the fake nvidia-smi (test/support/fake-nvidia-smi/) first on a PATH that holds nothing else
 * but node, so a real nvidia-smi on the test machine never answers instead.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fakeNvidiaSmiDir = join(dirname(fileURLToPath(import.meta.url)), 'fake-nvidia-smi');

export type FakeGpuScenario =
  | 'one'
  | 'eight'
  | 'mixed'
  | 'old-driver'
  | 'header-units'
  | 'table-without-cuda'
  | 'broken'
  | 'no-devices'
  | 'hang'
  | 'flood';

/** The environment a probe or `cairn gpu` gets: the fake playing `scenario`. */
export function fakeGpuEnv(scenario: FakeGpuScenario): NodeJS.ProcessEnv {
  return { PATH: `${fakeNvidiaSmiDir}:${dirname(process.execPath)}`, FAKE_NVIDIA_SMI_SCENARIO: scenario };
}

/** No nvidia-smi anywhere on PATH (a folder holding only node). */
export function noNvidiaSmiEnv(): NodeJS.ProcessEnv {
  return { PATH: dirname(process.execPath) };
}

/** A /proc/driver/nvidia stand-in listing these GPUs as the kernel driver does; none: an empty folder. */
export function fakeProcDriver(gpus: { busId: string; model: string; uuid: string }[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'cairn-proc-nvidia-'));
  mkdirSync(join(root, 'gpus'));
  gpus.forEach((gpu, minor) => {
    const dir = join(root, 'gpus', gpu.busId);
    mkdirSync(dir);
    const lines = [
      `Model: \t\t ${gpu.model}`,
      'IRQ:   \t\t 45',
      `GPU UUID: \t ${gpu.uuid}`,
      'Video BIOS: \t 96.00.89.00.01',
      'Bus Type: \t PCIe',
      'DMA Size: \t 52 bits',
      'DMA Mask: \t 0xfffffffffffff',
      `Bus Location: \t ${gpu.busId}`,
      `Device Minor: \t ${minor}`,
      'GPU Excluded:\t No',
    ];
    writeFileSync(join(dir, 'information'), `${lines.join('\n')}\n`);
  });
  return root;
}
