import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsAccumulator } from '../../../core/metrics/metrics-accumulator.ts';
import { thresholdCounts } from '../../../core/metrics/internal/binary-clf-curve.ts';
import { rocCurve } from '../../../core/metrics/internal/roc-curve.ts';
import { precisionRecallCurve } from '../../../core/metrics/internal/precision-recall-curve.ts';
import { METRIC_NAMES, type Task } from '../../../core/metrics/types.ts';
import { assertClose, batchOf, loadCases, type FixtureCase } from './sklearn-fixtures.ts';

function evaluate(c: FixtureCase) {
  const accumulator = new MetricsAccumulator(c.task, c.classes);
  accumulator.add(batchOf(c));
  return accumulator.result();
}

for (const task of ['binary', 'multiclass', 'regression'] as Task[]) {
  describe(`${task} metrics equal scikit-learn 1.2.1`, () => {
    for (const c of loadCases(task)) {
      test(`${c.name}: ${c.description}`, () => {
        const result = evaluate(c);
        assert.equal(result.rows, c.y_true.length);
        assert.deepEqual(Object.keys(result.metrics), [...METRIC_NAMES[task]]);
        for (const name of METRIC_NAMES[task]) assertClose(result.metrics[name], c.expected.metrics[name], name);
        if (c.proba_dtype === 'float32') {
          // float32 clipping, 1 - p, row sums and division all round like numpy: the loss matches to
          // the last bits, far inside 1e-9 (a float64 row sum alone would be ~1e-9 off).
          const want = c.expected.metrics.log_loss!;
          assert.ok(
            Math.abs(result.metrics.log_loss! - want) <= 1e-13 * want,
            `float32 log_loss ${result.metrics.log_loss} != ${want}`,
          );
        }

        if (task === 'regression') return;
        assert.deepEqual(result.confusion_matrix, { labels: c.classes, matrix: c.expected.confusion_matrix });
        assert.equal(result.per_class?.length, c.classes?.length);
        result.per_class?.forEach((row, i) => {
          const want = c.expected.per_class![i];
          assert.equal(row.label, c.classes![i]);
          assert.equal(row.support, want.support, `support of ${row.label}`);
          for (const key of ['precision', 'recall', 'f1'] as const)
            assertClose(row[key], want[key], `${key} of ${row.label}`);
        });
      });
    }
  });
}

describe('full ROC and PR curves equal scikit-learn before downsampling', () => {
  for (const c of loadCases('binary').filter((x) => x.expected.roc_curve)) {
    test(c.name, () => {
      const { yTrue, proba } = batchOf(c);
      const positive = Float64Array.from({ length: yTrue.length }, (_, i) => proba![i * 2 + 1]);
      const counts = thresholdCounts(yTrue as Int32Array, 1, positive);
      for (const [curve, want] of [
        [rocCurve(counts), c.expected.roc_curve!],
        [precisionRecallCurve(counts), c.expected.pr_curve!],
      ] as const) {
        assert.equal(curve?.x.length, want.x.length);
        curve!.x.forEach((x, i) => assertClose(x, want.x[i], `x[${i}]`));
        curve!.y.forEach((y, i) => assertClose(y, want.y[i], `y[${i}]`));
      }
    });
  }

  test('the chart curves are sklearn points: all of them up to 200, a subset with both ends beyond', () => {
    for (const c of loadCases('binary').filter((x) => x.expected.roc_curve)) {
      const { curves } = evaluate(c);
      for (const [curve, want] of [
        [curves!.roc!, c.expected.roc_curve!],
        [curves!.pr!, c.expected.pr_curve!],
      ] as const) {
        assert.ok(curve.x.length <= 200);
        if (want.x.length <= 200) assert.equal(curve.x.length, want.x.length);
        const last = want.x.length - 1;
        assertClose(curve.x[0], want.x[0], 'first x');
        assertClose(curve.y[0], want.y[0], 'first y');
        assertClose(curve.x.at(-1)!, want.x[last], 'last x');
        assertClose(curve.y.at(-1)!, want.y[last], 'last y');
        let from = 0;
        curve.x.forEach((x, i) => {
          // in order, each point found further along sklearn's curve
          while (from <= last && !(Math.abs(want.x[from] - x) < 1e-12 && Math.abs(want.y[from] - curve.y[i]) < 1e-12))
            from++;
          assert.ok(from <= last, `point ${i} (${x}, ${curve.y[i]}) of ${c.name} is not on sklearn's curve`);
        });
      }
    }
    const large = evaluate(loadCases('binary').find((x) => x.name === 'random_small_curves')!);
    assert.equal(large.curves!.pr!.x.length, 200, 'the 300-threshold PR curve is downsampled to 200 points');
  });
});
