import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { parse as parseYaml } from 'yaml';
import { parseRepoConfig, findGate, findModelConfig } from '../../core/config/index.ts';
import { evaluateModel } from '../../core/evaluate/index.ts';
import { silentLogger } from '../../core/logger.ts';

const example = resolve(import.meta.dirname, '../../examples/churn');
const FEATURES = [
  'tenure_months',
  'monthly_charges',
  'total_charges',
  'contract_months',
  'support_calls',
  'late_payments',
  'num_products',
  'avg_session_minutes',
];

function node(script: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(example, script), ...args], { encoding: 'utf8' });
}

function readCsv(path: string) {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const rows = lines.map((line) => line.split(',').map(Number));
  return { header: header.split(','), x: rows.map((row) => row.slice(0, -1)), y: rows.map((row) => row.at(-1)!) };
}

/** ROC AUC as the Mann-Whitney U statistic: the chance a random positive outscores a random negative. */
function rocAuc(y: number[], score: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      wins += score[i] > score[j] ? 1 : score[i] === score[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('examples/churn', () => {
  let dir: string;
  let modelPath: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-churn-'));
    modelPath = join(dir, 'model.onnx');
    const trained = node('train.mjs', '--out', modelPath, '--quiet');
    assert.equal(trained.status, 0, trained.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('make-data.mjs regenerates the committed CSVs byte for byte', () => {
    const made = node('make-data.mjs', '--out', join(dir, 'data'));
    assert.equal(made.status, 0, made.stderr);
    for (const file of ['train.csv', 'eval.csv']) {
      assert.ok(
        readFileSync(join(dir, 'data', file)).equals(readFileSync(join(example, 'data', file))),
        `${file} differs from the committed one`,
      );
    }
    const train = readCsv(join(example, 'data/train.csv'));
    assert.deepEqual(train.header, [...FEATURES, 'churned']);
    assert.equal(train.y.length, 2000);
    assert.equal(readCsv(join(example, 'data/eval.csv')).y.length, 600);
  });

  test('make-data.mjs --out writes only the folder it names: no fresh data beside it', () => {
    const made = node('make-data.mjs', '--out', join(dir, 'alone', 'data'));
    assert.equal(made.status, 0, made.stderr);
    assert.deepEqual(readdirSync(join(dir, 'alone')), ['data']);
    assert.match(made.stdout, /no fresh data written: --out was given without --fresh-out/);
  });

  test('make-data.mjs regenerates the shifted fresh CSVs byte for byte, where --fresh-out names', () => {
    const made = node('make-data.mjs', '--out', join(dir, 'data'), '--fresh-out', join(dir, 'fresh'));
    assert.equal(made.status, 0, made.stderr);
    for (const file of ['train.csv', 'eval.csv']) {
      assert.ok(
        readFileSync(join(dir, 'fresh', file)).equals(readFileSync(join(example, 'fresh', file))),
        `fresh/${file} differs from the committed one`,
      );
    }
    const fresh = readCsv(join(example, 'fresh/train.csv'));
    assert.deepEqual(fresh.header, [...FEATURES, 'churned']);
    assert.equal(fresh.y.length, 2000);
    assert.equal(readCsv(join(example, 'fresh/eval.csv')).y.length, 600);
  });

  test("the model follows Cairn's classifier convention and predicts churn well (AUC > 0.75)", async () => {
    const session = await ort.InferenceSession.create(modelPath);
    assert.deepEqual(session.inputNames, ['float_input']);
    assert.deepEqual(session.outputNames, ['label', 'probabilities']);

    const data = readCsv(join(example, 'data/eval.csv'));
    const n = data.y.length;
    const input = new ort.Tensor('float32', Float32Array.from(data.x.flat()), [n, FEATURES.length]);
    const out = await session.run({ float_input: input });
    assert.equal(out.label.type, 'int64');
    assert.deepEqual(out.label.dims, [n]);
    assert.equal(out.probabilities.type, 'float32');
    assert.deepEqual(out.probabilities.dims, [n, 2]);

    const proba = out.probabilities.data as Float32Array;
    const labels = Array.from(out.label.data as BigInt64Array, Number);
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(proba[2 * i] + proba[2 * i + 1] - 1) < 1e-6, `row ${i}: probabilities do not sum to 1`);
      assert.equal(labels[i], proba[2 * i + 1] > proba[2 * i] ? 1 : 0, `row ${i}: label is not the argmax`);
    }
    const pChurn = Array.from({ length: n }, (_, i) => proba[2 * i + 1]);
    assert.ok(rocAuc(data.y, pChurn) > 0.75, `AUC ${rocAuc(data.y, pChurn)}`);
    // The pull-request gate (f1>=0.60) passes at the committed settings.
    const tp = labels.filter((label, i) => label === 1 && data.y[i] === 1).length;
    const f1 = (2 * tp) / (labels.filter((l) => l === 1).length + data.y.filter((y) => y === 1).length);
    assert.ok(f1 >= 0.6, `F1 ${f1}`);
  });

  test("Cairn's evaluation of the example agrees with the model's own predictions", async () => {
    const report = await evaluateModel({
      modelPath,
      dataPath: join(example, 'data/eval.csv'),
      target: 'churned',
      task: 'auto',
      device: 'cpu',
      batchSize: 256,
      name: 'churn',
      logger: silentLogger,
    });
    assert.equal(report.task, 'binary');
    assert.equal(report.rows, 600);
    const session = await ort.InferenceSession.create(modelPath);
    const data = readCsv(join(example, 'data/eval.csv'));
    const out = await session.run({
      float_input: new ort.Tensor('float32', Float32Array.from(data.x.flat()), [600, 8]),
    });
    const proba = out.probabilities.data as Float32Array;
    const expected = rocAuc(
      data.y,
      Array.from({ length: 600 }, (_, i) => proba[2 * i + 1]),
    );
    assert.ok(
      Math.abs((report.metrics.roc_auc ?? NaN) - expected) < 1e-9,
      `roc_auc ${report.metrics.roc_auc} vs ${expected}`,
    );
  });

  test('training is deterministic, and a changed flag changes the model', () => {
    const again = join(dir, 'again.onnx');
    assert.equal(node('train.mjs', '--out', again, '--quiet').status, 0);
    assert.ok(readFileSync(again).equals(readFileSync(modelPath)), 'two runs with the same flags differ');
    const fewer = join(dir, 'fewer-epochs.onnx');
    assert.equal(node('train.mjs', '--out', fewer, '--epochs', '3', '--quiet').status, 0);
    assert.ok(!readFileSync(fewer).equals(readFileSync(modelPath)));
  });

  test('a bad flag or data file exits 2 and names what to fix', () => {
    const badFlag = node('train.mjs', '--out', join(dir, 'x.onnx'), '--lr', 'fast');
    assert.equal(badFlag.status, 2);
    assert.match(badFlag.stderr, /--lr must be a number/);
    const badTarget = node('train.mjs', '--out', join(dir, 'x.onnx'), '--target', 'cancelled');
    assert.equal(badTarget.status, 2);
    assert.match(badTarget.stderr, /no column "cancelled".*--target/);
  });

  test('.github/cairn.yml is valid and holds the pull-request gate, which pr.yml does not repeat', () => {
    const path = join(example, '.github/cairn.yml');
    const config = parseRepoConfig(readFileSync(path, 'utf8'), path);
    const model = findModelConfig(config, 'churn');
    assert.equal(model?.path, 'model.onnx');
    assert.equal(model?.task, 'binary');
    const workflow = parseYaml(readFileSync(join(example, '.github/workflows/pr.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Array<{ id?: string; with?: Record<string, string> }> }>;
    };
    const evaluate = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .find((step) => step.id === 'evaluate');
    assert.match(findGate(model) ?? '', /f1>=/);
    assert.equal(evaluate?.with?.gate, undefined, 'evaluate reads the gate from .github/cairn.yml');
    assert.equal(evaluate?.with?.model, model?.path);
  });

  test("the fork workflow (workflow_run, write token) never checks out or runs the pull request's code", () => {
    const workflow = parseYaml(readFileSync(join(example, '.github/workflows/pr-report-from-fork.yml'), 'utf8')) as {
      on: { workflow_run: { workflows: string[] } };
      jobs: Record<string, { steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }> }>;
    };
    const pr = parseYaml(readFileSync(join(example, '.github/workflows/pr.yml'), 'utf8')) as { name: string };
    assert.deepEqual(
      workflow.on.workflow_run.workflows,
      [pr.name],
      'it must follow the pull-request workflow by its name',
    );
    for (const step of Object.values(workflow.jobs).flatMap((job) => job.steps)) {
      assert.equal(step.run, undefined, 'no shell steps: nothing from the artifact may be executed');
      if (step.uses?.startsWith('actions/checkout@')) {
        assert.equal(step.with?.ref, undefined, 'checkout without ref: the default branch, never the fork head');
        assert.equal(step.with?.repository, undefined);
        assert.equal(step.with?.['persist-credentials'], false);
      }
    }
  });
});
