/**
 * What a caller of .github/workflows/retrain.yml relies on beyond its syntax: every job that touches
 * the store can assume the caller's AWS role, every job evaluates the same data, re-running all jobs
 * does not trip over its own artifacts, the app's token asks for no more than the pull request
 * needs, and a bad `shards` or model name stops the run before anything is spent. The Plan step's
 * script runs here in bash as the runner would run it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { tempDir } from '../support/cli.ts';
import { repoRoot } from './workflow-files.ts';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
}

const workflow = parseYaml(readFileSync(join(repoRoot, '.github/workflows/retrain.yml'), 'utf8')) as {
  jobs: Record<string, Job>;
};
const jobs = Object.entries(workflow.jobs);

const touchesStore = (step: Step) =>
  /actions\/(data-pull|train)@/.test(step.uses ?? '') || /\bcairn (pull|push|challenge)\b/.test(step.run ?? '');

/** Runs the drift job's Plan step with these inputs; returns its exit code, outputs and log. */
function plan(env: Record<string, string>, files: string[] = []) {
  const script = workflow.jobs.drift.steps.find((step) => step.id === 'plan')!.run!;
  const dir = tempDir('cairn-plan-');
  for (const file of files) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    writeFileSync(join(dir, file), 'outs: []\n');
  }
  const output = join(dir, 'output');
  writeFileSync(output, '');
  const run = spawnSync('bash', ['-e', '-c', script], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      GITHUB_OUTPUT: output,
      HAS_TOKEN: 'true',
      DATA: 'data/train.csv.dvc',
      EVAL: 'data/eval.csv',
      ...env,
    },
    encoding: 'utf8',
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
  return { code: run.status, outputs, log: run.stdout + run.stderr };
}

