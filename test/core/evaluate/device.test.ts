import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseExecutionProvider, probeCudaProvider, type DeviceProbes } from '../../../core/evaluate/device.ts';
import { UserError } from '../../../core/errors.ts';
import { memoryLogger } from '../../../core/logger.ts';

const yes = (detail: string) => async () => ({ ok: true, detail });
const no = (detail: string) => async () => ({ ok: false, detail });
const infoLines = (logger: ReturnType<typeof memoryLogger>) =>
  logger.lines.filter((line) => line.level === 'info').map((line) => line.message);
const notProbed = async (): Promise<never> => {
  throw new Error('probed although device cpu was asked for');
};

describe('chooseExecutionProvider', () => {
  test('auto takes CUDA when a GPU and the CUDA provider are both there, and logs why', async () => {
    const logger = memoryLogger();
    const gpu = 'nvidia-smi found GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-8c1b7f2e-3d5a-4c6b-9e8f-0a1b2c3d4e5f)';
    const probes: DeviceProbes = { gpu: yes(gpu), cudaProvider: yes('CUDA provider installed') };
    const choice = await chooseExecutionProvider('auto', probes, logger);
    assert.equal(choice.provider, 'cuda');
    assert.deepEqual(infoLines(logger), ['execution provider: cuda (nvidia-smi found GPU 0: NVIDIA H100 80GB HBM3)']);
  });

  test("auto falls back to the CPU without a GPU: one short line, the probes' details at debug", async () => {
    const logger = memoryLogger();
    const longDetail =
      'onnxruntime-node was installed without its CUDA execution provider (/a/long/path/libonnxruntime_providers_cuda.so is missing: ...)';
    const choice = await chooseExecutionProvider(
      'auto',
      { gpu: no('no NVIDIA GPU found (nvidia-smi -L lists none)'), cudaProvider: no(longDetail) },
      logger,
    );
    assert.equal(choice.provider, 'cpu');
    assert.deepEqual(infoLines(logger), ['execution provider: cpu (no NVIDIA GPU)']);
    const debug = logger.lines
      .filter((line) => line.level === 'debug')
      .map((line) => line.message)
      .join('\n');
    assert.match(
      debug,
      /fell back to the CPU: no NVIDIA GPU found \(nvidia-smi -L lists none\); onnxruntime-node was installed without/,
    );
  });

  test('auto falls back to the CPU when the GPU is there but the CUDA provider is not, and says that', async () => {
    const logger = memoryLogger();
    const choice = await chooseExecutionProvider(
      'auto',
      { gpu: yes('GPU 0'), cudaProvider: no('libonnxruntime_providers_cuda.so is missing') },
      logger,
    );
    assert.equal(choice.provider, 'cpu');
    assert.deepEqual(infoLines(logger), ['execution provider: cpu (GPU found; onnxruntime-node has no CUDA provider)']);
    assert.match(
      logger.lines.find((line) => line.level === 'debug')?.message ?? '',
      /libonnxruntime_providers_cuda\.so is missing/,
    );
  });

  test('the choice is said once per logger (one process), however many models it opens', async () => {
    const logger = memoryLogger();
    const probes = { gpu: no('no NVIDIA GPU found'), cudaProvider: no('missing') };
    for (let model = 0; model < 3; model++) await chooseExecutionProvider('auto', probes, logger);
    assert.deepEqual(infoLines(logger), ['execution provider: cpu (no NVIDIA GPU)']);
    const other = memoryLogger();
    await chooseExecutionProvider('auto', probes, other);
    assert.equal(infoLines(other).length, 1, 'another logger (another run) is told too');
  });

  test('cuda fails with a UserError naming everything that is missing', async () => {
    const probes = { gpu: no('no NVIDIA GPU found'), cudaProvider: no('provider library missing') };
    await assert.rejects(chooseExecutionProvider('cuda', probes, memoryLogger()), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /--device cuda cannot run here: no NVIDIA GPU found; provider library missing/);
      assert.match(error.message, /--device auto/);
      return true;
    });
  });

  test('cpu never probes', async () => {
    const choice = await chooseExecutionProvider('cpu', { gpu: notProbed, cudaProvider: notProbed }, memoryLogger());
    assert.equal(choice.provider, 'cpu');
  });
});

describe('probeCudaProvider', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-ort-'));

  test('a build without a cuda backend is reported as such', async () => {
    const result = await probeCudaProvider(() => [{ name: 'cpu', bundled: true }], dir);
    assert.equal(result.ok, false);
    assert.match(result.detail, /no CUDA execution provider/);
  });

  test('an unbundled cuda backend needs its provider library next to the binding', async () => {
    const backends = () => [
      { name: 'cpu', bundled: true },
      { name: 'cuda', bundled: false },
    ];
    const missing = await probeCudaProvider(backends, dir);
    assert.equal(missing.ok, false);
    assert.match(missing.detail, /installed without its CUDA execution provider/);

    writeFileSync(
      join(dir, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'),
      '',
    );
    assert.equal((await probeCudaProvider(backends, dir)).ok, true);
  });
});
