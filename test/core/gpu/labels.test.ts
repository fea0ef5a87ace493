import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuLabels, modelLabel } from '../../../core/gpu/index.ts';

describe('runner labels from the probe', () => {
  test("a model's label: lower case, no leading 'nvidia ', every other run of characters one '-'", () => {
    assert.equal(modelLabel('NVIDIA H100 80GB HBM3'), 'gpu-h100-80gb-hbm3');
    assert.equal(modelLabel('Tesla T4'), 'gpu-tesla-t4');
    assert.equal(modelLabel('NVIDIA A100-SXM4-40GB'), 'gpu-a100-sxm4-40gb');
    assert.equal(modelLabel('NVIDIA GeForce RTX 4090'), 'gpu-geforce-rtx-4090');
    assert.equal(modelLabel('NVIDIA RTX 6000 Ada Generation'), 'gpu-rtx-6000-ada-generation');
  });

  test('gpu, one label per distinct model in the order first seen, cuda-<major>, gpus-<count>', () => {
    const devices = [{ name: 'Tesla T4' }, { name: 'NVIDIA A100-SXM4-40GB' }, { name: 'Tesla T4' }];
    assert.deepEqual(gpuLabels(devices, '12.2'), ['gpu', 'gpu-tesla-t4', 'gpu-a100-sxm4-40gb', 'cuda-12', 'gpus-3']);
  });

  test('no cuda label when the CUDA version is unknown; none at all without a GPU', () => {
    assert.deepEqual(gpuLabels([{ name: 'Tesla T4' }], null), ['gpu', 'gpu-tesla-t4', 'gpus-1']);
    assert.deepEqual(gpuLabels([], '12.4'), []);
  });
});
