import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { probeGpus, type GpuProbe } from '../../../core/gpu/index.ts';
import { fakeGpuEnv, fakeProcDriver, noNvidiaSmiEnv, type FakeGpuScenario } from '../../support/fake-nvidia-smi.ts';

const probe = (scenario: FakeGpuScenario, procRoot = fakeProcDriver()) =>
  probeGpus({ env: fakeGpuEnv(scenario), procRoot });

describe('probeGpus against a fake nvidia-smi', () => {
  test('one H100: the device, the driver and its CUDA version, and the labels', async () => {
    assert.deepEqual(await probe('one'), {
      count: 1,
      driver_version: '550.54.15',
      cuda_version: '12.4',
      devices: [
        {
          index: 0,
          name: 'NVIDIA H100 80GB HBM3',
          uuid: 'GPU-8c1b7f2e-3d5a-4c6b-9e8f-0a1b2c3d4e0f',
          memory_total_mib: 81559,
          compute_capability: '9.0',
        },
      ],
      labels: ['gpu', 'gpu-h100-80gb-hbm3', 'cuda-12', 'gpus-1'],
    } satisfies GpuProbe);
  });

  test('eight H100s: eight devices in index order, one model label, gpus-8', async () => {
    const result = await probe('eight');
    assert.equal(result.count, 8);
    assert.deepEqual(
      result.devices.map((device) => device.index),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(new Set(result.devices.map((device) => device.uuid)).size, 8);
    assert.deepEqual(result.labels, ['gpu', 'gpu-h100-80gb-hbm3', 'cuda-12', 'gpus-8']);
  });

  test('two Tesla T4s and an A100: one label per distinct model', async () => {
    const result = await probe('mixed');
    assert.deepEqual(
      result.devices.map((device) => [device.name, device.memory_total_mib, device.compute_capability]),
      [
        ['Tesla T4', 15360, '7.5'],
        ['Tesla T4', 15360, '7.5'],
        ['NVIDIA A100-SXM4-40GB', 40960, '8.0'],
      ],
    );
    assert.equal(result.driver_version, '535.183.01');
    assert.deepEqual(result.labels, ['gpu', 'gpu-tesla-t4', 'gpu-a100-sxm4-40gb', 'cuda-12', 'gpus-3']);
  });

  test('a driver that does not know compute_cap: asked again without it, compute_capability null', async () => {
    const result = await probe('old-driver');
    assert.equal(result.count, 1);
    assert.equal(result.devices[0]!.name, 'Tesla V100-SXM2-16GB');
    assert.equal(result.devices[0]!.memory_total_mib, 16160);
    assert.equal(result.devices[0]!.compute_capability, null);
    assert.deepEqual(result.labels, ['gpu', 'gpu-tesla-v100-sxm2-16gb', 'cuda-11', 'gpus-1']);
    assert.equal(result.reason, undefined);
  });

  test('CSV with its header and units (a wrapper ignoring noheader,nounits) reads the same', async () => {
    const plain = await probe('one');
    assert.deepEqual(await probe('header-units'), plain);
  });

  test("a default table without the CUDA version: read from -q's `CUDA Version : 12.2`", async () => {
    const result = await probe('table-without-cuda');
    assert.equal(result.cuda_version, '12.2');
    assert.deepEqual(result.labels, ['gpu', 'gpu-tesla-t4', 'cuda-12', 'gpus-1']);
  });

  test('a broken driver (exit 9): no GPU, exit code and the driver message in the reason', async () => {
    const result = await probe('broken');
    assert.equal(result.count, 0);
    assert.deepEqual(result.labels, []);
    assert.deepEqual(result.devices, []);
    assert.match(
      result.reason!,
      /^nvidia-smi failed \(exit 9\): NVIDIA-SMI has failed because it couldn't communicate/,
    );
  });

  test('a broken driver while /proc still lists GPUs: still no GPU, and the reason says what /proc lists', async () => {
    const procRoot = fakeProcDriver([{ busId: '0000:00:1e.0', model: 'Tesla T4', uuid: 'GPU-5d4b0f28' }]);
    const result = await probe('broken', procRoot);
    assert.equal(result.count, 0);
    assert.match(result.reason!, /lists 1 GPU\(s\) the driver cannot serve/);
  });

  test('nvidia-smi that finds no device: no GPU, its own words in the reason', async () => {
    const result = await probe('no-devices');
    assert.equal(result.count, 0);
    assert.match(result.reason!, /exit 6\): No devices were found/);
  });

  test('nvidia-smi that never answers is stopped at the timeout: no GPU, the reason says so', async () => {
    const result = await probeGpus({ env: fakeGpuEnv('hang'), procRoot: fakeProcDriver(), timeoutMs: 500 });
    assert.equal(result.count, 0);
    assert.match(result.reason!, /did not answer within 500 ms/);
  });
  test('nvidia-smi that prints without end is cut off at 1 MiB: no GPU, the reason says so', async () => {
    const result = await probe('flood');
    assert.equal(result.count, 0);
    assert.equal(result.reason, 'nvidia-smi printed more than 1 MiB');
  });
});

describe('probeGpus without nvidia-smi', () => {
  test('and nothing under /proc/driver/nvidia/gpus: no GPU, the reason names both', async () => {
    const procRoot = fakeProcDriver();
    const result = await probeGpus({ env: noNvidiaSmiEnv(), procRoot });
    assert.deepEqual(result, {
      count: 0,
      driver_version: null,
      cuda_version: null,
      devices: [],
      labels: [],
      reason: `nvidia-smi is not on PATH and ${procRoot}/gpus lists no GPU`,
    });
  });

  test('but the driver lists GPUs under /proc: counted from there, model and UUID read, the reason says so', async () => {
    const procRoot = fakeProcDriver([
      { busId: '0000:00:1f.0', model: 'Tesla T4', uuid: 'GPU-5d4b0f28-0001' },
      { busId: '0000:00:1e.0', model: 'Tesla T4', uuid: 'GPU-5d4b0f28-0000' },
    ]);
    const result = await probeGpus({ env: noNvidiaSmiEnv(), procRoot });
    assert.equal(result.count, 2);
    // nvidia-smi numbers GPUs in PCI bus order: so does the fallback.
    assert.deepEqual(
      result.devices.map((device) => [device.index, device.uuid]),
      [
        [0, 'GPU-5d4b0f28-0000'],
        [1, 'GPU-5d4b0f28-0001'],
      ],
    );
    assert.deepEqual(result.labels, ['gpu', 'gpu-tesla-t4', 'gpus-2']);
    assert.match(result.reason!, /nvidia-smi is not on PATH: the NVIDIA driver lists 2 GPU\(s\) in .*gpus/);
  });
});
