import { probeGpus, type GpuProbe, type ProbeOptions } from '../../core/gpu/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIO } from '../io.ts';

export const gpuHelp = `Usage: cairn gpu [--json]

Shows this machine's NVIDIA GPUs as nvidia-smi reports them (query mode), the driver's CUDA version
and the runner labels they imply (gpu, gpu-<model>, cuda-<major>, gpus-<count>). Without nvidia-smi,
the GPUs the driver lists under /proc/driver/nvidia/gpus. On a terminal it prints a table; on a
pipe, or with --json, the JSON:
  {count, driver_version, cuda_version, devices: [{index, name, uuid, memory_total_mib,
   compute_capability}], labels, reason?}

Options:
  --json     print the JSON even on a terminal

Exit code 0 whether or not there is a GPU (count 0 and a reason say why not); 2 on bad usage.
`;

/** `probe` is for tests that must not depend on this machine's /proc. */
export async function gpuCommand(args: string[], io: CliIO, probe: ProbeOptions = {}): Promise<number> {
  const { values } = parseCommandArgs('gpu', args, { json: { type: 'boolean' } });
  if (values.help) return (io.stdout(gpuHelp), 0);
  const result = await probeGpus({ env: io.env, ...probe });
  if (values.json || io.stdoutIsTTY !== true) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(formatGpuTable(result));
  return 0;
}

export function formatGpuTable(probe: GpuProbe): string {
  if (probe.count === 0) return `no NVIDIA GPU: ${probe.reason ?? 'nvidia-smi lists none'}\n`;
  const versions = [
    probe.driver_version && `driver ${probe.driver_version}`,
    probe.cuda_version && `CUDA ${probe.cuda_version}`,
  ].filter(Boolean);
  const title = `${probe.count} NVIDIA GPU${probe.count === 1 ? '' : 's'}${versions.length ? ` (${versions.join(', ')})` : ''}`;
  const header = ['index', 'name', 'memory', 'compute', 'uuid'];
  const rows = probe.devices.map((device) => [
    String(device.index),
    device.name,
    device.memory_total_mib > 0 ? `${device.memory_total_mib} MiB` : '?',
    device.compute_capability ?? '?',
    device.uuid || '?',
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [title, line(header), ...rows.map(line), `labels: ${probe.labels.join(', ')}`];
  if (probe.reason) out.push(`note: ${probe.reason}`);
  return `${out.join('\n')}\n`;
}
