/**
 * The retraining flow as .github/workflows/retrain.yml runs it, job after job, against a registry
 * whose `production` model lives in a file:// store (test/support/production-model.ts): the caller's
 * data job pushes the fresh data (a `.dvc` pointer), `cairn pull` brings it into a fresh checkout,
 * `cairn pull --training-data churn#production` the drift reference, `cairn drift`, `cairn train
 * --push` (the model and its record to the store), `cairn evaluate --shard` over 2 shards and `cairn
 * evaluate merge`, `cairn challenge --champion churn#production`, `cairn report`, then
 * actions/propose against a GitHub whose every request is checked against @octokit/openapi. The
 * first run opens the pull request; the second, on fresher data, updates the same one.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { run as runPropose } from '../../actions/propose/run.ts';
import { createOctokit } from '../../core/github/index.ts';
import { FileStore, modelObjectKey, readModelPointer, trainingRecordKey } from '../../core/store/index.ts';
import { fixture } from '../core/evaluate/fixture-paths.ts';
import { inputEnv, runnerFiles, withEnv } from '../support/action-runner.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { fakeGitData } from '../support/fake-git-data.ts';
import { githubApi } from '../support/github-api.ts';
import { productionModel } from '../support/production-model.ts';

const REPO = 'acme/churn';
const DIR = '.cairn/retrain/churn';
/** The features: not `churned`, the label (the workflow's `drift-columns`). */
const FEATURES = 'tenure,monthly_charges,support_calls,contract_months';

/** The production model's training data a while on: three features moved by `shift`. */
function shifted(shift: number): string {
  const [header, ...lines] = readFileSync(fixture('binary.csv'), 'utf8').trimEnd().split('\n');
  const columns = header.split(',');
  const moved = ['tenure', 'monthly_charges', 'support_calls'].map((name) => columns.indexOf(name));
  const rows = lines.map((line) =>
    line
      .split(',')
      .map((cell, i) => (moved.includes(i) ? (Number(cell) + shift).toFixed(6) : cell))
      .join(','),
  );
  return [header, ...rows].join('\n') + '\n';
}

interface Setting {
  store: string;
  remote: string;
  registry: string;
  cache: string;
}

