import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeNvidiaGpu } from '../../../core/gpu/nvidia.ts';

describe('probeNvidiaGpu', () => {
  const failingSmi = async (): Promise<string> => {
    throw Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' });
  };

  test('a GPU listed by nvidia-smi counts', async () => {
    const result = await probeNvidiaGpu('/nonexistent', async () => 'GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-1234)\n');
    assert.equal(result.ok, true);
    assert.match(result.detail, /NVIDIA H100/);
  });

  test('without nvidia-smi the driver entries under /proc decide', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cairn-proc-'));
    mkdirSync(join(root, 'gpus', '0000:00:1e.0'), { recursive: true });
    assert.equal((await probeNvidiaGpu(root, failingSmi)).ok, true);
  });

  test('no nvidia-smi and no driver entries: no GPU, and the detail says what was checked', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cairn-proc-'));
    const result = await probeNvidiaGpu(root, failingSmi);
    assert.equal(result.ok, false);
    assert.match(result.detail, /nvidia-smi -L lists none/);
  });
});
