import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { actionErrors, actionFiles, docWorkflows, read, workflowErrors, workflowFiles } from './workflow-files.ts';

describe('the validator itself', () => {
  // Without these, a validator that reports nothing would make every test below pass.
  test('reports an unknown key, a broken expression, a missing job and bad YAML', async () => {
    const job = (body: string) => `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n${body}`;
    assert.deepEqual(await workflowErrors('ok.yml', job('    steps:\n      - run: echo hi\n')), []);
    assert.match(
      (await workflowErrors('typo.yml', job('    stepz:\n      - run: echo hi\n'))).join('\n'),
      /Unexpected value 'stepz'/,
    );
    assert.notDeepEqual(
      await workflowErrors('expr.yml', job('    steps:\n      - if: ${{ github.event_name == }}\n        run: x\n')),
      [],
    );
    const needs = `${job('    steps:\n      - run: x\n')}  test:\n    needs: lint\n    runs-on: ubuntu-latest\n    steps:\n      - run: x\n`;
    assert.match((await workflowErrors('needs.yml', needs)).join('\n'), /Job 'test' depends on unknown job 'lint'/);
    assert.match(
      (
        await workflowErrors('perm.yml', `permissions:\n  pull-request: write\n${job('    steps:\n      - run: x\n')}`)
      ).join('\n'),
      /pull-request/,
    );
    assert.notDeepEqual(await workflowErrors('yaml.yml', 'on: push\njobs: [\n'), []);
  });

  test('reports an action.yml whose description is not valid YAML', () => {
    const good = 'name: x\ndescription: Evaluate a model.\nruns:\n  using: node24\n  main: dist/x.js\n';
    assert.deepEqual(actionErrors('action.yml', good), []);
    assert.notDeepEqual(
      actionErrors('action.yml', good.replace('Evaluate a model.', 'Writes the `cairn: <model>` check run.')),
      [],
    );
    assert.notDeepEqual(actionErrors('action.yml', good.replace('node24', 'node99')), []);
  });
});

describe('workflow files', () => {
  const files = workflowFiles();

  test('are all found: the repository CI, the release, and the churn example', () => {
    for (const expected of [
      '.github/workflows/ci.yml',
      '.github/workflows/release.yml',
      'examples/churn/.github/workflows/pr.yml',
      'examples/churn/.github/workflows/pr-report-from-fork.yml',
      'examples/churn/.github/workflows/record-main.yml',
      'examples/churn/.github/workflows/registry.yml',
      'examples/churn/.github/workflows/deploy.yml',
      'examples/churn/.github/workflows/release-model.yml',
    ]) {
      assert.ok(files.includes(expected), `${expected} not found in ${files.join(', ')}`);
    }
  });

  for (const file of files) {
    test(`${file} parses and validates with no errors`, async () => {
      assert.deepEqual(await workflowErrors(file, read(file)), []);
    });

    test(`${file} sets least-privilege permissions at the top`, () => {
      const workflow = parseYaml(read(file)) as { permissions?: unknown };
      // Top level: read-only or nothing; write scopes are granted per job, where they are needed.
      const top = workflow.permissions;
      assert.ok(top !== undefined, 'no top-level permissions: the token would get the repository default');
      if (typeof top === 'object' && top !== null) {
        for (const [scope, level] of Object.entries(top)) {
          assert.notEqual(level, 'write', `top-level ${scope}: write; grant it on the job that needs it`);
        }
      } else {
        assert.equal(top, 'read-all', 'top-level permissions');
      }
    });
  }
});

describe('workflows shown in README.md and app/README.md', () => {
  const blocks = docWorkflows();

  test("are found: the quickstart, the training, the registry action's and the app's deploy workflow", () => {
    assert.deepEqual(
      blocks.map((block) => block.where.split(':')[0]),
      ['README.md', 'README.md', 'README.md', 'app/README.md'],
    );
  });

  for (const { where, content } of blocks) {
    test(`${where} parses and validates with no errors`, async () => {
      assert.deepEqual(await workflowErrors(where, content), []);
    });
  }
});

describe('action metadata files', () => {
  const files = actionFiles();

  test('include the setup action at the repository root', () => {
    assert.equal(files[0], 'action.yml');
    assert.ok(files.length >= 1);
  });

  for (const file of files) {
    test(`${file} parses and validates with no errors`, () => {
      assert.deepEqual(actionErrors(file, read(file)), []);
    });
  }
});

describe('the release workflow', () => {
  interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
  }
  interface Job {
    permissions?: Record<string, string>;
    needs?: string | string[];
    steps: Step[];
  }
  const jobs = (parseYaml(read('.github/workflows/release.yml')) as { jobs: Record<string, Job> }).jobs;
  const writes = (job: Job) => Object.values(job.permissions ?? {}).includes('write');
  const runsNpm = (job: Job) =>
    job.steps.some((step) => /\bnpm\b|\bnpx\b/.test(step.run ?? '') || /setup-node/.test(step.uses ?? ''));

  test('builds and tests in a job that holds no write credentials', () => {
    const builders = Object.entries(jobs).filter(([, job]) => runsNpm(job));
    assert.ok(builders.length > 0, 'no job runs npm');
    for (const [name, job] of builders) {
      assert.ok(job.permissions, `${name}: no job-level permissions`);
      assert.equal(writes(job), false, `${name} runs npm with a write scope: ${JSON.stringify(job.permissions)}`);
      const checkout = job.steps.find((step) => step.uses?.startsWith('actions/checkout@'));
      assert.equal(checkout?.with?.['persist-credentials'], false, `${name}: checkout leaves the token in .git/config`);
    }
  });

  test("publishes from a job that runs no npm and ships the build job's dist/", () => {
    const publishers = Object.entries(jobs).filter(([, job]) => writes(job));
    assert.deepEqual(
      publishers.map(([name]) => name),
      ['publish'],
    );
    const [, publish] = publishers[0];
    assert.equal(runsNpm(publish), false, 'the job with contents: write runs npm');
    assert.deepEqual(publish.permissions, { contents: 'write' });
    assert.ok([publish.needs].flat().includes('build'));
    assert.ok(
      publish.steps.some((step) => step.uses?.startsWith('actions/download-artifact@') && step.with?.name === 'dist'),
    );
    assert.ok(
      jobs.build.steps.some((step) => step.uses?.startsWith('actions/upload-artifact@') && step.with?.name === 'dist'),
    );
  });
});
