import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { generateSections, updateReadme } from '../../scripts/action-docs.ts';
import { inputEnv, runBundledAction, runnerFiles } from '../support/action-runner.ts';
import { GitRepo } from '../core/registry/git-repo.ts';
import { assertStepRefusal } from '../support/refusals.ts';

const BUNDLE = resolve('dist/registry.js');
const OUTPUT_NAMES = ['event', 'name', 'version', 'stage', 'sha', 'path', 'type', 'description'];

const CONFIG = `models:
  churn:
    path: models/churn.onnx
    type: gradient boosting
    description: Predicts which customers leave next month.
  models/churn:clf:
    path: models/churn/clf.onnx
stages:
  staging:
  production:
`;

/** Runs dist/registry.js as the runner does for a tag push: GITHUB_REF, INPUT_*, a checkout in GITHUB_WORKSPACE. */
async function registryStep(repo: GitRepo, ref: string, inputs: Record<string, string> = {}) {
  const runner = runnerFiles({ repository: 'acme/churn', eventName: 'push' });
  const env = {
    ...runner.env,
    HOME: repo.dir,
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_REF: ref,
    ...inputEnv({ ref, config: '.github/cairn.yml', ...inputs }),
  };
  const result = await runBundledAction(BUNDLE, env);
  return { ...result, runner, outputs: runner.outputs() };
}

describe('actions/registry (dist/registry.js, run as the runner runs it)', () => {
  let repo: GitRepo;
  let c1: string, c2: string, c3: string;
  before(() => {
    repo = GitRepo.create();
    mkdirSync(join(repo.dir, '.github'));
    writeFileSync(join(repo.dir, '.github', 'cairn.yml'), CONFIG);
    repo.git(['add', '.']);
    c1 = repo.commit('config and first model');
    c2 = repo.commit('retrained');
    c3 = repo.commit('unregistered');
    repo.tag('churn@v1.0.0', c1, 1);
    repo.tag('churn@v1.1.0', c2, 2);
    repo.tag('churn#production#1', c2, 3);
    repo.tag('models/churn=clf@v0.1.0', c1, 4);
    repo.tag('churn#staging#2', c3, 5);
    repo.tag('churn@v2.0.0', c3, 6, { lightweight: true });
    repo.tag('churn@2.0', c3, 7);
    repo.tag('v1.0.0', c1, 8);
  });

  test('an assignment: the event, the version registered at the tagged commit, and the model from .github/cairn.yml', async () => {
    const step = await registryStep(repo, 'refs/tags/churn#production#1');
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.deepEqual(step.outputs, {
      event: 'assignment',
      name: 'churn',
      version: 'v1.1.0',
      stage: 'production',
      sha: c2,
      path: 'models/churn.onnx',
      type: 'gradient boosting',
      description: 'Predicts which customers leave next month.',
    });
    assert.match(step.runner.summary(), /### Registry tag `churn#production#1`/);
    assert.match(step.runner.summary(), /\| version \| `v1\.1\.0` \|/);
  });

  test('a registration of a monorepo model (dir=name in the tag, dir:name in the config)', async () => {
    const step = await registryStep(repo, 'refs/tags/models/churn=clf@v0.1.0');
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.deepEqual(
      [
        step.outputs.event,
        step.outputs.name,
        step.outputs.version,
        step.outputs.stage,
        step.outputs.path,
        step.outputs.type,
      ],
      ['registration', 'models/churn:clf', 'v0.1.0', '', 'models/churn/clf.onnx', ''],
    );
  });

  test('the ref defaults to GITHUB_REF when the input is empty', async () => {
    const step = await registryStep(repo, 'refs/tags/churn@v1.0.0', { ref: '' });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.equal(step.outputs.event, 'registration');
  });

  test('a stage on a commit never registered: the version is the commit sha (as GTO reports it), with a warning', async () => {
    const step = await registryStep(repo, 'refs/tags/churn#staging#2');
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.equal(step.outputs.version, c3);
    assert.match(step.stdout, /::warning::commit [0-9a-f]{7} has no registered version of churn/);
  });

  for (const ref of ['refs/heads/main', 'refs/tags/v1.0.0']) {
    test(`not a registry tag (${ref}): a notice, every output empty, the step passes`, async () => {
      const step = await registryStep(repo, ref);
      assert.equal(step.code, 0, step.stdout + step.stderr);
      assert.match(step.stdout, /::notice::.* is not a registry tag/);
      assert.deepEqual(step.outputs, Object.fromEntries(OUTPUT_NAMES.map((name) => [name, ''])));
    });
  }

  const failures: Array<[string, RegExp, Record<string, string>?]> = [
    ['refs/tags/churn@2.0', /::error::invalid registry tag "churn@2\.0": "2\.0" is not a version/],
    ['refs/tags/churn@v2.0.0', /::error::churn@v2\.0\.0 is a lightweight tag, which the registry \(like GTO\) ignores/],
    ['refs/tags/churn@v3.0.0', /::error::tag churn@v3\.0\.0 is not in the checkout/],
    ['refs/tags/churn@v1.0.0', /::error::.*nope\.yml/, { config: 'nope.yml' }],
  ];
  for (const [ref, message, inputs] of failures) {
    test(`fails the step with the reason: ${ref}${inputs ? ` with ${JSON.stringify(inputs)}` : ''}`, async () => {
      const step = await registryStep(repo, ref, inputs);
      assertStepRefusal(step, message, ref);
      assert.deepEqual(step.outputs, {});
    });
  }

  test('a model the config does not list: empty path, type and description, and a notice', async () => {
    const other = GitRepo.create();
    const sha = other.commit('first');
    other.tag('segment@v0.0.1', sha, 1);
    const step = await registryStep(other, 'refs/tags/segment@v0.0.1');
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.deepEqual(
      [step.outputs.event, step.outputs.name, step.outputs.path, step.outputs.type],
      ['registration', 'segment', '', ''],
    );
    assert.match(step.stdout, /::notice::segment is not listed under models:/);
  });

  test("README documents the action's inputs and outputs, fresh from action.yml (npm run docs)", async () => {
    const root = resolve('.');
    const sections = await generateSections(root);
    assert.ok(sections.has('registry'));
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const onlyRegistry = new Map([['registry', sections.get('registry')!]]);
    assert.deepEqual(updateReadme(readme, onlyRegistry).stale, []);
  });
});