function cliIn(workspace: string, setting: Setting) {
  return async (...args: string[]) => {
    const result = await runCli(args, { cwd: workspace, env: { CAIRN_CACHE_DIR: setting.cache } });
    assert.equal(result.code, 0, `cairn ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** One scheduled run, up to the verdict: what the workflow's jobs leave for actions/propose. */
async function retrain(setting: Setting, shift: number) {
  const workspace = join(tempDir('cairn-retrain-'), 'checkout');
  execFileSync('git', ['clone', '-q', setting.registry, workspace]); // the tags: the registry
  const cli = cliIn(workspace, setting);
  const temp = tempDir('cairn-runner-temp-');
  const { remote } = setting;

  // The caller's data job: the fresh export and the evaluation rows, pushed; their pointers travel on.
  mkdirSync(join(workspace, 'data'));
  writeFileSync(join(workspace, 'data/train.csv'), shifted(shift));
  copyFileSync(fixture('binary.csv'), join(workspace, 'data/eval.csv'));
  await cli('push', 'data/train.csv', 'data/eval.csv', '--remote', remote);
  // Each job's checkout holds the pointers, not the data.
  const checkout = () =>
    ['data/train.csv', 'data/eval.csv'].forEach((file) => rmSync(join(workspace, file), { force: true }));
  checkout();

  // drift: the fresh data, the production model's training data, the comparison.
  await cli('pull', 'data/train.csv.dvc', '--remote', remote);
  await cli('pull', '--training-data', 'churn#production', '--out', join(temp, 'reference'), '--remote', remote);
  const driftPath = join(temp, 'cairn/drift.json');
  await cli(
    ...['drift', '--reference', join(temp, 'reference/data/train.csv'), '--current', 'data/train.csv'],
    ...['--columns', FEATURES, '--out', driftPath],
  );

  // train: the new model (binary.onnx, better than production's), pushed with its record beside it.
  checkout();
  await cli('pull', 'data/train.csv.dvc', '--remote', remote);
  await cli(
    ...['train', '--gpu', 'none', '--telemetry-interval', '0', '--model', 'model.onnx', '--name', 'churn'],
    ...['--data', 'data/train.csv.dvc', '--push', '--remote', remote, '--record', join(temp, 'training.json')],
    ...['--', 'cp', fixture('binary.onnx'), 'model.onnx'],
  );
  const record = readJson(join(temp, 'training.json'));
  const stored = new FileStore(setting.store);
  const key = modelObjectKey('churn', record.model.sha256);
  assert.ok(await stored.head(key), 'the new model is in the store');
  assert.ok(await stored.head(trainingRecordKey(key)), 'its training record beside it');

  // evaluate, 2 shards, each pulling the evaluation data through its pointer; then the merge.
  checkout();
  await cli('pull', 'data/eval.csv.dvc', '--remote', remote);
  for (const shard of [1, 2]) {
    await cli(
      ...['evaluate', '--model', 'model.onnx', '--data', 'data/eval.csv', '--target', 'churned', '--task', 'binary'],
      ...['--name', 'churn', '--shard', `${shard}/2`, '--out', join(temp, `parts/part-${shard}.json`)],
    );
  }
  const metricsPath = join(temp, 'metrics.json');
  await cli(
    ...['evaluate', 'merge', join(temp, 'parts/part-1.json'), join(temp, 'parts/part-2.json')],
    ...['--out', metricsPath, '--name', 'churn', '--training-record', join(temp, 'training.json'), '--no-gate'],
  );

  // challenge: the production model from the registry and the store, against the evaluated bytes.
  mkdirSync(join(workspace, DIR), { recursive: true });
  await cli(
    ...['challenge', '--champion', 'churn#production', '--challenger', 'model.onnx', '--data', 'data/eval.csv'],
    ...['--target', 'churned', '--metric', 'roc_auc', '--bootstrap', '200', '--remote', remote],
    ...['--out', join(workspace, DIR, 'decision.json')],
  );
  await cli('report', '--metrics', metricsPath, '--comment-out', join(workspace, DIR, 'report.md'));
  copyFileSync(join(temp, 'training.json'), join(workspace, DIR, 'training.json'));
  copyFileSync(driftPath, join(workspace, DIR, 'drift.json'));

  const decision = readJson(join(workspace, DIR, 'decision.json'));
  const metrics = readJson(metricsPath);
  assert.equal(metrics.data.rows, 300, 'the shards cover every evaluation row');
  assert.equal(decision.challenger.sha256, record.model.sha256, 'the challenged bytes are the trained ones');
  assert.equal(metrics.model.sha256, record.model.sha256, 'the evaluated bytes are the trained ones');
  return { workspace, drift: readJson(driftPath), decision, record };
}

async function propose(workspace: string) {
  const runner = runnerFiles({ repository: REPO, eventName: 'schedule' });
  const files = [
    'data/train.csv.dvc',
    ...['training.json', 'report.md', 'decision.json', 'drift.json'].map((f) => `${DIR}/${f}`),
  ];
  const restore = withEnv({
    ...runner.env,
    GITHUB_WORKSPACE: workspace,
    ...inputEnv({
      decision: join(workspace, DIR, 'decision.json'),
      model: 'churn',
      files: files.join('\n'),
      report: join(workspace, DIR, 'report.md'),
      drift: join(workspace, DIR, 'drift.json'),
      token: 'ghs_app_token',
    }),
  });
  try {
    await runPropose({
      client: (token, baseUrl) => createOctokit({ auth: token, baseUrl, retries: 0, throttle: false }),
    });
  } finally {
    restore();
  }
  return runner.outputs();
}

/** The registry's git repository (churn v1.0.0 holds `production`) and its file:// store. */
async function registry(): Promise<{ setting: Setting }> {
  const dir = tempDir('cairn-retrain-store-');
  const store = join(dir, 'store');
  const made = await productionModel(new FileStore(store), join(dir, 'made'));
  return { setting: { store, remote: pathToFileURL(store).href, registry: made.repo.dir, cache: join(dir, 'cache') } };
}

describe('the retraining flow: pull, drift, train, sharded evaluation, challenge, propose', () => {
  test('the first scheduled run opens the pull request with the data pointer and the training record, the second updates it', async (t) => {
    const gh = githubApi(t);
    const git = fakeGitData(gh, { repo: REPO, writer: 'cairn-retrain[bot]' });
    const { setting } = await registry();

    const first = await retrain(setting, 1);
    assert.equal(first.drift.dataset.drifted, true, 'the shifted data drifted');
    assert.equal(first.decision.decision, 'promote', JSON.stringify(first.decision));
    assert.deepEqual(first.decision.champion.registry, { name: 'churn', version: 'v1.0.0', stage: 'production' });
    const opened = await propose(first.workspace);
    assert.equal(opened.action, 'opened');
    assert.equal(git.pulls.length, 1);
    const body = git.pulls[0].body;
    assert.match(body, /## Retrained `churn`: promote/);
    assert.match(body, /### Drift: [34] of 4 columns drifted/);
    assert.match(body, /\| monthly_charges \| ks \|/, 'the drifted columns');
    assert.match(body, /\| roc_auc \| 0\.\d+ \|/, "the challenger's report (cairn report)");

    // The branch carries the fresh data's pointer and the record of the model trained on it.
    const branchFiles = () => git.filesAt(git.head('cairn/retrain/churn')!);
    const carried = branchFiles();
    const pointer = readFileSync(join(first.workspace, 'data/train.csv.dvc'), 'utf8');
    assert.equal(carried['data/train.csv.dvc'], pointer);
    const record = JSON.parse(carried[`${DIR}/training.json`]);
    assert.equal(record.model.sha256, first.record.model.sha256);
    assert.deepEqual(record.data, [{ path: 'data/train.csv', md5: first.record.data[0].md5 }]);
    assert.ok(pointer.includes(record.data[0].md5), "the record names the pointer's data version");

    const second = await retrain(setting, 1.5);
    const updated = await propose(second.workspace);
    assert.equal(updated.action, 'updated');
    assert.equal(updated['pull-request-number'], opened['pull-request-number']);
    assert.equal(git.pulls.length, 1);
    assert.notEqual(updated.commit, opened.commit);
    assert.notEqual(git.pulls[0].body, body, "the body is the second run's report");
    assert.equal(
      branchFiles()['data/train.csv.dvc'],
      readFileSync(join(second.workspace, 'data/train.csv.dvc'), 'utf8'),
    );
    assert.notEqual(branchFiles()['data/train.csv.dvc'], pointer, "the second run's data version");
    assert.deepEqual(gh.violations, []);
  });

  test("retrain.on_promote: register tags the next version, and the workflow's push makes it the evaluated bytes in the store", async (t) => {
    const gh = githubApi(t);
    const git = fakeGitData(gh, { repo: REPO, writer: 'cairn-retrain[bot]' });
    const { setting } = await registry();
    for (const tag of ['churn@v1.0.0', 'churn@v1.1.0']) git.tag(tag, git.head('main')!);

    const run = await retrain(setting, 1);
    mkdirSync(join(run.workspace, '.github'), { recursive: true });
    writeFileSync(join(run.workspace, '.github/cairn.yml'), 'retrain:\n  on_promote: register\n');
    const registered = await propose(run.workspace);
    assert.equal(registered.action, 'registered');
    assert.equal(registered.version, 'v1.1.1');
    assert.equal(git.pulls.length, 0);
    assert.deepEqual(gh.violations, []);

    // The workflow's "Store the registered version" step, on the file it trained, evaluated and challenged.
    const cli = cliIn(run.workspace, setting);
    await cli('push', 'model.onnx', '--model', 'churn', '--version', registered.version, '--remote', setting.remote);
    const pointer = await readModelPointer(new FileStore(setting.store), 'churn', registered.version);
    assert.equal(pointer.sha256, run.decision.challenger.sha256);
    // Once it holds the stage, the next run's drift reference is the data it was trained on (its
    // checkout fetches the tag GitHub now holds).
    execFileSync(
      'git',
      ['-c', 'user.name=bot', '-c', 'user.email=bot@example.com', 'tag', '-a', registered.tag, '-m', 'registered'],
      {
        cwd: run.workspace,
      },
    );
    const next = tempDir('cairn-next-reference-');
    await cli('pull', '--training-data', `churn@${registered.version}`, '--out', next, '--remote', setting.remote);
    assert.equal(readFileSync(join(next, 'data/train.csv'), 'utf8'), shifted(1));
  });
});
