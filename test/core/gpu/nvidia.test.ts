import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuPresence, probeGpus } from '../../../core/gpu/index.ts';
import { fakeGpuEnv, fakeProcDriver, noNvidiaSmiEnv } from '../../support/fake-nvidia-smi.ts';

// What `--device auto|cuda` and the setup action see of the probe.
describe('gpuPresence', () => {
  test('a GPU listed by nvidia-smi counts', async () => {
    const result = gpuPresence(await probeGpus({ env: fakeGpuEnv('one'), procRoot: '/nonexistent' }));
    assert.equal(result.ok, true);
    assert.match(result.detail, /NVIDIA H100/);
  });

  test('without nvidia-smi the driver entries under /proc decide', async () => {
    const procRoot = fakeProcDriver([{ busId: '0000:00:1e.0', model: 'Tesla T4', uuid: 'GPU-5d4b0f28' }]);
    assert.equal(gpuPresence(await probeGpus({ env: noNvidiaSmiEnv(), procRoot })).ok, true);
  });

  test('no nvidia-smi and no driver entries: no GPU, and the detail says what was checked', async () => {
    const result = gpuPresence(await probeGpus({ env: noNvidiaSmiEnv(), procRoot: fakeProcDriver() }));
    assert.equal(result.ok, false);
    assert.match(result.detail, /nvidia-smi is not on PATH and .*gpus lists no GPU/);
  });
});