describe('the reusable retraining workflow', () => {
  test('every job that reads or writes the store gets OIDC and assumes the AWS role first, when one is given', () => {
    const storeJobs = jobs.filter(([, job]) => job.steps.some(touchesStore)).map(([name]) => name);
    assert.deepEqual(storeJobs.sort(), ['challenge', 'drift', 'evaluate', 'train']);
    for (const name of storeJobs) {
      const { permissions, steps } = workflow.jobs[name];
      assert.equal(permissions?.['id-token'], 'write', name);
      assert.deepEqual(Object.keys(permissions ?? {}).sort(), ['contents', 'id-token'], `${name}: nothing more`);
      const aws = steps.findIndex((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      assert.ok(aws >= 0 && aws < steps.findIndex(touchesStore), `${name}: credentials before the store`);
      assert.equal(steps[aws].if, "inputs.aws-role-arn != ''");
      assert.equal(steps[aws].with?.['role-to-assume'], '${{ inputs.aws-role-arn }}');
    }
  });

  test('the training job pushes the model and its record; a registered version gets its pointer from the evaluated file', () => {
    const train = workflow.jobs.train.steps.find((step) => step.uses?.includes('actions/train@'))!;
    assert.equal(train.with?.push, 'true');
    assert.equal(train.with?.remote, '${{ inputs.remote }}');
    const store = workflow.jobs.challenge.steps.find((step) => step.name === 'Store the registered version')!;
    assert.equal(store.if, "steps.propose.outputs.action == 'registered'");
    assert.match(store.run!, /cairn push "\$MODEL_PATH" --model "\$MODEL" --version "\$VERSION"/);
  });

  test("evaluate and challenge unpack the caller's pointers and pull the evaluation data, not the training data", () => {
    for (const name of ['evaluate', 'challenge']) {
      const { steps } = workflow.jobs[name];
      assert.ok(
        steps.some((step) => step.with?.name === '${{ inputs.data-artifact }}'),
        `${name} unpacks`,
      );
      const pulls = steps.filter((step) => step.uses?.includes('actions/data-pull@'));
      assert.deepEqual(
        pulls.map((step) => step.with?.targets),
        ['${{ needs.drift.outputs.eval-pointer }}'],
        name,
      );
    }
  });

  test('every artifact may be uploaded again by a re-run; the app token asks for contents and pull requests only', () => {
    const uploads = jobs.flatMap(([, job]) =>
      job.steps.filter((step) => step.uses?.startsWith('actions/upload-artifact@')),
    );
    assert.equal(uploads.length, 3); // drift, model, parts
    for (const upload of uploads) assert.equal(upload.with?.overwrite, true, String(upload.with?.name));
    const app = workflow.jobs.challenge.steps.find((step) =>
      step.uses?.startsWith('actions/create-github-app-token@'),
    )!;
    assert.equal(app.with?.['permission-contents'], 'write');
    assert.equal(app.with?.['permission-pull-requests'], 'write');
  });

  test('shards from 1 to 256 become the matrix; anything else stops the run and says what to give', () => {
    assert.equal(plan({ SHARDS: '1', MODEL: 'churn' }).outputs.shards, '[1]');
    assert.equal(plan({ SHARDS: '3', MODEL: 'churn' }).outputs.shards, '[1,2,3]');
    assert.equal(JSON.parse(plan({ SHARDS: '256', MODEL: 'churn' }).outputs.shards).length, 256);
    for (const shards of ['0', '257', '2.5', '-1', '', '02', 'four']) {
      const result = plan({ SHARDS: shards, MODEL: 'churn' });
      assert.notEqual(result.code, 0, shards);
      assert.match(result.log, /give a whole number of runners from 1 to 256/, shards);
    }
  });

  test("model names keep apart in artifact names and the concurrency group: 'a:b' and 'a/b' differ", () => {
    const slug = (model: string) => plan({ SHARDS: '1', MODEL: model }).outputs.slug;
    assert.equal(slug('models/churn:clf'), 'models+churn=clf');
    assert.notEqual(slug('a:b'), slug('a/b'));
    assert.notEqual(plan({ SHARDS: '1', MODEL: 'churn v2' }).code, 0);
    assert.notEqual(plan({ SHARDS: '1', MODEL: 'churn\nshards=[1]' }).code, 0);
  });

  test("a monorepo model is spelled dir:name, as the registry names it; the tags' dir=name is refused", () => {
    const result = plan({ SHARDS: '1', MODEL: 'models=churn' });
    assert.notEqual(result.code, 0);
    assert.match(result.log, /write a monorepo model dir:name/);
    assert.equal(result.outputs.slug, undefined);
  });

  test('without an app and its key or a token, the run stops at the plan, before anything trains', () => {
    const step = workflow.jobs.drift.steps.find((s) => s.id === 'plan')! as Step & { env: Record<string, string> };
    assert.equal(
      step.env.HAS_TOKEN,
      "${{ (inputs.app-id != '' && secrets.app-private-key != '') || secrets.token != '' }}",
    );
    const result = plan({ SHARDS: '1', MODEL: 'churn', HAS_TOKEN: 'false' });
    assert.notEqual(result.code, 0);
    assert.match(
      result.log,
      /no token for the pull request: give `app-id` and the `app-private-key` secret, or the `token` secret/,
    );
    assert.deepEqual(result.outputs, {});
  });

  test('a data or eval-data path holding a newline cannot write outputs of its own', () => {
    const inputs: Record<string, string>[] = [
      { DATA: 'data/train.csv\nslug=x' },
      { EVAL: 'data/eval.csv\neval-pointer=x' },
    ];
    for (const env of inputs) {
      const result = plan({ SHARDS: '1', MODEL: 'churn', ...env });
      assert.notEqual(result.code, 0);
      assert.match(result.log, /data and eval-data are paths: one line each/);
      assert.deepEqual(result.outputs, {});
    }
  });

  test("the workflow's own folder is not hidden, so its uploads carry it, and a repository path of that name stops the run", () => {
    const uploads = jobs.flatMap(([, job]) =>
      job.steps.filter((step) => step.uses?.startsWith('actions/upload-artifact@')),
    );
    for (const upload of uploads) {
      const paths = String(upload.with?.path).split('\n').filter(Boolean);
      const hidden = paths.filter((path) => path.split('/').some((part) => /^\.[^./]/.test(part)));
      if (hidden.length)
        assert.equal(upload.with?.['include-hidden-files'], true, `${String(upload.with?.name)}: ${hidden}`);
    }
    const model = uploads.find((upload) => String(upload.with?.name).endsWith('-model'))!;
    const merge = workflow.jobs.challenge.steps.find((step) => step.id === 'merged')!;
    assert.ok(String(model.with?.path).split('\n').includes(String(merge.with?.['training-record'])));
    const result = plan({ SHARDS: '1', MODEL: 'churn' }, ['cairn-retrain/notes.txt']);
    assert.notEqual(result.code, 0);
    assert.match(result.log, /the repository has a cairn-retrain path/);
  });

  test('champion vs challenger is measured for the task the evaluation used', () => {
    const evaluate = workflow.jobs.evaluate.steps.find((step) => step.id === 'evaluate')!;
    assert.equal(evaluate.with?.task, '${{ inputs.task }}');
    const challenge = workflow.jobs.challenge.steps.find((step) => step.id === 'challenge')! as Step & {
      env: Record<string, string>;
    };
    assert.equal(challenge.env.TASK, '${{ inputs.task }}');
    const command = challenge.run!.slice(
      challenge.run!.indexOf('cairn challenge'),
      challenge.run!.indexOf('cairn report'),
    );
    assert.ok(command.includes('${TASK:+--task "$TASK"}'), command);
  });

  test('evaluation data: a .dvc pointer, or a path pulled through the pointer beside it when there is one', () => {
    const pointer = plan({ SHARDS: '1', MODEL: 'churn', EVAL: 'data/eval.csv.dvc' }).outputs;
    assert.deepEqual([pointer.eval, pointer['eval-pointer']], ['data/eval.csv', 'data/eval.csv.dvc']);
    assert.equal(plan({ SHARDS: '1', MODEL: 'churn' }).outputs['eval-pointer'], undefined, 'a file in git');
    const beside = plan({ SHARDS: '1', MODEL: 'churn' }, ['data/eval.csv.dvc']).outputs;
    assert.deepEqual([beside.eval, beside['eval-pointer']], ['data/eval.csv', 'data/eval.csv.dvc']);
  });
});
