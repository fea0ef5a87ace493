import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsAccumulator, type MetricsBatch } from '../../../core/metrics/metrics-accumulator.ts';
import { UserError } from '../../../core/errors.ts';
import { assertClose, batchOf, loadCases, sliceBatch, type FixtureCase } from './sklearn-fixtures.ts';

const cases: FixtureCase[] = [
  loadCases('binary').find((c) => c.name === 'random_float32')!,
  loadCases('binary').find((c) => c.name === 'heavy_ties')!,
  loadCases('multiclass').find((c) => c.name === 'nine_class_float32')!,
  loadCases('regression').find((c) => c.name === 'random_with_zeros')!,
];

/** Uneven batches, as a reader's last batch or a sharded split would give. */
function batches(c: FixtureCase): MetricsBatch[] {
  const all = batchOf(c);
  const rows = all.yTrue.length;
  const cuts = [0, 1, 37, Math.floor(rows / 3), Math.floor(rows / 2), rows - 5, rows];
  return cuts.slice(1).map((end, i) => sliceBatch(all, cuts[i], end));
}

function oneShot(c: FixtureCase) {
  const accumulator = new MetricsAccumulator(c.task, c.classes);
  accumulator.add(batchOf(c));
  return accumulator.result();
}

for (const c of cases) {
  describe(`${c.task} ${c.name}: batches, shards and JSON give the one-shot result`, () => {
    test('several batches', () => {
      const accumulator = new MetricsAccumulator(c.task, c.classes);
      for (const batch of batches(c)) accumulator.add(batch);
      assert.deepEqual(accumulator.result(), oneShot(c));
      assertClose(
        accumulator.result().metrics[Object.keys(c.expected.metrics)[0]],
        Object.values(c.expected.metrics)[0],
        'first metric',
      );
    });

    test('two shards merged, and merged into an empty accumulator', () => {
      const parts = batches(c);
      const [first, second] = [new MetricsAccumulator(c.task, c.classes), new MetricsAccumulator(c.task, c.classes)];
      parts.slice(0, 3).forEach((b) => first.add(b));
      parts.slice(3).forEach((b) => second.add(b));
      const empty = new MetricsAccumulator(c.task, c.classes);
      empty.merge(first);
      empty.merge(second);
      first.merge(second);
      assert.deepEqual(first.result(), oneShot(c));
      assert.deepEqual(empty.result(), oneShot(c));
    });

    test('toJSON / fromJSON round-trips through JSON text, and shards from JSON merge', () => {
      const parts = batches(c);
      const [first, second] = [new MetricsAccumulator(c.task, c.classes), new MetricsAccumulator(c.task, c.classes)];
      parts.slice(0, 4).forEach((b) => first.add(b));
      parts.slice(4).forEach((b) => second.add(b));
      const revive = (a: MetricsAccumulator) =>
        MetricsAccumulator.fromJSON(JSON.parse(JSON.stringify(a)), 'shard.json');
      const merged = revive(first);
      merged.merge(revive(second));
      assert.deepEqual(merged.result(), oneShot(c));
      assert.deepEqual(revive(merged).toJSON(), merged.toJSON());
    });
  });
}

