/**
 * The seeded row bootstrap (core/metrics/bootstrap.ts): the same draws as the Python reference,
 * intervals equal to scikit-learn's on those draws (test/fixtures/generate_bootstrap.py), and the
 * properties a reader relies on.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BOOTSTRAP_DEFAULTS,
  bootstrapIntervals,
  mulberry32,
  percentileInterval,
  resampleIndices,
  type BootstrapSettings,
} from '../../../core/metrics/bootstrap.ts';
import { classF1Key, MetricsAccumulator } from '../../../core/metrics/metrics-accumulator.ts';
import type { Task } from '../../../core/metrics/types.ts';
import { assertClose, batchOf, loadCases, loadJson, type FixtureCase } from './sklearn-fixtures.ts';

interface BootstrapFixture {
  settings: BootstrapSettings;
  mulberry32_seed0: number[];
  cases: Array<FixtureCase & { intervals: Record<string, [number, number]> }>;
}

const fixture = loadJson<BootstrapFixture>('bootstrap.json');

function accumulatorOf(c: FixtureCase): MetricsAccumulator {
  const accumulator = new MetricsAccumulator(c.task, c.classes ?? []);
  accumulator.add(batchOf(c));
  return accumulator;
}

/** A binary accumulator whose model is right on `share` of `rows` rows, with informative scores. */
function binaryRows(rows: number, seed: number): MetricsAccumulator {
  const next = mulberry32(seed);
  const yTrue = new Int32Array(rows);
  const yPred = new Int32Array(rows);
  const proba = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    yTrue[i] = next() < 0.4 ? 1 : 0;
    proba[i] = Math.min(1, Math.max(0, 0.5 + (yTrue[i] ? 0.2 : -0.2) + (next() - 0.5) * 0.8));
    yPred[i] = proba[i] > 0.5 ? 1 : 0;
  }
  const accumulator = new MetricsAccumulator('binary', ['0', '1']);
  accumulator.add({ yTrue, yPred, proba });
  return accumulator;
}

