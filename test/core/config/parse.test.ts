import { describe, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { findGate, findModelConfig, onPromote, parseRepoConfig, trustedApps } from '../../../core/config/index.ts';
import { readRepoConfig } from '../../../core/config/read.ts';
import { UserError } from '../../../core/errors.ts';

const SOURCE = '.github/cairn.yml';

const FULL = `
models:
  churn:
    path: models/churn.onnx
    task: binary
    type: gradient boosting
    description: Predicts which customers cancel within 90 days.
    store: s3://ml-artifacts/churn
    labels: [stays, churns]
    card:
      intended_use: Prioritise retention calls.
      limitations: Trained on EU customers only.
    gates:
      default: f1>=0.75, roc_auc>=baseline-0.01
      production: >
        roc_auc >= baseline,
        log_loss <= baseline * 1.05
  team/fraud:
    path: fraud/model.onnx
stages:
  staging:
  production:
    promote: maintain
    environment: production
    workflow: .github/workflows/deploy-prod.yml
deploy:
  workflow: deploy.yml
comment:
  charts: false
`;

/** The UserError message parseRepoConfig throws for `text`. */
function configError(text: string): string {
  try {
    parseRepoConfig(text, SOURCE);
  } catch (error) {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the config to be rejected');
}

describe('parseRepoConfig: valid files', () => {
  test('reads every section and fills the defaults', () => {
    const config = parseRepoConfig(FULL, SOURCE);
    const churn = config.models.churn;
    assert.equal(churn.path, 'models/churn.onnx');
    assert.equal(churn.task, 'binary');
    assert.deepEqual(churn.labels, ['stays', 'churns']);
    assert.equal(churn.card?.intended_use, 'Prioritise retention calls.');
    assert.equal(churn.gates?.production, 'roc_auc >= baseline, log_loss <= baseline * 1.05\n');
    assert.deepEqual(config.models['team/fraud'], { path: 'fraud/model.onnx' });
    assert.deepEqual(config.stages.staging, { promote: 'write' }, 'an empty stage gets the default permission');
    assert.deepEqual(config.stages.production, {
      promote: 'maintain',
      environment: 'production',
      workflow: 'deploy-prod.yml',
    });
    assert.deepEqual(config.deploy, { workflow: 'deploy.yml' });
    assert.deepEqual(config.comment, { charts: false, card: true, confusion_matrix: true, max_classes: 20 });
  });

  test('an empty file is an empty config', () => {
    for (const text of ['', '# nothing yet\n']) {
      assert.deepEqual(parseRepoConfig(text, SOURCE), {
        models: {},
        stages: {},
        comment: { charts: true, card: true, confusion_matrix: true, max_classes: 20 },
        registry: { trusted_bots: [] },
      });
    }
  });
});

describe('parseRepoConfig: errors name the file, the key path and the line', () => {
  test('a wrong task lists the allowed values', () => {
    const message = configError('models:\n  churn:\n    path: m.onnx\n    task: binery\n');
    assert.equal(
      message,
      `${SOURCE}: models.churn.task: expected one of binary|multiclass|regression, got "binery" (line 4)`,
    );
  });

  test('a misspelt key is named with the valid keys', () => {
    const message = configError('models:\n  churn:\n    path: m.onnx\n    card:\n      intented_use: x\n');
    assert.match(
      message,
      /^\.github\/cairn\.yml: models\.churn\.card\.intented_use: unknown key; valid keys here: .*intended_use.* \(line 5\)$/,
    );
  });

  test('a missing required key points at its parent', () => {
    assert.equal(
      configError('models:\n  churn:\n    task: binary\n'),
      `${SOURCE}: models.churn.path: missing; expected text (line 2)`,
    );
  });

  test('a bad gate is checked by the gate parser', () => {
    const message = configError('models:\n  churn:\n    path: m.onnx\n    gates:\n      default: f11>=0.8\n');
    assert.match(
      message,
      /^\.github\/cairn\.yml: models\.churn\.gates\.default: Invalid gate "f11>=0\.8" at column 1: unknown metric "f11" \(did you mean "f1"\?\).* \(line 5\)\n {2}f11>=0\.8\n {2}\^/,
    );
  });

  test("a gate metric the model's task does not compute is an error", () => {
    const message = configError(
      'models:\n  species:\n    path: m.onnx\n    task: multiclass\n    gates:\n      default: f1>=0.8\n',
    );
    assert.equal(
      message,
      `${SOURCE}: models.species.gates.default: "f1" is not computed for multiclass models; use one of: accuracy, f1_macro, f1_weighted, precision_macro, recall_macro, log_loss, roc_auc_ovr (line 6)`,
    );
  });

  test('models.<m>.threshold is a probability strictly between 0 and 1, for binary models', () => {
    assert.equal(
      parseRepoConfig('models:\n  churn:\n    path: m.onnx\n    task: binary\n    threshold: 0.3\n', SOURCE).models
        .churn.threshold,
      0.3,
    );
    assert.match(
      configError('models:\n  churn:\n    path: m.onnx\n    threshold: 1.5\n'),
      /models\.churn\.threshold: expected a number between 0 and 1 \(line 4\)$/,
    );
    assert.match(
      configError('models:\n  churn:\n    path: m.onnx\n    threshold: high\n'),
      /models\.churn\.threshold: expected a number between 0 and 1/,
    );
    assert.match(
      configError('models:\n  tiers:\n    path: m.onnx\n    task: multiclass\n    threshold: 0.3\n'),
      /models\.tiers\.threshold: a decision threshold applies to binary models; this one is multiclass/,
    );
  });

  test('a gate for a stage that is not defined is reported as a likely typo', () => {
    const message = configError(
      'models:\n  churn:\n    path: m.onnx\n    gates:\n      prod: f1>=0.8\nstages:\n  production: {}\n',
    );
    assert.equal(
      message,
      `${SOURCE}: models.churn.gates.prod: no stage "prod" in stages; add stages.prod or use one of: default, production (line 5)`,
    );
  });

  test('a promote level must be a GitHub permission', () => {
    const message = configError('stages:\n  production:\n    promote: owner\n');
    assert.equal(
      message,
      `${SOURCE}: stages.production.promote: expected one of read|triage|write|maintain|admin, got "owner" (line 3)`,
    );
  });

  test('evidence.trusted_apps is a list of GitHub App ids; absent, only GitHub Actions is trusted', () => {
    assert.deepEqual(trustedApps(parseRepoConfig('evidence:\n  trusted_apps: [4242, 15368]\n', SOURCE)), [4242, 15368]);
    assert.deepEqual(trustedApps(parseRepoConfig('models: {}\n', SOURCE)), []);
    assert.match(
      configError('evidence:\n  trusted_apps: [buildkite]\n'),
      /evidence\.trusted_apps\[0\]: expected a GitHub App id \(a whole number\), got "buildkite" \(line 2\)/,
    );
    assert.match(configError('evidence:\n  trusted_app: [1]\n'), /unknown key; valid keys here: trusted_apps/);
  });

  test('wrong types, bad names and bad workflow files are all listed, one per line', () => {
    const message = configError(
      'models:\n  "bad name!":\n    path: x\ndeploy:\n  workflow: deploy.json\ncomment:\n  charts: yes please\n  max_classes: 2.5\n',
    );
    assert.deepEqual(message.split('\n'), [
      `${SOURCE}: models["bad name!"]: invalid name: model names use letters, digits, "-", "_" and "/", starting and ending with a letter or digit (line 2)`,
      `${SOURCE}: deploy.workflow: expected a workflow file name such as deploy.yml (in .github/workflows/) (line 5)`,
      `${SOURCE}: comment.charts: expected true or false, got "yes please" (line 7)`,
      `${SOURCE}: comment.max_classes: expected a whole number, got 2.5 (line 8)`,
    ]);
  });

  test('models.<m>.features is a list of column names in input order: a string, an empty list or a repeated name is an error', () => {
    const features = (list: string) => `models:\n  wide:\n    path: m.onnx\n    features: ${list}\n`;
    assert.deepEqual(parseRepoConfig(features('[tenure, charges, calls]'), SOURCE).models.wide.features, [
      'tenure',
      'charges',
      'calls',
    ]);
    assert.equal(
      configError(features('tenure, charges')),
      `${SOURCE}: models.wide.features: expected a list of column names, got "tenure, charges" (line 4)`,
    );
    assert.match(
      configError(features('[]')),
      /^\.github\/cairn\.yml: models\.wide\.features: expected at least one column name; leave features out to use every column but the target \(line 4\)$/,
    );
    assert.match(
      configError(features('[tenure, calls, tenure]')),
      /^\.github\/cairn\.yml: models\.wide\.features: lists "tenure" more than once \(line 4\)$/,
    );
    assert.match(configError(features('[tenure, " "]')), /models\.wide\.features\[1\]: expected a column name/);
  });

  test('a list where a map belongs', () => {
    assert.equal(
      configError('models: [churn]\n'),
      `${SOURCE}: models: expected a map of model name -> model settings, got a list (line 1)`,
    );
  });

  test('invalid YAML names the file and the position', () => {
    const message = configError('models:\n  churn: {path: a\n');
    assert.match(message, /^\.github\/cairn\.yml: invalid YAML: .*line 3, column 1/);
  });

  test('duplicate keys are invalid YAML', () => {
    assert.match(configError('models:\n  a: {path: x}\n  a: {path: y}\n'), /invalid YAML: Map keys must be unique/);
  });

  test('a config over 256 KiB is refused before parsing, naming the limit; one at the limit is parsed', () => {
    const padded = (bytes: number) => `${FULL}${'#'.repeat(bytes - Buffer.byteLength(FULL) - 1)}\n`;
    assert.match(
      configError(padded(256 * 1024 + 1)),
      /^\.github\/cairn\.yml is 262145 bytes; a Cairn config may be at most 262144 bytes \(256 KiB\), so it was not read/,
    );
    // Counted in UTF-8 bytes: 100,000 three-byte characters are 300,000 bytes.
    assert.match(configError(`# ${'€'.repeat(100_000)}\n${FULL}`), /is 300\d{3} bytes/);
    assert.equal(parseRepoConfig(padded(256 * 1024), SOURCE).models.churn.path, 'models/churn.onnx');
  });

  test('readRepoConfig refuses a file over 256 KiB by its size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-config-'));
    const path = join(dir, 'cairn.yml');
    writeFileSync(path, `${FULL}${'#'.repeat(1 << 20)}\n`);
    await assert.rejects(
      readRepoConfig(path, false),
      (error: Error) =>
        error instanceof UserError &&
        /cairn\.yml is 1049\d{3} bytes; a Cairn config may be at most 262144 bytes/.test(error.message),
    );
    rmSync(dir, { recursive: true });
  });

  test('the source given is the name used', () => {
    assert.match(configError('models: 3'), /^\.github\/cairn\.yml: models:/);
    assert.throws(() => parseRepoConfig('models: 3', 'other/cairn.yml'), /^UserError: other\/cairn\.yml: models: /);
  });
});