describe('MetricsAccumulator refuses what would give wrong numbers', () => {
  const binary = () => new MetricsAccumulator('binary', ['no', 'yes']);
  const rows = (yTrue: number[], yPred: number[], proba?: Float32Array | Float64Array): MetricsBatch => ({
    yTrue: Int32Array.from(yTrue),
    yPred: Int32Array.from(yPred),
    ...(proba ? { proba } : {}),
  });

  test('a label outside the classes, leaving earlier rows untouched', () => {
    const accumulator = binary();
    accumulator.add(rows([0, 1], [0, 1], Float64Array.of(0.8, 0.2, 0.3, 0.7)));
    assert.throws(() => accumulator.add(rows([1, 2], [1, 1], Float64Array.of(0.5, 0.5, 0.5, 0.5))), /yTrue\[1\] is 2/);
    assert.throws(() => accumulator.add({ yTrue: Float64Array.of(0.5), yPred: Int32Array.of(0) }), /yTrue\[0\] is 0.5/);
    assert.equal(accumulator.rows, 2);
    assert.equal(accumulator.result().metrics.accuracy, 1);
  });

  test('float32 after float64 probabilities, or probabilities on some batches only', () => {
    const accumulator = binary();
    accumulator.add(rows([0], [0], Float64Array.of(0.9, 0.1)));
    assert.throws(
      () => accumulator.add(rows([1], [1], Float32Array.of(0.1, 0.9))),
      /float32 probabilities but earlier rows have float64/,
    );
    assert.throws(() => accumulator.add(rows([1], [1])), /no probabilities/);
    const other = binary();
    other.add(rows([1], [1], Float32Array.of(0.1, 0.9)));
    assert.throws(() => accumulator.merge(other), /float32/);
  });

  test('a probability matrix of the wrong shape', () => {
    assert.throws(() => binary().add(rows([0, 1], [0, 1], Float64Array.of(0.1, 0.2, 0.3))), /expected 2 x 2 or 2/);
    const multiclass = new MetricsAccumulator('multiclass', ['a', 'b', 'c']);
    assert.throws(() => multiclass.add(rows([0, 1], [0, 1], Float64Array.of(0.5, 0.5, 0.5, 0.5))), /expected 2 x 3/);
  });

  test('shards of different models, and a binary task with three classes', () => {
    assert.throws(() => binary().merge(new MetricsAccumulator('binary', ['yes', 'no'])), UserError);
    assert.throws(() => binary().merge(new MetricsAccumulator('regression')), UserError);
    assert.throws(() => new MetricsAccumulator('binary', ['a', 'b', 'c']), /set the task to multiclass/);
  });

  test('a state file that is not one gets a UserError naming the file', () => {
    assert.throws(
      () => MetricsAccumulator.fromJSON({ format: 'x' }, 'shard-3.json'),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, /^shard-3\.json is not a cairn metrics accumulator state/);
        return true;
      },
    );
    const state = JSON.parse(JSON.stringify(binary()));
    assert.throws(() => MetricsAccumulator.fromJSON({ ...state, rows: 3 }, 'shard-3.json'), /"rows" is 3/);
  });
});

describe('undefined metrics are null, as where scikit-learn raises', () => {
  test('no rows at all', () => {
    const result = new MetricsAccumulator('binary', ['no', 'yes']).result();
    assert.equal(result.rows, 0);
    assert.ok(Object.values(result.metrics).every((v) => v === null));
    assert.ok(Object.values(new MetricsAccumulator('regression').result().metrics).every((v) => v === null));
  });

  test('a NaN probability: score metrics null (sklearn: "Input contains NaN"), label metrics kept', () => {
    const accumulator = new MetricsAccumulator('binary', ['no', 'yes']);
    accumulator.add({
      yTrue: Int32Array.of(0, 1, 1),
      yPred: Int32Array.of(0, 1, 0),
      proba: Float64Array.of(0.2, NaN, 0.4),
    });
    const { metrics, curves } = accumulator.result();
    assert.deepEqual(
      [metrics.roc_auc, metrics.average_precision, metrics.log_loss, metrics.brier_score, curves],
      [null, null, null, null, undefined],
    );
    assertClose(metrics.accuracy, 2 / 3, 'accuracy');
  });

  test('a probability above 1: brier_score null (sklearn raises), log_loss clips', () => {
    const accumulator = new MetricsAccumulator('binary', ['no', 'yes']);
    accumulator.add({ yTrue: Int32Array.of(0, 1), yPred: Int32Array.of(0, 1), proba: Float64Array.of(0.2, 1.5) });
    const { metrics } = accumulator.result();
    assert.equal(metrics.brier_score, null);
    assert.equal(metrics.roc_auc, 1);
    assertClose(metrics.log_loss, -Math.log(0.8) / 2 + -Math.log(1 - 2 ** -52) / 2, 'log_loss');
  });
});
