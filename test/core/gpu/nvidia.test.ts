import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuPresence, probeGpus } from '../../../core/gpu/index.ts';
import { fakeGpuEnv, fakeProcDriver, noNvidiaSmiEnv } from '../../support/fake-nvidia-smi.ts';

// What `--device auto|cuda` and the setup action see of the probe.
describe('gpuPresence', () => {
  test('a GPU listed by nvidia-smi counts', async () => {
    const result = gpuPresence(await probeGpus({ env: fakeGpuEnv('one'), procRoot: '/nonexistent' }));
    assert.equal(result.ok, true);
    assert.equal(
      result.detail,
      'nvidia-smi found GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-8c1b7f2e-3d5a-4c6b-9e8f-0a1b2c3d4e0f)',
    );
  });

  test('without nvidia-smi the driver entries under /proc decide', async () => {
    const procRoot = fakeProcDriver([{ busId: '0000:00:1e.0', model: 'Tesla T4', uuid: 'GPU-5d4b0f28' }]);
    const result = gpuPresence(await probeGpus({ env: noNvidiaSmiEnv(), procRoot }));
    assert.equal(result.ok, true);
    assert.match(result.detail, /the NVIDIA driver lists 1 GPU\(s\) in .*gpus/);
  });

  test('no nvidia-smi and no driver entries: no GPU, and the detail says what was checked', async () => {
    const result = gpuPresence(await probeGpus({ env: noNvidiaSmiEnv(), procRoot: fakeProcDriver() }));
    assert.equal(result.ok, false);
    assert.match(result.detail, /nvidia-smi is not on PATH and .*gpus lists no GPU/);
  });
});

describe('probeGpus under CUDA_VISIBLE_DEVICES (a `cairn runner --per-gpu` job)', () => {
  const eight = fakeGpuEnv('eight');
  const uuid = (index: number) => `GPU-8c1b7f2e-3d5a-4c6b-9e8f-0a1b2c3d4e${index}f`;

  test('one UUID of eight: the probe sees that GPU only and labels gpus-1', async () => {
    const probe = await probeGpus({ env: { ...eight, CUDA_VISIBLE_DEVICES: uuid(5) } });
    assert.equal(probe.count, 1);
    assert.deepEqual(
      probe.devices.map((device) => [device.index, device.uuid]),
      [[5, uuid(5)]],
    );
    assert.deepEqual(probe.labels, ['gpu', 'gpu-h100-80gb-hbm3', 'cuda-12', 'gpus-1']);
  });

  test('indexes: two of eight', async () => {
    const probe = await probeGpus({ env: { ...eight, CUDA_VISIBLE_DEVICES: '2,7' } });
    assert.deepEqual(
      probe.devices.map((device) => device.index),
      [2, 7],
    );
    assert.ok(probe.labels.includes('gpus-2'));
  });

  for (const hidden of ['', '-1', 'NoDevFiles'])
    test(`CUDA_VISIBLE_DEVICES=${JSON.stringify(hidden)}: no GPU, and says why`, async () => {
      const probe = await probeGpus({ env: { ...eight, CUDA_VISIBLE_DEVICES: hidden } });
      assert.equal(probe.count, 0);
      assert.deepEqual(probe.labels, []);
      assert.match(probe.reason ?? '', /CUDA_VISIBLE_DEVICES=.* shows no GPU/);
    });
});
