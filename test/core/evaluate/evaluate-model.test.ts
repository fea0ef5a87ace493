/**
 * evaluateModel end to end on the ONNX fixtures: its metrics must equal scikit-learn's
 * (test/fixtures/generate_models.py) to 1e-6, whatever the batch size.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateModel, type EvaluateOptions } from '../../../core/evaluate/evaluate-model.ts';
import { UserError } from '../../../core/errors.ts';
import { memoryLogger, silentLogger } from '../../../core/logger.ts';
import { METRIC_NAMES, type MetricsReport } from '../../../core/metrics/types.ts';
import { expected, fixture, type ExpectedEvaluation } from './fixture-paths.ts';

const noGpu = {
  gpu: async () => ({ ok: false, detail: 'no NVIDIA GPU found' }),
  cudaProvider: async () => ({ ok: true, detail: 'installed' }),
};

function evaluate(name: string, overrides: Partial<EvaluateOptions> = {}): Promise<MetricsReport> {
  const want = expected(name);
  return evaluateModel({
    modelPath: fixture(want.model),
    dataPath: fixture(want.data),
    target: want.target,
    task: 'auto',
    device: 'cpu',
    batchSize: 64,
    logger: silentLogger,
    ...overrides,
  });
}

function assertMatchesSklearn(report: MetricsReport, want: ExpectedEvaluation): void {
  assert.equal(report.task, want.task);
  assert.equal(report.rows, want.rows);
  assert.deepEqual(Object.keys(report.metrics).sort(), [...METRIC_NAMES[want.task]].sort());
  for (const [metric, value] of Object.entries(want.metrics)) {
    const actual = report.metrics[metric];
    assert.ok(actual !== null && Math.abs(actual - value) <= 1e-6, `${metric}: cairn ${actual}, sklearn ${value}`);
  }
  if (want.confusion_matrix) assert.deepEqual(report.confusion_matrix, want.confusion_matrix);
  if (want.per_class) {
    assert.equal(report.per_class?.length, want.per_class.length);
    want.per_class.forEach((row, i) => {
      const got = report.per_class![i];
      assert.deepEqual([got.label, got.support], [row.label, row.support]);
      for (const key of ['precision', 'recall', 'f1'] as const)
        assert.ok(Math.abs(got[key] - row[key]) <= 1e-6, `${row.label} ${key}`);
    });
  }
}

describe('evaluateModel equals scikit-learn', () => {
  for (const name of ['binary', 'binary_sigmoid', 'multiclass', 'regression', 'per_column']) {
    test(`${name}: metrics, per-class figures and confusion matrix`, async () => {
      assertMatchesSklearn(await evaluate(name), expected(name));
    });
  }

  test('the batch size changes nothing but the latency block', async () => {
    const want = expected('binary');
    for (const batchSize of [1, 299, 1000]) {
      const report = await evaluate('binary', { batchSize });
      assertMatchesSklearn(report, want);
      assert.equal(report.latency?.batch_size, batchSize);
    }
  });

  test('--features in file order is the default mapping', async () => {
    const report = await evaluate('binary', {
      features: ['tenure', 'monthly_charges', 'support_calls', 'contract_months'],
    });
    assertMatchesSklearn(report, expected('binary'));
  });
});

describe('a model without class labels (PyTorch-style softmax, symbolic class count)', () => {
  const want = expected('multiclass');

  test('reads column j as class j, and the metrics equal sklearn on integer-encoded targets', async () => {
    // sklearn's classes_ order: bronze, gold, platinum, silver -> 0..3.
    const [header, ...lines] = readFileSync(fixture('multiclass.csv'), 'utf8').trimEnd().split('\n');
    const encoded = lines.map((line) => line.replace(/^[^,]+/, (tier) => String(want.classes!.indexOf(tier))));
    const dataPath = join(mkdtempSync(join(tmpdir(), 'cairn-softmax-')), 'tiers.csv');
    writeFileSync(dataPath, [header, ...encoded].join('\n') + '\n');
    const logger = memoryLogger();

    const report = await evaluate('multiclass', { modelPath: fixture('multiclass_softmax.onnx'), dataPath, logger });
    const indexLabels = ['0', '1', '2', '3'];
    assertMatchesSklearn(report, {
      ...want,
      confusion_matrix: { labels: indexLabels, matrix: want.confusion_matrix!.matrix },
      per_class: want.per_class!.map((row, i) => ({ ...row, label: indexLabels[i] })),
    });
    assert.ok(logger.lines.some((line) => line.message === 'classes (probability column index): 0, 1, 2, 3'));
  });

  test('text targets it cannot match get the encoding hint', async () => {
    await assert.rejects(
      evaluate('multiclass', { modelPath: fixture('multiclass_softmax.onnx') }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.message,
          /row 1, column "tier": "silver" is not one of the model's classes \(0, 1, 2, 3\)\. The model carries no class labels/,
        );
        return true;
      },
    );
  });
});

describe('the report around the metrics', () => {
  test('names the model, hashes both files, and records runtime and latency', async () => {
    const report = await evaluate('multiclass', { name: 'tiers' });
    const sha = (file: string) =>
      createHash('sha256')
        .update(readFileSync(fixture(file)))
        .digest('hex');
    assert.equal(report.schema, 'cairn.metrics/v1');
    assert.equal(report.name, 'tiers');
    assert.deepEqual(report.runtime, { onnxruntime: '1.30.0', execution_provider: 'CPUExecutionProvider' });
    assert.deepEqual(report.model, {
      path: fixture('multiclass.onnx'),
      sha256: sha('multiclass.onnx'),
      inputs: [{ name: 'float_input', type: 'float32', shape: [null, 5] }],
      outputs: [
        { name: 'label', type: 'string', shape: [null] },
        { name: 'probabilities', type: 'float32', shape: [null, 4] },
      ],
    });
    assert.deepEqual(report.data, {
      path: fixture('multiclass.csv'),
      sha256: sha('multiclass.csv'),
      rows: 400,
      target: 'tier',
      features: ['spend', 'visits_per_month', 'basket_size', 'returns', 'tenure_years'],
    });
    // 400 rows in batches of 64: 7 timed batches, too few for percentiles; throughput is still measured.
    const latency = report.latency!;
    assert.equal(latency.batch_size, 64);
    assert.equal(latency.batches, 7);
    assert.ok(latency.rows_per_s > 0);
    assert.equal(latency.p50_ms, undefined);
    assert.equal(latency.p99_ms, undefined);
  });

  test('records a seeded bootstrap interval for every metric, the same on every run', async () => {
    const report = await evaluate('binary');
    assert.deepEqual(report.bootstrap, { resamples: 200, seed: 0, confidence: 0.95 });
    assert.deepEqual(Object.keys(report.intervals!).sort(), Object.keys(report.metrics).sort());
    for (const [metric, [low, high]] of Object.entries(report.intervals!)) {
      const value = report.metrics[metric]!;
      assert.ok(low < high && low <= value && value <= high, `${metric} ${value} in [${low}, ${high}]`);
    }
    for (const item of report.per_class!) {
      const [low, high] = item.f1_interval!;
      assert.ok(low <= item.f1 && item.f1 <= high, `class ${item.label} f1 ${item.f1} in [${low}, ${high}]`);
    }
    assert.deepEqual(
      (await evaluate('binary', { batchSize: 7 })).intervals,
      report.intervals,
      'batching does not change the draws',
    );
    const off = await evaluate('binary', { bootstrap: { resamples: 0 } });
    assert.equal(off.intervals, undefined);
    assert.equal(off.bootstrap, undefined);
  });

  test('records the target, the feature columns in input order, and how classes were decided', async () => {
    const report = await evaluate('binary');
    assert.equal(report.data!.target, 'churned');
    assert.deepEqual(report.data!.features, ['tenure', 'monthly_charges', 'support_calls', 'contract_months']);
    assert.deepEqual(
      (await evaluate('binary', { features: ['support_calls', 'tenure', 'contract_months', 'monthly_charges'] })).data!
        .features,
      ['support_calls', 'tenure', 'contract_months', 'monthly_charges'],
    );
    assert.deepEqual(report.decision, { rule: 'label-output' });
    assert.deepEqual((await evaluate('binary_sigmoid')).decision, { rule: 'argmax' });
    assert.equal((await evaluate('regression')).decision, undefined);
  });

  test('a configured threshold decides binary classes: P(positive) >= threshold', async () => {
    const base = await evaluate('binary');
    const positives = base.per_class![1].support;
    for (const name of ['binary', 'binary_sigmoid']) {
      // Every probability is above 1e-9: every row is predicted positive.
      const low = await evaluate(name, { threshold: { value: 1e-9, key: 'models.churn.threshold' } });
      assert.deepEqual(low.decision, { rule: 'threshold', threshold: 1e-9 });
      assert.equal(low.metrics.recall, 1, name);
      assert.equal(low.metrics.precision, positives / low.rows, name);
      assert.equal(low.metrics.roc_auc, base.metrics.roc_auc, 'scores, not decisions: unchanged');
    }
  });

  test('a threshold on a multiclass model is refused, naming the setting', async () => {
    await assert.rejects(
      evaluate('multiclass', { threshold: { value: 0.3, key: 'models.tiers.threshold' } }),
      (error: unknown) =>
        error instanceof UserError && /models\.tiers\.threshold applies to binary models/.test(error.message),
    );
  });

  test('latency percentiles come from at least 30 timed batches', async () => {
    const latency = (await evaluate('multiclass', { batchSize: 10 })).latency!;
    assert.equal(latency.batches, 40);
    const { p50_ms: p50, p95_ms: p95, p99_ms: p99 } = latency;
    assert.ok(p50 !== undefined && p95 !== undefined && p99 !== undefined && p50 <= p95 && p95 <= p99);
  });

  test('the name defaults to the model file stem', async () => {
    assert.equal((await evaluate('regression')).name, 'regression');
  });

  test('logs the device decision, the task rule and the class list', async () => {
    const logger = memoryLogger();
    await evaluate('multiclass', { device: 'auto', probes: noGpu, logger });
    const log = logger.lines.map((line) => line.message).join('\n');
    assert.match(log, /^execution provider: cpu \(no NVIDIA GPU\)$/m);
    assert.match(log, /task: multiclass \(output "probabilities" holds class probabilities \[N, 4\]\)/);
    assert.match(log, /classes \(from the model's class labels\): bronze, gold, platinum, silver/);
  });

  test('an explicit task overrides the detection: the sigmoid model read as regression', async () => {
    const report = await evaluate('binary_sigmoid', { task: 'regression' });
    assert.equal(report.task, 'regression');
    assert.deepEqual(Object.keys(report.metrics).sort(), [...METRIC_NAMES.regression].sort());
  });
});