describe('findModelConfig and findGate', () => {
  const config = parseRepoConfig(FULL, SOURCE);

  test('finds a configured model and nothing else', () => {
    assert.equal(findModelConfig(config, 'churn')?.path, 'models/churn.onnx');
    assert.equal(findModelConfig(config, 'team/fraud')?.path, 'fraud/model.onnx');
    assert.equal(findModelConfig(config, 'missing'), undefined);
    assert.equal(findModelConfig(config, 'constructor'), undefined, 'object prototype keys are not models');
  });

  test("a stage's own gate wins, otherwise default", () => {
    const churn = findModelConfig(config, 'churn');
    assert.equal(findGate(churn, 'production'), 'roc_auc >= baseline, log_loss <= baseline * 1.05\n');
    assert.equal(findGate(churn, 'staging'), 'f1>=0.75, roc_auc>=baseline-0.01');
    assert.equal(findGate(churn), 'f1>=0.75, roc_auc>=baseline-0.01');
    assert.equal(findGate(findModelConfig(config, 'team/fraud')), undefined);
    assert.equal(findGate(undefined, 'production'), undefined);
  });
});

describe('parseRepoConfig: retrain', () => {
  test('on_promote is pr unless the config says register; anything else is refused with the choices', () => {
    assert.equal(onPromote(parseRepoConfig('models: {}\n', SOURCE)), 'pr');
    assert.equal(onPromote(parseRepoConfig('retrain: {}\n', SOURCE)), 'pr');
    assert.equal(onPromote(parseRepoConfig('retrain:\n  on_promote: register\n', SOURCE)), 'register');
    assert.equal(onPromote(undefined), 'pr');
    assert.equal(
      configError('retrain:\n  on_promote: merge\n'),
      `${SOURCE}: retrain.on_promote: expected one of pr|register, got "merge" (line 2)`,
    );
  });
});
