import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuCommand } from '../../cli/commands/gpu.ts';
import type { CliIO } from '../../cli/io.ts';
import { runCli } from '../support/cli.ts';
import { fakeGpuEnv, fakeProcDriver, type FakeGpuScenario } from '../support/fake-nvidia-smi.ts';

/** `cairn gpu` in-process on a terminal (runCli's stdout is always a pipe). */
async function onTerminal(scenario: FakeGpuScenario, args: string[] = []) {
  let stdout = '';
  const io: CliIO = { stdout: (text) => void (stdout += text), stderr: () => {}, env: fakeGpuEnv(scenario), cwd: '.' };
  const code = await gpuCommand(args, { ...io, stdoutIsTTY: true }, { procRoot: fakeProcDriver() });
  return { code, stdout };
}

describe('cairn gpu', () => {
  test('on a pipe: the probe as JSON, exit 0', async () => {
    const result = await runCli(['gpu'], { env: fakeGpuEnv('mixed') as Record<string, string> });
    assert.equal(result.code, 0, result.stderr);
    const probe = JSON.parse(result.stdout);
    assert.equal(probe.count, 3);
    assert.equal(probe.cuda_version, '12.2');
    assert.deepEqual(probe.labels, ['gpu', 'gpu-tesla-t4', 'gpu-a100-sxm4-40gb', 'cuda-12', 'gpus-3']);
    assert.deepEqual(Object.keys(probe.devices[0]), [
      'index',
      'name',
      'uuid',
      'memory_total_mib',
      'compute_capability',
    ]);
  });

  test('a broken driver is still exit 0: count 0 and the reason, no labels', async () => {
    const result = await runCli(['gpu', '--json'], { env: fakeGpuEnv('broken') as Record<string, string> });
    assert.equal(result.code, 0, result.stderr);
    const probe = JSON.parse(result.stdout);
    assert.equal(probe.count, 0);
    assert.deepEqual(probe.labels, []);
    assert.match(probe.reason, /couldn't communicate with the NVIDIA driver/);
  });

  test('on a terminal: a table of the devices, then the labels', async () => {
    const { code, stdout } = await onTerminal('eight');
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines[0], '8 NVIDIA GPUs (driver 550.54.15, CUDA 12.4)');
    assert.match(lines[1]!, /^index\s+name\s+memory\s+compute\s+uuid$/);
    assert.match(lines[2]!, /^0\s+NVIDIA H100 80GB HBM3\s+81559 MiB\s+9\.0\s+GPU-8c1b7f2e-/);
    assert.equal(lines.length, 1 + 1 + 8 + 1);
    assert.equal(lines.at(-1), 'labels: gpu, gpu-h100-80gb-hbm3, cuda-12, gpus-8');
  });

  test('on a terminal without a GPU: one line with the reason; --json gives the JSON there too', async () => {
    const table = await onTerminal('broken');
    assert.match(table.stdout, /^no NVIDIA GPU: nvidia-smi failed \(exit 9\): NVIDIA-SMI has failed/);
    const json = await onTerminal('broken', ['--json']);
    assert.equal(JSON.parse(json.stdout).count, 0);
  });

  test('an unknown option is bad usage (exit 2) naming the help', async () => {
    const result = await runCli(['gpu', '--jsn'], { env: fakeGpuEnv('one') as Record<string, string> });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cairn gpu --help/);
  });
});
