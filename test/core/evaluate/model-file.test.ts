import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { summarizeModelGraph } from '../../../core/evaluate/internal/model-file.ts';
import { UserError } from '../../../core/errors.ts';
import { fixture } from './fixture-paths.ts';

const summarize = (name: string) => summarizeModelGraph(readFileSync(fixture(name)), name);

test('class labels come from the classifier node, in probability-column order', () => {
  assert.deepEqual(summarize('binary.onnx').classLabels, ['0', '1']);
  // sklearn sorts classes_: the probability columns follow that order, not the order of first appearance.
  assert.deepEqual(summarize('multiclass.onnx').classLabels, ['bronze', 'gold', 'platinum', 'silver']);
  assert.deepEqual(summarize('per_column.onnx').classLabels, ['0', '1']);
});

test('models without a classifier node carry no class labels', () => {
  assert.equal(summarize('regression.onnx').classLabels, undefined);
  assert.equal(summarize('binary_sigmoid.onnx').classLabels, undefined);
});

test('the operator writing each output is known (Sigmoid, ZipMap)', () => {
  assert.equal(summarize('binary_sigmoid.onnx').outputProducers.get('probability'), 'Sigmoid');
  assert.equal(summarize('binary_zipmap.onnx').outputProducers.get('output_probability'), 'ZipMap');
  assert.equal(summarize('regression.onnx').outputProducers.get('variable'), 'LinearRegressor');
  assert.equal(summarize('binary.onnx').producer, 'cairn-fixtures 1');
});

test('a file that is not protobuf is a UserError naming it', () => {
  assert.throws(
    () => summarizeModelGraph(Buffer.from('name,age\nann,3\n'), 'data.csv'),
    (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /data\.csv is not an ONNX model/);
      return true;
    },
  );
});
