import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../core/logger.ts';
import { FileStore, pushModelArtifact, stagePointerKey } from '../../core/store/index.ts';
import { inputEnv, runBundledAction, runnerFiles } from '../support/action-runner.ts';
import { tempDir } from '../support/cli.ts';
import { assertStepRefusal } from '../support/refusals.ts';
import { githubError } from '../support/github-api.ts';
import { fakeApp, fakeCheckRuns } from '../support/github-fakes.ts';
import { startFakeGithub, type FakeGithub } from '../e2e/support/fake-github.ts';
import { checkRunBody } from '../../core/github/check-run.ts';
import { sampleReport } from '../core/github/sample-report.ts';

const BUNDLE = resolve('dist/deploy.js');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const commitOf = (version: string) => createHash('sha1').update(version).digest('hex');

let github: FakeGithub;
let checks: ReturnType<typeof fakeCheckRuns>;

/** The `cairn: churn` record on the commit of `churn@<version>`, saying which model bytes were evaluated. */
function addRecord(version: string, evaluatedBytes: string, app = fakeApp()) {
  const report = sampleReport({ name: 'churn', model: { ...sampleReport().model!, sha256: sha256(evaluatedBytes) } });
  const { name, conclusion, output } = checkRunBody({
    owner: 'acme',
    repo: 'churn',
    headSha: commitOf(version),
    report,
    summary: 's',
  });
  return checks.add({
    name,
    head_sha: commitOf(version),
    conclusion,
    app,
    output: { ...output, annotations_count: 0, annotations_url: '' },
  });
}

/**
 * Runs dist/deploy.js as the runner does in a dispatched workflow: the dispatch inputs in the event,
 * INPUT_*, GITHUB_REF and GITHUB_SHA. The run's commit is by default the deployed version's own, as
 * on its tag (or on a branch whose head it is).
 */
async function deployStep(
  inputs: Record<string, string>,
  dispatch: Record<string, string> = {},
  ref = 'refs/heads/main',
  sha = commitOf(inputs.version ?? dispatch.version ?? ''),
) {
  const event = { inputs: dispatch, repository: { full_name: 'acme/churn', default_branch: 'main' } };
  const runner = runnerFiles({ repository: 'acme/churn', eventName: 'workflow_dispatch', event, sha });
  const env = {
    ...runner.env,
    GITHUB_API_URL: github.baseUrl,
    GITHUB_REF: ref,
    ...inputEnv({ token: 'ghs_test', ...inputs }),
  };
  const result = await runBundledAction(BUNDLE, env, { cwd: runner.dir });
  return { ...result, outputs: runner.outputs(), summary: runner.summary() };
}

