import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run as runAction } from '../../actions/propose/run.ts';
import { createOctokit } from '../../core/github/index.ts';
import { inputEnv, runBundledAction, runnerFiles, withEnv, type RunnerFiles } from '../support/action-runner.ts';
import { fakeGitData } from '../support/fake-git-data.ts';
import { startFakeGithub, type FakeGithub } from '../e2e/support/fake-github.ts';
import { githubApi } from '../support/github-api.ts';
import { fakeIssueComments } from '../support/github-fakes.ts';
import { assertInert, assertInertDocument, HOSTILE_LINE } from '../support/inert-markdown.ts';
import { assertStepRefusal } from '../support/refusals.ts';

const REPO = 'acme/churn';
const BOT = 'cairn-retrain[bot]';
const SHA = 'a'.repeat(64);
/** The action's client without the 1 s spacing of writes, which would make each run here take seconds. */
const run = () =>
  runAction({ client: (token, baseUrl) => createOctokit({ auth: token, baseUrl, retries: 0, throttle: false }) });

function decision(overrides: Record<string, unknown> = {}) {
  return {
    schema: 'cairn.challenge/v1',
    metric: 'roc_auc',
    lower_is_better: false,
    task: 'binary',
    data: { path: 'data/eval.csv', sha256: SHA, rows: 600, target: 'churned' },
    champion: { path: 'churn#production', sha256: SHA, value: 0.81 },
    challenger: { path: 'model.onnx', sha256: SHA, value: 0.86 },
    difference: 0.05,
    interval: [0.03, 0.07],
    confidence: 0.95,
    bootstrap: 1000,
    skipped: 0,
    seed: 0,
    min_improvement: 0,
    decision: 'promote',
    ...overrides,
  };
}

/** A workspace after a retraining run: the data pointer, the training record, the report and the decision. */
function workspace(
  runner: RunnerFiles,
  run: { md5: string; value: number; verdict?: 'promote' | 'keep'; config?: string },
) {
  const dir = runner.dir;
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(join(dir, '.cairn'), { recursive: true });
  writeFileSync(join(dir, 'data/train.csv.dvc'), `outs:\n- md5: ${run.md5}\n  path: train.csv\n`);
  writeFileSync(join(dir, '.cairn/churn.training.json'), JSON.stringify({ schema: 'cairn.training/v1', md5: run.md5 }));
  writeFileSync(
    join(dir, '.cairn/churn.report.md'),
    `### churn\n\n| metric | value |\n|---|---|\n| roc_auc | ${run.value} |\n`,
  );
  writeFileSync(
    join(dir, 'decision.json'),
    JSON.stringify(
      decision({
        challenger: { path: 'model.onnx', sha256: SHA, value: run.value },
        decision: run.verdict ?? 'promote',
      }),
    ),
  );
  if (run.config) {
    mkdirSync(join(dir, '.github'), { recursive: true });
    writeFileSync(join(dir, '.github/cairn.yml'), run.config);
  }
  return {
    decision: join(dir, 'decision.json'),
    model: 'churn',
    files: 'data/train.csv.dvc\n.cairn/churn.training.json\n.cairn/churn.report.md',
    report: join(dir, '.cairn/churn.report.md'),
    token: 'ghs_app_token',
  };
}

async function propose(
  retrain: { md5: string; value: number; verdict?: 'promote' | 'keep'; config?: string },
  inputs: Record<string, string> = {},
) {
  const runner = runnerFiles({ repository: REPO, eventName: 'schedule' });
  const restore = withEnv({ ...runner.env, ...inputEnv({ ...workspace(runner, retrain), ...inputs }) });
  try {
    await run();
  } finally {
    restore();
  }
  return runner.outputs();
}