describe('bootstrap draws', () => {
  test('mulberry32 gives the same numbers as the Python reference', () => {
    const next = mulberry32(0);
    assert.deepEqual(
      fixture.mulberry32_seed0.map(() => next()),
      fixture.mulberry32_seed0,
    );
  });

  test('hand-checkable: seed 0 over 4 rows draws floor(u * 4) of those numbers', () => {
    const [first] = resampleIndices(4, { resamples: 1, seed: 0 });
    // 0.2664 * 4, 0.0003 * 4, 0.2233 * 4, 0.1462 * 4
    assert.deepEqual([...first], [1, 0, 0, 0]);
  });

  test('percentileInterval is numpy.percentile at the two tails', () => {
    // np.percentile([1, 2, 3, 4, 5], [25, 75]) -> [2, 4]; [2.5, 97.5] of 1..11 -> [1.25, 10.75]
    assert.deepEqual(percentileInterval([5, 1, 4, 2, 3], 0.5), [2, 4]);
    assert.deepEqual(percentileInterval([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 0.95), [1.25, 10.75]);
  });
});

describe('bootstrap intervals equal scikit-learn on the same draws', () => {
  for (const c of fixture.cases) {
    test(`${c.task}: every metric's interval`, () => {
      const intervals = bootstrapIntervals(c.y_true.length, accumulatorOf(c).resampleScorer(), fixture.settings);
      const metricIntervals = Object.keys(intervals).filter((name) => !name.startsWith('per_class.'));
      assert.deepEqual(metricIntervals.sort(), Object.keys(c.intervals).sort());
      for (const [metric, [low, high]] of Object.entries(c.intervals)) {
        assertClose(intervals[metric][0], low, `${c.task} ${metric} low`);
        assertClose(intervals[metric][1], high, `${c.task} ${metric} high`);
      }
    });
  }
});

describe('resampleScorer', () => {
  // The scorer walks a presorted order instead of sorting each resample: it must give exactly what
  // result() gives on the drawn rows, on every sklearn fixture (ties, clipping, one-class cases).
  for (const task of ['binary', 'multiclass', 'regression'] as Task[]) {
    test(`${task}: equals result() of the drawn rows, exactly`, () => {
      for (const c of loadCases(task)) {
        const rows = c.y_true.length;
        if (rows === 0) continue;
        const scorer = accumulatorOf(c).resampleScorer();
        const batch = batchOf(c);
        const width = batch.proba ? batch.proba.length / rows : 0;
        for (const indices of resampleIndices(rows, { resamples: 3, seed: 7 })) {
          const pick = <T extends Int32Array | Float32Array | Float64Array>(values: T, w: number): T => {
            const out = new (values.constructor as new (length: number) => T)(indices.length * w);
            indices.forEach((row, i) => out.set(values.subarray(row * w, (row + 1) * w), i * w));
            return out;
          };
          const drawn = new MetricsAccumulator(c.task, c.classes ?? []);
          drawn.add({
            yTrue: pick(batch.yTrue, 1),
            yPred: pick(batch.yPred, 1),
            ...(batch.proba ? { proba: pick(batch.proba, width) } : {}),
          });
          const expected = drawn.result();
          const perClassF1 = Object.fromEntries((expected.per_class ?? []).map((item, i) => [classF1Key(i), item.f1]));
          assert.deepEqual(scorer(indices), { ...expected.metrics, ...perClassF1 }, `${c.name}`);
        }
      }
    });
  }
});

describe('bootstrap properties', () => {
  test('the same seed gives the same intervals; another seed other ones', () => {
    const accumulator = binaryRows(500, 1);
    const once = bootstrapIntervals(500, accumulator.resampleScorer());
    assert.deepEqual(bootstrapIntervals(500, accumulator.resampleScorer()), once);
    assert.notDeepEqual(
      bootstrapIntervals(500, accumulator.resampleScorer(), { ...BOOTSTRAP_DEFAULTS, seed: 1 }),
      once,
    );
  });

  test('each interval holds the point estimate on well-behaved data, and narrows with more rows', () => {
    const width = (rows: number) => {
      const accumulator = binaryRows(rows, 3);
      const intervals = bootstrapIntervals(rows, accumulator.resampleScorer());
      for (const [metric, value] of Object.entries(accumulator.result().metrics)) {
        const [low, high] = intervals[metric];
        assert.ok(low <= value! && value! <= high, `${metric} ${value} in [${low}, ${high}] (${rows} rows)`);
      }
      return intervals.roc_auc[1] - intervals.roc_auc[0];
    };
    const small = width(200);
    const large = width(5000);
    assert.ok(large < small / 3, `5,000 rows give a narrower roc_auc interval (${large}) than 200 (${small})`);
  });

  test('a perfect model has a zero-width accuracy interval', () => {
    const accumulator = new MetricsAccumulator('binary', ['0', '1']);
    accumulator.add({ yTrue: Int32Array.from([0, 1, 1, 0, 1]), yPred: Int32Array.from([0, 1, 1, 0, 1]) });
    assert.deepEqual(bootstrapIntervals(5, accumulator.resampleScorer()).accuracy, [1, 1]);
  });

  test('a metric some resample leaves undefined gets no interval', () => {
    // 1 positive in 20 rows: most resamples of 20 miss it at least once in 200 draws, and ROC AUC is undefined there.
    const yTrue = Int32Array.from({ length: 20 }, (_, i) => (i === 0 ? 1 : 0));
    const accumulator = new MetricsAccumulator('binary', ['0', '1']);
    accumulator.add({ yTrue, yPred: yTrue, proba: Float64Array.from(yTrue, (y) => (y ? 0.9 : 0.1)) });
    const intervals = bootstrapIntervals(20, accumulator.resampleScorer());
    assert.equal(intervals.roc_auc, undefined);
    assert.ok(intervals.accuracy, 'accuracy is defined in every resample');
  });

  test('0 resamples turns it off; bad settings are refused', () => {
    assert.deepEqual(
      bootstrapIntervals(10, () => ({ x: 1 }), { ...BOOTSTRAP_DEFAULTS, resamples: 0 }),
      {},
    );
    assert.throws(
      () => bootstrapIntervals(10, () => ({ x: 1 }), { ...BOOTSTRAP_DEFAULTS, confidence: 1 }),
      /confidence/,
    );
    assert.throws(
      () => bootstrapIntervals(10, () => ({ x: 1 }), { ...BOOTSTRAP_DEFAULTS, resamples: 2.5 }),
      /resamples/,
    );
  });
});
