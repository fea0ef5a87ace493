import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { inputEnv, runBundledAction, runnerFiles } from '../support/action-runner.ts';
import { CHURN, tempDir, trainChurn } from '../support/cli.ts';
import { assertInert, assertNoWorkflowCommands } from '../support/inert-markdown.ts';
import { assertStepRefusal } from '../support/refusals.ts';

const BUNDLE = resolve('dist/evaluate.js');
const evalCsv = join(CHURN, 'data', 'eval.csv');

/** Runs dist/evaluate.js the way the runner does: INPUT_* env, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
async function evaluateStep(inputs: Record<string, string>) {
  const runner = runnerFiles({ repository: 'acme/churn', eventName: 'pull_request', sha: 'a'.repeat(40) });
  const result = await runBundledAction(BUNDLE, {
    ...runner.env,
    ...inputEnv({
      task: 'auto',
      device: 'auto',
      'batch-size': '4096',
      config: join(runner.dir, 'none.yml'),
      ...inputs,
    }),
  });
  return { ...result, runner, outputs: runner.outputs() };
}

describe('actions/evaluate (dist/evaluate.js, run as the runner runs it)', () => {
  let model: string;
  before(async () => {
    model = await trainChurn(tempDir());
  });

  test('writes the metrics, the job summary and the outputs; a met gate passes', async () => {
    const step = await evaluateStep({ model, data: evalCsv, target: 'churned', name: 'churn', gate: 'roc_auc>=0.7' });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    const report = JSON.parse(readFileSync(step.outputs['metrics-path'], 'utf8'));
    assert.equal(report.name, 'churn');
    assert.equal(report.git.sha, 'a'.repeat(40));
    assert.equal(step.outputs.passed, 'true');
    assert.match(step.outputs.summary, /^churn: roc_auc 0\.\d{4}, f1 0\.\d{4} — gate passed$/);
    assert.match(step.runner.summary(), /roc_auc/);
    assert.ok(step.outputs['metrics-path'].startsWith(step.runner.dir), 'written under RUNNER_TEMP');
  });

  test('a failed gate fails the step but leaves the metrics and outputs for the report step', async () => {
    const step = await evaluateStep({ model, data: evalCsv, target: 'churned', name: 'churn', gate: 'f1>=0.99' });
    assert.equal(step.code, 1);
    assert.match(step.stdout, /::error::gate failed for churn: f1>=0\.99/);
    assert.equal(step.outputs.passed, 'false');
    assert.ok(existsSync(step.outputs['metrics-path']));
  });

  test('a hostile model name runs no workflow command in the log and renders inert in the job summary', async () => {
    // Short: the name also names the metrics file.
    const name = 'churn\n::warning::x\n  ::error::y ##[stop-commands]t @org/team <img src=x> ](http://x) -->';
    const step = await evaluateStep({ model, data: evalCsv, target: 'churned', name, gate: 'roc_auc>=0.7' });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.match(step.stdout, /^:\u200B:warning::x$/m, 'the name is in the log, as text');
    assertNoWorkflowCommands(step.stdout + step.stderr, ['::debug::']);
    assertInert(step.runner.summary());
  });

  test('features: @FILE reads the columns from a file, one per line; a missing file fails the step naming features:', async () => {
    const columns = readFileSync(evalCsv, 'utf8')
      .split('\n')[0]
      .split(',')
      .filter((name) => name !== 'churned');
    const dir = tempDir();
    writeFileSync(join(dir, 'features.txt'), `${columns.join('\n')}\n`);
    writeFileSync(join(dir, 'reversed.txt'), `${[...columns].reverse().join('\n')}\n`);
    const inOrder = await evaluateStep({
      model,
      data: evalCsv,
      target: 'churned',
      name: 'churn',
      features: `@${join(dir, 'features.txt')}`,
    });
    const reversed = await evaluateStep({
      model,
      data: evalCsv,
      target: 'churned',
      name: 'churn',
      features: `@${join(dir, 'reversed.txt')}`,
    });
    assert.equal(inOrder.code, 0, inOrder.stdout + inOrder.stderr);
    assert.equal(reversed.code, 0, reversed.stdout + reversed.stderr);
    const auc = (step: typeof inOrder) =>
      JSON.parse(readFileSync(step.outputs['metrics-path'], 'utf8')).metrics.roc_auc;
    assert.ok(
      auc(inOrder) > 0.7 && auc(reversed) < auc(inOrder),
      `the file's order is the input order: ${auc(inOrder)} vs reversed ${auc(reversed)}`,
    );

    const missing = await evaluateStep({
      model,
      data: evalCsv,
      target: 'churned',
      features: `@${join(dir, 'nope.txt')}`,
    });
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /^::error::features: @.*nope\.txt: cannot read .*: there is no such file\./m);
    assert.deepEqual(missing.outputs, {});
  });

  /** A `.github/cairn.yml` in a fresh folder, for the `config` input. */
  function configFile(text: string): string {
    const path = join(tempDir(), 'cairn.yml');
    writeFileSync(path, text);
    return path;
  }

  test('without name:, the only model in the config gives the name and its gate is applied', async () => {
    const config = configFile('models:\n  churn:\n    path: model.onnx\n    gates:\n      default: f1>=0.99\n');
    const step = await evaluateStep({ model, data: evalCsv, target: 'churned', config });
    assert.equal(step.code, 1, 'the configured gate ran and failed the step');
    assert.match(step.stdout, /::error::gate failed for churn: f1>=0\.99/);
    assert.equal(step.outputs.passed, 'false');
    assert.equal(JSON.parse(readFileSync(step.outputs['metrics-path'], 'utf8')).name, 'churn');
  });

  test('without name:, two models and no path match is a warning naming name:, not a silent pass', async () => {
    const config = configFile(
      'models:\n  churn:\n    path: model.onnx\n    gates:\n      default: f1>=0.99\n  upsell:\n    path: upsell.onnx\n',
    );
    const step = await evaluateStep({ model, data: evalCsv, target: 'churned', config });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.match(
      step.stdout,
      /::warning::.*the gate configured for models\.churn was not applied; pass name: churn to apply it, or no-gate: true/,
    );
    assert.equal(step.outputs.passed, '');
  });

  test('no-gate: true evaluates without the configured gate and the job summary says it was turned off', async () => {
    const config = configFile('models:\n  churn:\n    path: model.onnx\n    gates:\n      default: f1>=0.99\n');
    const step = await evaluateStep({
      model,
      data: evalCsv,
      target: 'churned',
      name: 'churn',
      config,
      'no-gate': 'true',
    });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.equal(step.outputs.passed, '');
    assert.deepEqual(JSON.parse(readFileSync(step.outputs['metrics-path'], 'utf8')).gate_disabled, {
      configured: 'f1>=0.99',
    });
    assert.match(step.runner.summary(), /turned off on purpose/);
  });

  test('a name too long for a file name still gives a metrics file (its name cut, with a hash)', async () => {
    const name = `churn-${'n'.repeat(300)}`;
    const step = await evaluateStep({ model, data: evalCsv, target: 'churned', name, gate: 'roc_auc>=0.7' });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    const path = step.outputs['metrics-path'];
    assert.ok(Buffer.byteLength(basename(path)) <= 255, path);
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).name, name);
  });

  /** Messages name the step's inputs (`features:`), never the CLI's flags (assertStepRefusal checks). */
  const badInputs: Array<[string, () => Record<string, string>, RegExp]> = [
    [
      'no model input',
      () => ({ data: evalCsv, target: 'churned' }),
      /input model is required: set `model:` under `with:`/,
    ],
    ['no target input', () => ({ model, data: evalCsv }), /input target is required/],
    [
      'a missing model file',
      () => ({ model: join(tempDir(), 'nope.onnx'), data: evalCsv, target: 'churned' }),
      /model file not found: .*nope\.onnx\. Pass model: the path of an \.onnx file/,
    ],
    [
      'missing target column',
      () => ({ model, data: evalCsv, target: 'cancelled' }),
      /target column "cancelled" is not in .*Pass target: one of them/,
    ],
    [
      'a feature that is no column',
      () => ({ model, data: evalCsv, target: 'churned', features: 'tenure_months,nope' }),
      /features: names "nope", not columns of/,
    ],
    [
      'the wrong number of features',
      () => ({ model, data: evalCsv, target: 'churned', features: 'tenure_months' }),
      /given \(from features:\).*Make features: list the 8 columns/,
    ],
    [
      'a task the model does not fit',
      () => ({ model, data: evalCsv, target: 'churned', task: 'regression' }),
      /task: regression was given; use task: auto/,
    ],
    [
      'ref: baseline without a token',
      () => ({ model, data: evalCsv, target: 'churned', baseline: 'ref:main', token: '' }),
      /baseline: ref:main reads the evaluation record from GitHub/,
    ],
    [
      'ZipMap output',
      () => ({
        model: resolve('test/fixtures/models/binary_zipmap.onnx'),
        data: resolve('test/fixtures/models/binary.csv'),
        target: 'churned',
      }),
      /zipmap=False/,
    ],
    ['unknown metric in the gate', () => ({ model, data: evalCsv, target: 'churned', gate: 'auc>=0.5' }), /auc/],
    [
      'a gate on a metric the task does not compute',
      () => ({ model, data: evalCsv, target: 'churned', gate: 'rmse<=1' }),
      /^::error::the gate \(gate:\) checks rmse, which binary models do not compute; use one of: accuracy/m,
    ],
    [
      'gate: with no-gate: true',
      () => ({ model, data: evalCsv, target: 'churned', gate: 'f1>=0.5', 'no-gate': 'true' }),
      /gate: and no-gate: true contradict/,
    ],
    [
      'a training record that is not there',
      () => ({ model, data: evalCsv, target: 'churned', 'training-record': 'cairn/missing.json' }),
      /^::error::training-record: cairn\/missing\.json does not exist; name the training record that `cairn train` \(default cairn-training\.json\) or the train action \(its output `record-path`\) wrote\.$/m,
    ],
    [
      'bad device',
      () => ({ model, data: evalCsv, target: 'churned', device: 'tpu' }),
      /input device must be one of auto, cpu, cuda/,
    ],
  ];
  for (const [name, inputs, message] of badInputs) {
    test(`bad input fails the step with a clear message and writes nothing: ${name}`, async () => {
      const step = await evaluateStep(inputs());
      assertStepRefusal(step, message, name);
      assert.equal(existsSync(join(step.runner.dir, 'cairn')), false, 'no metrics file');
      assert.deepEqual(step.outputs, {});
    });
  }
});