describe('actions/propose: one pull request per model', () => {
  test('opens the pull request, updates it in place, opens a new one after a merge; a keep comments', async (t) => {
    const gh = githubApi(t);
    const git = fakeGitData(gh, { repo: REPO, writer: BOT });
    const comments = fakeIssueComments(gh, REPO, BOT);
    const branch = 'cairn/retrain/churn';

    const first = await propose({ md5: 'aaa111', value: 0.86 });
    assert.equal(first.action, 'opened');
    assert.equal(first.branch, branch);
    assert.equal(git.pulls.length, 1);
    const [pull] = git.pulls;
    assert.deepEqual([pull.head, pull.base, pull.state], [branch, 'main', 'open']);
    assert.equal(first['pull-request-number'], '1');
    assert.equal(first.commit, git.head(branch));
    assert.deepEqual(git.commits.get(git.head(branch)!)!.parents, [git.head('main')], 'starts from main');
    const files = git.filesAt(git.head(branch)!);
    assert.match(files['data/train.csv.dvc'], /md5: aaa111/);
    assert.match(files['.cairn/churn.training.json'], /aaa111/);
    assert.match(files['.cairn/churn.report.md'], /0\.86/);
    assert.match(pull.title, /Retrained churn: roc_auc 0\.81 → 0\.86/);
    assert.match(pull.body, /## Retrained `churn`: promote/);
    assert.match(pull.body, /\| roc_auc \| 0\.86 \|/, 'the report is the body');
    assert.match(pull.body, /\[0\.03, 0\.07\]/);

    // The next scheduled run: the same pull request, a new commit on top of its branch, a new body.
    const firstHead = git.head(branch)!;
    const second = await propose({ md5: 'bbb222', value: 0.88 });
    assert.equal(second.action, 'updated');
    assert.equal(git.pulls.length, 1, 'still one pull request');
    assert.equal(second['pull-request-number'], '1');
    assert.notEqual(git.head(branch), firstHead);
    assert.deepEqual(git.commits.get(git.head(branch)!)!.parents, [firstHead], 'on top of the branch, not over it');
    assert.match(git.filesAt(git.head(branch)!)['data/train.csv.dvc'], /md5: bbb222/);
    assert.match(git.pulls[0].body, /\| roc_auc \| 0\.88 \|/);
    assert.doesNotMatch(git.pulls[0].body, /0\.86 \|/);

    // A keep comments on the open pull request, updated in place next time; nothing is pushed.
    const headBeforeKeep = git.head(branch);
    const keep = await propose({ md5: 'ccc333', value: 0.8, verdict: 'keep' });
    assert.equal(keep.action, 'commented');
    await propose({ md5: 'ddd444', value: 0.79, verdict: 'keep' });
    const onPull = comments.on(1);
    assert.equal(onPull.length, 1, 'one keep comment, updated in place');
    assert.match(onPull[0].body, /kept the champion/);
    assert.match(onPull[0].body, /0\.79/);
    assert.equal(git.head(branch), headBeforeKeep, 'a keep pushes nothing');
    assert.match(git.pulls[0].body, /0\.88/, 'nor changes the pull request');

    // Merged: the next promotion starts the branch afresh from main and opens a new pull request.
    git.merge(1);
    const third = await propose({ md5: 'eee555', value: 0.9 });
    assert.equal(third.action, 'opened');
    assert.equal(git.pulls.length, 2);
    assert.equal(third['pull-request-number'], '2');
    assert.deepEqual(git.commits.get(git.head(branch)!)!.parents, [git.head('main')]);
    assert.deepEqual(gh.violations, []);
  });

  test('closed unmerged: a new pull request; a commit someone pushed to the branch after that is never moved over', async (t) => {
    const gh = githubApi(t);
    const git = fakeGitData(gh, { repo: REPO, writer: BOT });
    await propose({ md5: 'aaa111', value: 0.86 });
    git.close(1);
    assert.equal((await propose({ md5: 'bbb222', value: 0.87 })).action, 'opened');
    git.close(2);
    const theirs = git.push('cairn/retrain/churn', { 'notes.md': 'my experiment' });
    await assert.rejects(propose({ md5: 'ccc333', value: 0.88 }), /will not move it over someone's work/);
    assert.equal(git.head('cairn/retrain/churn'), theirs);
    assert.equal(git.pulls.length, 2);
    assert.deepEqual(gh.violations, []);
  });

  test('a keep with no open pull request changes nothing', async (t) => {
    const gh = githubApi(t);
    fakeGitData(gh, { repo: REPO, writer: BOT });
    const outputs = await propose({ md5: 'aaa111', value: 0.8, verdict: 'keep' });
    assert.equal(outputs.action, 'nothing');
    assert.deepEqual(
      gh.requests.filter((r) => r.method !== 'GET').map((r) => r.route),
      [],
    );
  });

  test('retrain.on_promote: register registers the next version on the commit it pushed, and opens no pull request', async (t) => {
    const gh = githubApi(t);
    const git = fakeGitData(gh, { repo: REPO, writer: BOT });
    git.tag('churn@v1.2.0', git.head('main')!);
    const outputs = await propose({ md5: 'aaa111', value: 0.86, config: 'retrain:\n  on_promote: register\n' });
    assert.equal(outputs.action, 'registered');
    assert.equal(outputs.tag, 'churn@v1.2.1');
    assert.equal(outputs.version, 'v1.2.1');
    assert.equal(git.pulls.length, 0);
    const commit = git.head('cairn/retrain/churn')!;
    assert.equal(outputs.commit, commit);
    const tagged = (name: string) => git.tags.get(git.refs.get(`refs/tags/${name}`) ?? '')?.object;
    assert.equal(tagged('churn@v1.2.1'), commit, 'the annotated tag points at the commit on the branch');
    assert.deepEqual(gh.violations, []);
    // The next promotion moves the branch (its head is a registered version) and registers v1.2.2.
    const next = await propose({ md5: 'bbb222', value: 0.87, config: 'retrain:\n  on_promote: register\n' });
    assert.equal(next.tag, 'churn@v1.2.2');
    const nextCommit = git.head('cairn/retrain/churn')!;
    assert.notEqual(nextCommit, commit);
    assert.equal(next.commit, nextCommit);
    assert.equal(tagged('churn@v1.2.2'), nextCommit, 'the new version is the new commit on the branch');
    assert.equal(tagged('churn@v1.2.1'), commit, 'the earlier version stays where it was');
    assert.match(git.filesAt(nextCommit)['data/train.csv.dvc'], /md5: bbb222/);
    assert.deepEqual(gh.violations, []);
  });

  test('a monorepo model gets its branch as in its tags: cairn/retrain/dir=name', async (t) => {
    const gh = githubApi(t);
    const git = fakeGitData(gh, { repo: REPO, writer: BOT });
    const outputs = await propose({ md5: 'aaa111', value: 0.86 }, { model: 'models/churn:clf' });
    assert.equal(outputs.branch, 'cairn/retrain/models/churn=clf');
    assert.equal(git.pulls[0].head, 'cairn/retrain/models/churn=clf');
    assert.ok(git.head('cairn/retrain/models/churn=clf'), 'the branch exists under that name');
    assert.deepEqual(gh.violations, []);
  });

  test('a pull request someone opened by hand from the branch is never taken over', async (t) => {
    const gh = githubApi(t);
    const git = fakeGitData(gh, { repo: REPO, writer: BOT });
    const comments = fakeIssueComments(gh, REPO, BOT);
    const branch = 'cairn/retrain/churn';
    const theirs = { title: 'My experiment', body: 'Trying a new feature; please do not touch.', user: 'alice' };
    git.openPull(branch, theirs);
    const head = git.head(branch);

    await assert.rejects(
      propose({ md5: 'aaa111', value: 0.86 }),
      /pull request #1 .* from cairn\/retrain\/churn was not opened by Cairn: its body lacks Cairn's marker <!-- cairn:churn:retrain -->: Cairn will not rewrite its title and body or commit onto its branch\. Close it, or move that work to a branch of another name/,
    );
    assert.equal(git.head(branch), head, 'nothing was committed onto their branch');
    assert.deepEqual(
      [git.pulls.length, git.pulls[0].title, git.pulls[0].body],
      [1, theirs.title, theirs.body],
      'their title and body stand',
    );
    const keep = await propose({ md5: 'bbb222', value: 0.8, verdict: 'keep' });
    assert.equal(keep.action, 'nothing', 'a keep does not comment on it either');
    assert.deepEqual(comments.on(1), []);
    assert.deepEqual(
      gh.requests.filter((r) => r.method !== 'GET').map((r) => r.route),
      [],
      'no write of any kind',
    );

    // Once they close it, the next promotion opens Cairn's own pull request as usual.
    git.close(1);
    assert.equal((await propose({ md5: 'ccc333', value: 0.87 })).action, 'opened');
    assert.deepEqual(gh.violations, []);
  });

  test('a file whose name starts with two dots is committed; a report too long for a body is cut, saying so', async (t) => {
    const gh = githubApi(t);
    const git = fakeGitData(gh, { repo: REPO, writer: BOT });
    const runner = runnerFiles({ repository: REPO, eventName: 'schedule' });
    const inputs = workspace(runner, { md5: 'aaa111', value: 0.86 });
    writeFileSync(join(runner.dir, '..notes.md'), 'why this retraining');
    // 8 MiB of report: only what a pull request body holds is read.
    writeFileSync(inputs.report, `### report\n\n${'| x | 1 |\n'.repeat(1024 * 1024)}`);
    const restore = withEnv({ ...runner.env, ...inputEnv({ ...inputs, files: `${inputs.files}\n..notes.md` }) });
    try {
      await run();
    } finally {
      restore();
    }
    assert.equal(git.filesAt(git.head('cairn/retrain/churn')!)['..notes.md'], 'why this retraining');
    const { body } = git.pulls[0];
    assert.ok(body.length <= 65_536, `${body.length} characters`);
    assert.match(body, /the report was cut to fit a pull request/);
    assert.match(body, /- `\.\.notes\.md`/);
    assert.deepEqual(gh.violations, []);
  });

  test('hostile strings in the decision, the drift columns and the report are inert in the pull request', async (t) => {
    const gh = githubApi(t);
    const git = fakeGitData(gh, { repo: REPO, writer: BOT });
    const runner = runnerFiles({ repository: REPO, eventName: 'schedule' });
    const inputs = workspace(runner, { md5: 'aaa111', value: 0.86 });
    writeFileSync(
      inputs.decision,
      JSON.stringify(decision({ metric: HOSTILE_LINE, champion: { path: HOSTILE_LINE, sha256: SHA, value: 0.8 } })),
    );
    const drift = join(runner.dir, 'drift.json');
    writeFileSync(
      drift,
      JSON.stringify({
        schema: 'cairn.drift/v1',
        reference: { path: 'ref.csv', rows: 10 },
        current: { path: 'cur.csv', rows: 10 },
        columns: [{ name: HOSTILE_LINE, kind: 'cat', test: 'chisquare', score: 0.001, threshold: 0.05, drifted: true }],
        skipped: [],
        dataset: { columns: 1, drifted_columns: 1, share: 1, threshold: 0.5, drifted: true },
      }),
    );
    writeFileSync(inputs.report, `### report\n\n${HOSTILE_LINE}\n\n<!-- cairn:churn:retrain -->\n\`<code stays>\`\n`);
    const restore = withEnv({ ...runner.env, ...inputEnv({ ...inputs, drift }) });
    try {
      await run();
    } finally {
      restore();
    }
    const { body, title } = git.pulls[0];
    const [head, report] = body.split('### report');
    assertInert(head, { markers: ['<!-- cairn:churn:retrain -->'] });
    assert.equal(body.split('<!-- cairn:churn:retrain -->').length, 2, 'the report cannot plant our marker');
    assertInertDocument(report);
    assert.doesNotMatch(report, /<img/);
    assert.doesNotMatch(report, /@(team|org)/);
    assert.match(report.replaceAll('\u200B', ''), /`<code stays>`/, 'code spans read as they were');
    assert.ok(![...title].some((ch) => /[\n\r\u202E]/.test(ch) || ch.charCodeAt(0) < 0x20), `title: ${title}`);
    assert.deepEqual(gh.violations, []);
  });
});

describe('actions/propose refuses bad input before any request (dist/propose.js)', () => {
  const BUNDLE = resolve('dist/propose.js');
  // The bundle runs as its own process, as on a runner: nock in this process would not see its
  // requests, so it is pointed at a fake GitHub on loopback that records every request.
  let github: FakeGithub;
  before(async () => {
    github = await startFakeGithub();
    fakeGitData(github.gh, { repo: REPO, writer: BOT });
  });
  after(() => github.close());

  async function step(inputs: Record<string, string>, setup?: (dir: string) => void) {
    const runner = runnerFiles({ repository: REPO, eventName: 'schedule' });
    const defaults = workspace(runner, { md5: 'aaa111', value: 0.86 });
    setup?.(runner.dir);
    const given = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.replace('WORKSPACE', runner.dir)]));
    const env = { ...runner.env, GITHUB_API_URL: github.baseUrl, ...inputEnv({ ...defaults, ...given }) };
    const start = github.gh.requests.length;
    const result = await runBundledAction(BUNDLE, env, { cwd: runner.dir });
    return { runner, result, requests: github.gh.requests.slice(start) };
  }

  test('the bundle does reach the fake GitHub (so the refusals below are measured)', async () => {
    const { runner, result, requests } = await step({ decision: 'WORKSPACE/keep.json' }, (dir) =>
      writeFileSync(join(dir, 'keep.json'), JSON.stringify(decision({ decision: 'keep' }))),
    );
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.equal(runner.outputs().action, 'nothing');
    assert.deepEqual(
      requests.map((r) => r.route),
      ['GET /repos/{owner}/{repo}/pulls'],
    );
    assert.deepEqual(github.gh.violations, []);
  });

  const cases: Array<[string, Record<string, string>, RegExp, ((dir: string) => void)?]> = [
    ['no token', { token: '' }, /input token is required/],
    [
      'not a decision',
      { decision: 'WORKSPACE/data/train.csv.dvc' },
      /is not JSON|is not a cairn\.challenge\/v1 decision/,
    ],
    [
      'another record',
      { decision: 'WORKSPACE/.cairn/churn.training.json' },
      /is not a cairn\.challenge\/v1 decision \(its schema is "cairn\.training\/v1"\)/,
    ],
    ['a model name with a line break', { model: 'churn\n::error::pwned' }, /invalid model name/],
    ['a model name with ..', { model: '../../etc:passwd' }, /invalid model name/],
    ['a model name with a space', { model: 'churn model' }, /invalid model name/],
    ['a file outside the workspace', { files: '../../etc/passwd' }, /input files: .* is not a file in the workspace/],
    [
      'a file that is a symbolic link out of the workspace',
      { files: '.cairn/record.json' },
      /input files: \.cairn\/record\.json is a symbolic link/,
      (dir) => symlinkSync('/etc/hostname', join(dir, '.cairn/record.json')),
    ],
    [
      'a file under a folder that is a symbolic link',
      { files: 'linked/hostname' },
      /input files: linked\/hostname is reached through a symbolic link to a folder/,
      (dir) => symlinkSync('/etc', join(dir, 'linked')),
    ],
    [
      'a drift file over the cap for records',
      { drift: 'WORKSPACE/drift.json' },
      /input drift: .*drift\.json is 17 MiB, over the 16 MiB a Cairn record can be/,
      (dir) => writeFileSync(join(dir, 'drift.json'), Buffer.alloc(17 * 1024 * 1024, 0x20)),
    ],
  ];
  for (const [label, inputs, message, setup] of cases) {
    test(label, async () => {
      const { result, requests } = await step(inputs, setup);
      assertStepRefusal(result, message, label);
      assert.deepEqual(requests, [], 'nothing was asked of GitHub');
    });
  }
});
