/**
 * The paired bootstrap of a metric difference (core/metrics/paired-bootstrap.ts) against scikit-learn
 * on the same draws (test/fixtures/generate_challenge.py), and the properties a decision relies on.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  challengeDecisionSchema,
  decideChallenge,
  MetricsAccumulator,
  pairedDifference,
  type BootstrapSettings,
  type Task,
} from '../../../core/metrics/index.ts';
import { isUserError } from '../../../core/errors.ts';
import { assertClose, batchOf, loadJson, type FixtureCase } from './sklearn-fixtures.ts';

interface Side {
  y_pred: number[];
  proba?: number[];
}

interface ChallengeCase {
  name: string;
  task: Task;
  classes?: string[];
  proba_dtype?: 'float32' | 'float64';
  y_true: number[];
  champion: Side;
  challenger: Side;
  results: Record<
    string,
    { champion: number; challenger: number; difference: number; interval: [number, number]; skipped: number }
  >;
}

const fixture = loadJson<{ settings: BootstrapSettings; cases: ChallengeCase[] }>('challenge.json');

function accumulatorOf(c: ChallengeCase, side: Side): MetricsAccumulator {
  const accumulator = new MetricsAccumulator(c.task, c.classes ?? []);
  accumulator.add(batchOf({ ...c, ...side, name: c.name, description: '', expected: { metrics: {} } } as FixtureCase));
  return accumulator;
}

describe('paired bootstrap of a metric difference', () => {
  for (const c of fixture.cases) {
    for (const [metric, expected] of Object.entries(c.results)) {
      test(`${c.name} ${metric}: values, difference, interval and skipped resamples equal scikit-learn's`, () => {
        const result = pairedDifference(
          accumulatorOf(c, c.champion),
          accumulatorOf(c, c.challenger),
          metric,
          fixture.settings,
        );
        assertClose(result.champion, expected.champion, 'champion');
        assertClose(result.challenger, expected.challenger, 'challenger');
        assertClose(result.difference, expected.difference, 'difference');
        assertClose(result.interval?.[0], expected.interval[0], 'interval low');
        assertClose(result.interval?.[1], expected.interval[1], 'interval high');
        assert.equal(result.skipped, expected.skipped);
      });
    }
  }

  test('lower-is-better metrics are flipped: the better challenger has a positive log_loss difference', () => {
    const binary = fixture.cases.find((c) => c.name === 'binary')!;
    const logLoss = pairedDifference(
      accumulatorOf(binary, binary.champion),
      accumulatorOf(binary, binary.challenger),
      'log_loss',
      fixture.settings,
    );
    assert.equal(logLoss.lowerIsBetter, true);
    assert.ok(logLoss.challenger < logLoss.champion);
    assert.equal(logLoss.difference, logLoss.champion - logLoss.challenger);
    assert.ok(logLoss.interval![0] > 0);
  });

  test('the fixture pins a skipped count: 3 positives in 40 rows leave some resamples without a ROC AUC', () => {
    assert.ok(fixture.cases.find((c) => c.name === 'binary_rare_positive')!.results.roc_auc!.skipped > 0);
  });

  test('a model against itself: difference 0 and interval [0, 0] for every metric, so the decision is keep', () => {
    for (const c of fixture.cases) {
      for (const metric of Object.keys(c.results)) {
        const model = accumulatorOf(c, c.challenger);
        const result = pairedDifference(model, model, metric, { resamples: 50, seed: 3, confidence: 0.95 });
        assert.equal(Object.is(result.difference, 0), true, `${c.name} ${metric}: ${result.difference}`);
        assert.deepEqual(result.interval, [0, 0], `${c.name} ${metric}`);
        assert.equal(decideChallenge(result.interval!, 0), 'keep');
      }
    }
  });

  test('reproducible with a seed; another seed draws other resamples', () => {
    const c = fixture.cases.find((c) => c.name === 'multiclass')!;
    const run = (seed: number) =>
      pairedDifference(accumulatorOf(c, c.champion), accumulatorOf(c, c.challenger), 'accuracy', {
        resamples: 100,
        seed,
        confidence: 0.95,
      });
    assert.deepEqual(run(11), run(11));
    assert.notDeepEqual(run(11).interval, run(12).interval);
  });

  test('the decision rule: promote only when the lower bound is above the minimum improvement', () => {
    assert.equal(decideChallenge([0.02, 0.05], 0), 'promote');
    assert.equal(decideChallenge([0.02, 0.05], 0.02), 'keep');
    assert.equal(decideChallenge([0, 0.05], 0), 'keep');
    assert.equal(decideChallenge([-0.01, 0.05], 0), 'keep');
  });

  test('refused: different tasks, different classes, a metric the task does not compute, a metric undefined on all rows', () => {
    const binary = new MetricsAccumulator('binary', ['0', '1']);
    binary.add({ yTrue: Int32Array.of(0, 0), yPred: Int32Array.of(0, 1), proba: Float64Array.of(0.2, 0.7) });
    const other = new MetricsAccumulator('binary', ['no', 'yes']);
    other.add({ yTrue: Int32Array.of(0, 0), yPred: Int32Array.of(0, 1), proba: Float64Array.of(0.2, 0.7) });
    const multiclass = new MetricsAccumulator('multiclass', ['0', '1']);
    multiclass.add({ yTrue: Int32Array.of(0, 0), yPred: Int32Array.of(0, 1) });
    const settings = { resamples: 10, seed: 0, confidence: 0.95 };
    const refusals: Array<[() => unknown, RegExp]> = [
      [
        () => pairedDifference(binary, multiclass, 'accuracy', settings),
        /binary model and the challenger as multiclass/,
      ],
      [
        () => pairedDifference(binary, other, 'accuracy', settings),
        /classes \[0, 1\] are not the challenger's \[no, yes\]/,
      ],
      [() => pairedDifference(binary, binary, 'mae', settings), /mae is not computed for binary models/],
      [
        () => pairedDifference(binary, binary, 'roc_auc', settings),
        /roc_auc is undefined for the champion on these 2 rows/,
      ],
    ];
    for (const [run, message] of refusals) {
      assert.throws(run, (error) => isUserError(error) && message.test((error as Error).message));
    }
  });

  test('the decision file schema refuses unknown keys and a negative minimum improvement', () => {
    const decision = {
      schema: 'cairn.challenge/v1',
      metric: 'roc_auc',
      lower_is_better: false,
      task: 'binary',
      data: { path: 'eval.csv', sha256: 'a'.repeat(64), rows: 10, target: 'y' },
      champion: { path: 'a.onnx', sha256: 'b'.repeat(64), value: 0.8 },
      challenger: { path: 'b.onnx', sha256: 'c'.repeat(64), value: 0.9 },
      difference: 0.1,
      interval: [0.05, 0.15],
      confidence: 0.95,
      bootstrap: 1000,
      skipped: 0,
      seed: 0,
      min_improvement: 0,
      decision: 'promote',
    };
    assert.equal(challengeDecisionSchema.safeParse(decision).success, true);
    assert.equal(challengeDecisionSchema.safeParse({ ...decision, extra: 1 }).success, false);
    assert.equal(challengeDecisionSchema.safeParse({ ...decision, min_improvement: -0.1 }).success, false);
    assert.equal(challengeDecisionSchema.safeParse({ ...decision, decision: 'maybe' }).success, false);
  });
});