describe('actions/deploy (dist/deploy.js, run as the runner runs it)', () => {
  before(async () => {
    github = await startFakeGithub();
    const tags = Object.fromEntries(
      ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0', 'v9.0.0'].map((v) => [`tags/churn@${v}`, commitOf(v)]),
    );
    checks = fakeCheckRuns(github.gh, tags, 'acme/churn');
    github.gh.on('GET /repos/{owner}/{repo}/contents/{path}', () => githubError(404, 'Not Found')); // no config: only GitHub Actions is trusted
  });
  after(async () => {
    await github.close();
    assert.deepEqual(github.gh.violations, []);
  });
  const dir = tempDir('cairn-deploy-action-');
  const remote = join(dir, 'remote');
  const serving = join(dir, 'serving');
  const store = new FileStore(remote);
  const pointerPath = join(remote, ...stagePointerKey('churn', 'production').split('/'));
  const pointer = () => JSON.parse(readFileSync(pointerPath, 'utf8')) as Record<string, unknown>;
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    for (const [version, bytes] of [
      ['v1.0.0', 'first model'],
      ['v1.1.0', 'second model'],
      ['v1.2.0', 'third model, retrained after its evaluation'],
      ['v1.3.0', 'fourth model'],
    ]) {
      mkdirSync(join(dir, version));
      const file = join(dir, version, 'model.onnx');
      writeFileSync(file, bytes);
      await pushModelArtifact(store, { name: 'churn', version, file, logger: silentLogger });
    }
  });

  before(() => {
    addRecord('v1.0.0', 'first model');
    addRecord('v1.1.0', 'second model');
    addRecord('v1.2.0', 'third model'); // the evaluated file, not the one pushed
    addRecord('v1.3.0', 'fourth model, better', fakeApp('shady-ci', 777)); // only an untrusted record
    addRecord('v9.0.0', 'registered and evaluated, never pushed');
  });

  test('first and second deploy: the model is copied to the target, outputs and summary name it, the pointer records the previous version', async () => {
    // Model and stage from the assignment tag the app dispatched on, the version from the dispatch inputs.
    const first = await deployStep(
      { remote: pathToFileURL(remote).href, target: serving },
      { version: 'v1.0.0' },
      'refs/tags/churn#production#1',
    );
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const served = join(serving, 'churn', 'production', 'model.onnx');
    assert.equal(first.outputs.uri, pathToFileURL(served).href);
    assert.equal(first.outputs['previous-version'], '');
    assert.equal(readFileSync(served, 'utf8'), 'first model');
    assert.match(first.summary, /### Deployed churn v1\.0\.0 to production/);
    assert.match(first.summary, /\| previous version \| none \(first deploy\) \|/);
    assert.equal(pointer().version, 'v1.0.0');
    assert.equal(pointer().run_url, 'https://github.com/acme/churn/actions/runs/4242');

    const second = await deployStep({
      remote,
      target: serving,
      model: 'churn',
      version: 'v1.1.0',
      stage: 'production',
    });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.equal(second.outputs['previous-version'], 'v1.0.0');
    assert.equal(readFileSync(served, 'utf8'), 'second model');
    assert.deepEqual([pointer().version, pointer().previous], ['v1.1.0', 'v1.0.0']);
  });

  test('a failing command restores the previous pointer and fails the step saying so', async () => {
    const before = readFileSync(pointerPath, 'utf8');
    const seen = join(dir, 'seen.txt');
    // The command sees the verified model and the deploy's names, then fails.
    const command = `printf '%s %s %s ' "$CAIRN_MODEL" "$CAIRN_VERSION" "$CAIRN_STAGE" > '${seen}' && cat "$CAIRN_MODEL_PATH" >> '${seen}' && exit 3`;
    const step = await deployStep({ remote, command }, { model: 'churn', version: 'v1.0.0', stage: 'production' });
    assert.equal(step.code, 1);
    assert.equal(readFileSync(seen, 'utf8'), 'churn v1.0.0 production first model');
    assert.match(
      step.stdout,
      /::error::publishing churn v1\.0\.0 to production failed: the deploy command exited with code 3/,
    );
    assert.match(step.stdout, /The stage pointer was restored to v1\.1\.0/);
    assert.equal(readFileSync(pointerPath, 'utf8'), before);
    assert.match(step.summary, /### Deploy of churn v1\.0\.0 to production failed/);
    assert.equal(step.outputs.uri, undefined);
  });

  test('an unknown version fails with the reason and moves nothing', async () => {
    const before = readFileSync(pointerPath, 'utf8');
    const step = await deployStep(
      { remote, target: serving, command: 'exit 0' },
      { model: 'churn', version: 'v9.0.0', stage: 'production' },
    );
    assert.equal(step.code, 1);
    assert.match(step.stdout, /::error::model churn has no version v9\.0\.0 in file:\/\//);
    assert.equal(readFileSync(pointerPath, 'utf8'), before);
    assert.equal(readFileSync(join(serving, 'churn', 'production', 'model.onnx'), 'utf8'), 'second model');
  });

  test('bytes that differ from the evaluation record fail the step, and nothing moves', async () => {
    const before = readFileSync(pointerPath, 'utf8');
    const step = await deployStep({ remote, target: serving, model: 'churn', version: 'v1.2.0', stage: 'production' });
    assert.equal(step.code, 1);
    assert.match(
      step.stdout,
      new RegExp(
        `::error::refusing to deploy churn v1\\.2\\.0: the model in file://\\S+ has sha256 ${sha256('third model, retrained after its evaluation')}, but the evaluated model had ${sha256('third model')}`,
      ),
    );
    assert.match(step.stdout, /cairn push --model/);
    assert.equal(readFileSync(pointerPath, 'utf8'), before);
    assert.equal(readFileSync(join(serving, 'churn', 'production', 'model.onnx'), 'utf8'), 'second model');
  });

  test('a version whose only record comes from an untrusted app is not deployed', async () => {
    const step = await deployStep({ remote, target: serving, model: 'churn', version: 'v1.3.0', stage: 'production' });
    assert.equal(step.code, 1);
    assert.match(
      step.stdout,
      /::error::churn v1\.3\.0 \(commit [0-9a-f]{7}\) has no "cairn: churn" evaluation record from a trusted source \(ignored a "cairn: churn" check run from app shady-ci \(id 777\): not a trusted source\)/,
    );
  });

  describe('bad input fails the step before the stage pointer moves, naming the input', () => {
    const aFile = join(dir, 'a-file');
    const cases: Array<[string, () => Record<string, string>, RegExp]> = [
      [
        'no stage anywhere',
        () => ({ remote, model: 'churn', version: 'v1.0.0' }),
        /no stage to deploy: set the stage input/,
      ],
      [
        'no remote',
        () => ({ remote: '', model: 'churn', version: 'v1.1.0', stage: 'production' }),
        /input remote is empty/,
      ],
      [
        'no token',
        () => ({ remote, token: '', model: 'churn', version: 'v1.1.0', stage: 'production' }),
        /input token is empty/,
      ],
      [
        'target: is a file',
        () => (
          writeFileSync(aFile, 'mine'),
          { remote, target: aFile, model: 'churn', version: 'v1.1.0', stage: 'production' }
        ),
        /target: .*a-file is a file, not a folder/,
      ],
      [
        'target: under a file',
        () => (
          writeFileSync(aFile, 'mine'),
          { remote, target: join(aFile, 'serving'), model: 'churn', version: 'v1.1.0', stage: 'production' }
        ),
        /target: .* cannot be written: .*a-file is a file, not a folder/,
      ],
    ];
    for (const [name, inputs, message] of cases) {
      test(name, async () => {
        const before = existsSync(pointerPath) ? readFileSync(pointerPath, 'utf8') : undefined;
        const step = await deployStep(inputs());
        assertStepRefusal(step, message, name);
        assert.equal(
          existsSync(pointerPath) ? readFileSync(pointerPath, 'utf8') : undefined,
          before,
          'the stage pointer did not move',
        );
        assert.equal(step.outputs.uri, undefined);
      });
    }
  });

  // The deployment GitHub makes for the run is of GITHUB_REF and GITHUB_SHA, and that is what the
  // app's protection rule judges (app/protection-rule.ts): the action ships nothing else.
  describe("the version shipped is the one the protection rule judged: the run's ref and commit", () => {
    /** What the example deploy.yml does: the dispatch inputs, passed on as the action's inputs too. */
    const dispatched = (version: string, ref: string, sha: string, stage = 'production') => {
      const inputs = { model: 'churn', version, stage };
      return deployStep({ remote, target: serving, ...inputs }, { ...inputs, sha: commitOf(version) }, ref, sha);
    };
    const served = () => readFileSync(join(serving, 'churn', 'production', 'model.onnx'), 'utf8');

    test('a hand-run on a branch whose head is one version, with another version as input, fails naming both commits; nothing moves', async () => {
      const before = readFileSync(pointerPath, 'utf8');
      // main's head is v1.1.0's commit (the rule approves it); the input asks for v1.0.0.
      const step = await deployStep(
        { remote, target: serving, model: 'churn', version: 'v1.0.0', stage: 'production' },
        {},
        'refs/heads/main',
        commitOf('v1.1.0'),
      );
      assert.equal(step.code, 1);
      assert.match(
        step.stdout,
        new RegExp(
          `::error::refusing to deploy churn v1\\.0\\.0: it is registered at commit ${commitOf('v1.0.0').slice(0, 7)} \\(tag churn@v1\\.0\\.0\\), but this run is on main \\(commit ${commitOf('v1.1.0').slice(0, 7)}\\)`,
        ),
      );
      assert.match(step.stdout, /Run the deploy workflow on churn@v1\.0\.0 or on an assignment tag of it/);
      assert.equal(readFileSync(pointerPath, 'utf8'), before);
      assert.equal(served(), 'second model');
    });

    test('on an assignment tag, a version registered at another commit fails the same way', async () => {
      const before = readFileSync(pointerPath, 'utf8');
      const step = await dispatched('v1.0.0', 'refs/tags/churn#production#5', commitOf('v1.1.0'));
      assert.equal(step.code, 1);
      assert.match(
        step.stdout,
        /::error::refusing to deploy churn v1\.0\.0: it is registered at commit \w{7} \(tag churn@v1\.0\.0\), but this run is on churn#production#5 \(commit \w{7}\)/,
      );
      assert.equal(readFileSync(pointerPath, 'utf8'), before);
    });

    test('inputs that contradict the registry tag the run is on fail before anything is read or moved', async () => {
      const before = readFileSync(pointerPath, 'utf8');
      const requests = github.gh.requests.length;
      const cases: Array<[Record<string, string>, string, RegExp]> = [
        [
          { version: 'v1.0.0', stage: 'production' },
          'refs/tags/churn@v1.1.0',
          /inputs ask for version v1\.0\.0 \(the tag says v1\.1\.0\)/,
        ],
        [
          { version: 'v1.1.0', stage: 'staging' },
          'refs/tags/churn#production#5',
          /inputs ask for stage staging \(the tag says production\)/,
        ],
        [
          { model: 'fraud', version: 'v1.1.0', stage: 'production' },
          'refs/tags/churn#production#5',
          /inputs ask for model fraud \(the tag says churn\)/,
        ],
      ];
      for (const [inputs, ref, reason] of cases) {
        const step = await deployStep({ remote, target: serving, ...inputs }, {}, ref, commitOf('v1.1.0'));
        assert.equal(step.code, 1, ref);
        assert.match(
          step.stdout,
          new RegExp(
            `::error::refusing to deploy: this run is on tag ${ref.slice('refs/tags/'.length)}, and the deployment the stage's protection rule checked is what that tag names`,
          ),
        );
        assert.match(step.stdout, reason);
      }
      const deregistration = await deployStep(
        { remote, model: 'churn', version: 'v1.1.0', stage: 'production' },
        {},
        'refs/tags/churn@v1.1.0!#6',
        commitOf('v1.1.0'),
      );
      assert.equal(deregistration.code, 1);
      assert.match(
        deregistration.stdout,
        /::error::this run is on churn@v1\.1\.0!#6, a deregistration tag, which deploys nothing/,
      );
      assert.equal(github.gh.requests.length, requests, 'no request was made');
      assert.equal(readFileSync(pointerPath, 'utf8'), before);
    });

    test("Cairn's dispatch passes: from the assignment tag, and with deploy.ref: main when main's head is the version", async () => {
      const fromTag = await dispatched('v1.1.0', 'refs/tags/churn#production#5', commitOf('v1.1.0'));
      assert.equal(fromTag.code, 0, fromTag.stdout + fromTag.stderr);
      assert.equal(pointer().version, 'v1.1.0');

      const fromBranch = await dispatched('v1.0.0', 'refs/heads/main', commitOf('v1.0.0'));
      assert.equal(fromBranch.code, 0, fromBranch.stdout + fromBranch.stderr);
      assert.equal(pointer().version, 'v1.0.0');
      assert.equal(served(), 'first model');

      // With deploy.ref: main, a version that is not main's head is refused, as the protection rule rejects it.
      const older = await dispatched('v1.1.0', 'refs/heads/main', commitOf('v1.0.0'));
      assert.equal(older.code, 1);
      assert.match(
        older.stdout,
        /With deploy\.ref set to a branch in \.github\/cairn\.yml, only the version registered at that branch's head can deploy/,
      );
      assert.equal(pointer().version, 'v1.0.0');
    });
  });
});
