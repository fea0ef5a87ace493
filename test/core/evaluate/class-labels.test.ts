import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from 'onnxruntime-node';
import type { ColumnBatch, TableSchema } from '../../../core/data/types.ts';
import {
  classificationTarget,
  regressionTarget,
  resolveClasses,
  targetKind,
} from '../../../core/evaluate/internal/class-labels.ts';
import { readPredictions } from '../../../core/evaluate/internal/read-predictions.ts';
import { userError } from '../../support/assertions.ts';

const batch = (numeric: Record<string, number[]>, text: Record<string, string[]> = {}, firstRow = 1): ColumnBatch => ({
  firstRow,
  length: [...Object.values(numeric), ...Object.values(text)][0].length,
  numeric: new Map(Object.entries(numeric).map(([k, v]) => [k, Float64Array.from(v)])),
  text: new Map(Object.entries(text)),
});
const schema = (kind: 'number' | 'string'): TableSchema => ({ format: 'csv', columns: ['y'], kinds: { y: kind } });

describe('class list', () => {
  test("the model's labels win; without them columns are classes 0..C-1", () => {
    assert.deepEqual(resolveClasses(['bronze', 'gold'], 2, 'm.onnx'), { classes: ['bronze', 'gold'], source: 'model' });
    assert.deepEqual(resolveClasses(undefined, 3, 'm.onnx'), { classes: ['0', '1', '2'], source: 'column-index' });
    assert.throws(
      () => resolveClasses(['a', 'b', 'c'], 2, 'm.onnx'),
      userError(/lists 3 classes but its probability output has 2 columns/),
    );
  });

  test('numeric targets match numeric classes by value (1.0 is class 1)', () => {
    assert.equal(targetKind(schema('number'), 'y', ['0', '1']), 'numeric');
    assert.equal(targetKind(schema('number'), 'y', ['a', 'b']), 'text');
    assert.equal(targetKind(schema('string'), 'y', ['0', '1']), 'text');
    const encoder = classificationTarget('numeric', 'y', { classes: ['0', '1'], source: 'model' }, 'd.csv');
    assert.deepEqual([...encoder.encode(batch({ y: [1.0, 0, 1] }))], [1, 0, 1]);
  });

  test('text targets are matched exactly against string classes', () => {
    const encoder = classificationTarget(
      'text',
      'tier',
      { classes: ['bronze', 'gold', 'silver'], source: 'model' },
      'd.csv',
    );
    assert.deepEqual([...encoder.encode(batch({}, { tier: ['silver', 'bronze'] }))], [2, 0]);
  });

  test('a target value that is not a class names row, column and the classes', () => {
    const encoder = classificationTarget('text', 'tier', { classes: ['bronze', 'gold'], source: 'model' }, 'd.csv');
    assert.throws(
      () => encoder.encode(batch({}, { tier: ['gold', 'Gold'] }, 41)),
      userError(/d\.csv row 42, column "tier": "Gold" is not one of the model's classes \(bronze, gold\)/),
    );
    const indexed = classificationTarget('text', 'y', { classes: ['0', '1'], source: 'column-index' }, 'd.csv');
    assert.throws(
      () => indexed.encode(batch({}, { y: ['yes'] })),
      userError(/carries no class labels, so its probability columns are read as classes 0\.\.C-1/),
    );
  });

  test('an empty regression target is refused with its row', () => {
    assert.throws(
      () => regressionTarget('price', 'd.csv').encode(batch({ price: [1, Number.NaN] }, {}, 7)),
      userError(/d\.csv row 8, column "price": the target is empty/),
    );
  });
});

describe('readPredictions', () => {
  const at = { length: 3, firstRow: 1 };

  test('label output values become class indices; probabilities pass through in their dtype', () => {
    const results = {
      label: new Tensor('string', ['gold', 'bronze', 'gold'], [3]),
      probabilities: new Tensor('float32', Float32Array.from([0.2, 0.8, 0.6, 0.4, 0.3, 0.7]), [3, 2]),
    };
    const out = readPredictions(
      { kind: 'probabilities', probabilities: 'probabilities', label: 'label' },
      results,
      at,
      ['bronze', 'gold'],
      'm.onnx',
    );
    assert.deepEqual([...out.yPred], [1, 0, 1]);
    assert.ok(out.proba instanceof Float32Array);
  });

  test('without a label output the prediction is the first most probable column', () => {
    const results = { p: new Tensor('float64', Float64Array.from([0.5, 0.5, 0.1, 0.9, 0.7, 0.3]), [3, 2]) };
    const out = readPredictions({ kind: 'probabilities', probabilities: 'p' }, results, at, ['0', '1'], 'm.onnx');
    assert.deepEqual([...out.yPred], [0, 1, 0]);
  });

  test('a single probability becomes [1 - p, p] and class 1 only above 0.5', () => {
    const results = { p: new Tensor('float32', Float32Array.from([0.5, 0.75, 0.25]), [3, 1]) };
    const out = readPredictions({ kind: 'positive-probability', output: 'p' }, results, at, ['0', '1'], 'm.onnx');
    assert.deepEqual([...out.yPred], [0, 1, 0]);
    assert.deepEqual([...out.proba!], [0.5, 0.5, 0.25, 0.75, 0.75, 0.25]);
  });

  test('a single output outside [0, 1] is not taken for a probability', () => {
    const results = { p: new Tensor('float32', Float32Array.from([0.5, 2.5, 0.25]), [3, 1]) };
    assert.throws(
      () =>
        readPredictions(
          { kind: 'positive-probability', output: 'p' },
          results,
          { length: 3, firstRow: 11 },
          ['0', '1'],
          'm.onnx',
        ),
      userError(/m\.onnx output is not a probability: 2\.5 for data row 12/),
    );
  });
});
