import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InferenceSession } from 'onnxruntime-node';
import { summarizeModelGraph } from '../../../core/evaluate/internal/model-file.ts';
import type { ValueInfo } from '../../../core/evaluate/internal/model-session.ts';
import { planOutputs } from '../../../core/evaluate/internal/output-plan.ts';
import { userError } from '../../support/assertions.ts';
import type { Task } from '../../../core/metrics/types.ts';
import { fixture } from './fixture-paths.ts';

const sessions = new Map<string, InferenceSession>();
const names = ['binary', 'binary_sigmoid', 'binary_zipmap', 'multiclass', 'regression', 'per_column'];

before(async () => {
  for (const name of names) sessions.set(name, await InferenceSession.create(fixture(`${name}.onnx`)));
});
after(async () => {
  for (const session of sessions.values()) await session.release();
});

/** The plan for a fixture, from onnxruntime's own metadata and the model file, as evaluateModel makes it. */
function plan(name: string, task: 'auto' | Task = 'auto') {
  const session = sessions.get(name)!;
  const outputs = session.outputMetadata.map((m): ValueInfo =>
    m.isTensor ? { name: m.name, isTensor: true, type: m.type, shape: m.shape } : { name: m.name, isTensor: false },
  );
  return planOutputs(outputs, summarizeModelGraph(readFileSync(fixture(`${name}.onnx`)), name), task, `${name}.onnx`);
}

describe('planOutputs on skl2onnx-style models', () => {
  test('label + [N, 2] probabilities is binary', () => {
    const { plan: p, task } = plan('binary');
    assert.deepEqual(p, { kind: 'probabilities', probabilities: 'probabilities', label: 'label', width: 2 });
    assert.equal(task, 'binary');
  });

  test('string labels + [N, 4] probabilities is multiclass', () => {
    const { plan: p, task } = plan('multiclass');
    assert.deepEqual(p, { kind: 'probabilities', probabilities: 'probabilities', label: 'label', width: 4 });
    assert.equal(task, 'multiclass');
  });

  test('a single [N, 1] output written by a Sigmoid is a binary probability', () => {
    assert.deepEqual(plan('binary_sigmoid'), {
      plan: { kind: 'positive-probability', output: 'probability' },
      task: 'binary',
      reason: 'output "probability" is one probability per row (written by a Sigmoid)',
    });
  });

  test('a single [N, 1] output from a regressor is regression', () => {
    const { plan: p, task } = plan('regression');
    assert.deepEqual([p, task], [{ kind: 'value', output: 'variable' }, 'regression']);
  });

  test('--task binary reads a single output as the positive-class probability', () => {
    assert.deepEqual(plan('regression', 'binary').plan, { kind: 'positive-probability', output: 'variable' });
  });
});

describe('planOutputs errors', () => {
  test('a ZipMap output names the zipmap=False fix', () => {
    assert.throws(
      () => plan('binary_zipmap'),
      userError(
        /binary_zipmap\.onnx output "output_probability" is a ZipMap .*zipmap=False.*options=\{id\(model\): \{'zipmap': False\}\}/,
      ),
    );
  });

  test('a task that contradicts the outputs is refused', () => {
    assert.throws(
      () => plan('binary', 'regression'),
      userError(/is a classifier \(outputs "label", "probabilities"\) but --task regression/),
    );
    assert.throws(() => plan('multiclass', 'binary'), userError(/has 4 probability columns; --task binary needs 2/));
    assert.throws(
      () => plan('regression', 'multiclass'),
      userError(/--task multiclass needs a \[N, classes\] probability output/),
    );
  });

  test('outputs that fit no convention are listed', () => {
    const outputs: ValueInfo[] = [
      { name: 'a', isTensor: true, type: 'float32', shape: [''] },
      { name: 'b', isTensor: true, type: 'float32', shape: [''] },
    ];
    assert.throws(
      () => planOutputs(outputs, { outputProducers: new Map() }, 'auto', 'm.onnx'),
      userError(/m\.onnx outputs "a", "b", which Cairn cannot read/),
    );
  });

  test('a symbolic class count without class labels leaves the task to the first batch', () => {
    const outputs: ValueInfo[] = [{ name: 'scores', isTensor: true, type: 'float32', shape: ['batch', 'classes'] }];
    const result = planOutputs(outputs, { outputProducers: new Map() }, 'auto', 'm.onnx');
    assert.deepEqual(
      [result.plan, result.task],
      [{ kind: 'probabilities', probabilities: 'scores', label: undefined, width: undefined }, undefined],
    );
  });
});
