/**
 * `--per-gpu` on an eight-GPU box (the fake nvidia-smi, read by the real probe): eight runners at
 * once, each in its own runner folder, seeing only its GPU (by UUID) and labelled `gpus-1`.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { probeGpus } from '../../core/gpu/index.ts';
import { fakeGpuEnv } from '../support/fake-nvidia-smi.ts';
import { startMachine, until } from './support/machine.ts';

test('--per-gpu runs one runner per GPU, eight jobs at once, each on its own GPU', async (t) => {
  const gpus = await probeGpus({ env: fakeGpuEnv('eight') });
  assert.equal(gpus.count, 8);
  const { api, runner, signals, stopped } = startMachine(t, { gpus, perGpu: true, labels: ['lab'] });
  const starts = () => runner.log().filter((e) => e.event === 'start');
  await until('eight runners start', () => starts().length === 8);

  assert.equal(api.registrations.length, 8);
  for (const registration of api.registrations) {
    assert.ok(registration.labels.includes('gpus-1'), registration.labels.join());
    assert.ok(registration.labels.includes('gpu-h100-80gb-hbm3'));
    assert.ok(registration.labels.includes('gpu') && registration.labels.includes('cuda-12'));
    assert.ok(registration.labels.includes('lab') && registration.labels.includes('self-hosted'));
    assert.ok(!registration.labels.includes('gpus-8'), 'a runner of one GPU is not an eight-GPU runner');
  }
  const names = api.registrations.map((r) => r.name.replace(/-[0-9a-f]{6}$/, '')).sort();
  assert.deepEqual(names, [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `box-gpu${i}`).sort());

  const cuda = starts().map((e) => e.cuda);
  assert.deepEqual(new Set(cuda), new Set(gpus.devices.map((d) => d.uuid)), 'each runner sees its own GPU, by UUID');
  const dirs = new Set(starts().map((e) => e.dir));
  assert.equal(dirs.size, 8, 'each runner has its own folder');
  for (const dir of dirs) {
    assert.notEqual(dir, runner.runnerDir);
    // A hard-link tree: the runner's binaries are shared, not copied eight times.
    assert.equal(
      statSync(join(dir!, 'bin', 'Runner.Listener')).ino,
      statSync(join(runner.runnerDir, 'bin', 'Runner.Listener')).ino,
    );
  }

  for (let i = 0; i < 8; i++) runner.queueJob(`shard-${i}`);
  const running = () => runner.log().filter((e) => e.event === 'job');
  await until('eight jobs run', () => running().length === 8);
  assert.equal(new Set(running().map((e) => e.runnerId)).size, 8, 'the eight jobs run on eight runners at once');
  assert.ok(!runner.log().some((e) => e.event === 'exit'), 'none waited for another to finish');

  for (let i = 0; i < 8; i++) runner.finishJob(`shard-${i}`);
  await until('eight fresh runners start', () => starts().length === 16);
  signals.emit('SIGTERM');
  assert.equal(await stopped, 0);
  assert.equal(api.registrations.filter((r) => r.deleted).length, 8, 'the eight idle runners are deregistered');
});

test('--per-gpu on a machine without a GPU refuses, registering nothing', async (t) => {
  const { api, stopped } = startMachine(t, { perGpu: true });
  await assert.rejects(stopped, /--per-gpu needs a GPU, and the probe found none: nvidia-smi is not on PATH/);
  assert.equal(api.registrations.length, 0);
});
