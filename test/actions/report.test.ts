import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import examples from '@octokit/webhooks-examples';
import { run } from '../../actions/report/run.ts';
import type { ArtifactStore } from '../../actions/report/handoff.ts';
import { githubApi, githubError } from '../support/github-api.ts';
import { fakeCheckRuns, fakeIssueComments, fakeUser } from '../support/github-fakes.ts';
import { inputEnv, runBundledAction, runnerFiles, withEnv, type RunnerFiles } from '../support/action-runner.ts';
import { assertStepRefusal, listTree } from '../support/refusals.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { createOctokit } from '../../core/github/octokit.ts';
import { readRecordOnCommit } from '../../core/github/commit-record.ts';
import { RECORD_MARKER } from '../../core/github/eval-record.ts';
import { tempDir } from '../support/cli.ts';

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- webhook example payloads are untyped JSON
const payload = (event: string, action: string): Payload =>
  structuredClone(
    (examples as unknown as Array<{ name: string; examples: Payload[] }>)
      .find((e) => e.name === event)!
      .examples.find((e) => e.action === action)!,
  );

const REPO = 'Codertocat/Hello-World';
const COMMENTS = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';

/** The runner's artifact service, as a folder: what the fork's run uploads, the trusted run downloads. */
function folderArtifacts(): ArtifactStore & { uploaded: string[] } {
  const root = tempDir('cairn-artifacts-');
  const uploaded: string[] = [];
  return {
    uploaded,
    async upload(name, files) {
      mkdirSync(join(root, name), { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(root, name, file), text);
      uploaded.push(name);
    },
    async download(name) {
      return join(root, name);
    },
  };
}

async function runReport(
  runner: RunnerFiles,
  inputs: Record<string, string>,
  artifacts: ArtifactStore = folderArtifacts(),
) {
  const restore = withEnv({
    ...runner.env,
    ...inputEnv({ token: 'ghs_test', comment: 'true', check: 'true', config: join(runner.dir, 'none.yml'), ...inputs }),
  });
  try {
    await run({ artifacts });
  } finally {
    restore();
  }
}

function metricsFile(dir: string, overrides: Parameters<typeof sampleReport>[0] = {}): string {
  const path = join(dir, `metrics-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(sampleReport({ name: 'churn', ...overrides })));
  return path;
}

describe('actions/report', () => {
  test('first run creates the comment and check run; the second updates the same comment, found on page 2', async (t) => {
    const gh = githubApi(t);
    const comments = fakeIssueComments(gh, REPO);
    const checks = fakeCheckRuns(gh, {}, REPO);
    const event = payload('pull_request', 'opened');
    for (let i = 0; i < 150; i++) comments.add({ issueNumber: event.number, body: `review note ${i}` });
    const runner = runnerFiles({ repository: REPO, eventName: 'pull_request', event, sha: 'merge-commit-sha' });

    await runReport(runner, { metrics: metricsFile(runner.dir) });
    const first = runner.outputs();
    const ours = comments.on(event.number).filter((c) => c.body.includes('<!-- cairn:churn:metrics -->'));
    assert.equal(ours.length, 1);
    assert.equal(first['comment-url'], ours[0].html_url);
    assert.equal(checks.runs.length, 1);
    assert.equal(checks.runs[0].name, 'cairn: churn');
    assert.equal(
      checks.runs[0].head_sha,
      event.pull_request.head.sha,
      'check goes on the PR head, not the merge commit',
    );
    assert.equal(first['check-run-id'], String(checks.runs[0].id));
    assert.match(runner.summary(), /churn/);

    const second = runnerFiles({ repository: REPO, eventName: 'pull_request', event, sha: 'merge-commit-sha' });
    await runReport(second, { metrics: metricsFile(second.dir, { rows: 777 }) });
    const after = comments.on(event.number).filter((c) => c.body.includes('<!-- cairn:churn:metrics -->'));
    assert.equal(after.length, 1, 'still one comment');
    assert.equal(after[0].id, ours[0].id, 'updated in place');
    assert.match(after[0].body, /777/);
    assert.ok(
      gh.calls(COMMENTS).some((r) => r.query.page === '2'),
      'searched past page 1',
    );
    assert.deepEqual(gh.violations, []);
  });

  test("a marker planted in another user's comment is ignored: the report is a new comment, updated in place next time", async (t) => {
    const gh = githubApi(t);
    const comments = fakeIssueComments(gh, REPO);
    fakeCheckRuns(gh, {}, REPO);
    const event = payload('pull_request', 'opened');
    const planted = comments.add({
      issueNumber: event.number,
      body: '<!-- cairn:churn:metrics -->\nf1 0.99: approve me',
      user: fakeUser('mallory', 'User'),
    });
    for (const rows of [100, 200]) {
      const runner = runnerFiles({ repository: REPO, eventName: 'pull_request', event });
      await runReport(runner, { metrics: metricsFile(runner.dir, { rows }) });
    }
    const ours = comments.on(event.number).filter((c) => c.user.login === 'github-actions[bot]');
    assert.equal(ours.length, 1);
    assert.match(ours[0].body, /200/);
    assert.equal(
      comments.on(event.number).find((c) => c.id === planted.id)?.body,
      '<!-- cairn:churn:metrics -->\nf1 0.99: approve me',
    );
  });

  test('with a personal access token the author is GET /user, asked once; with app-slug it is <slug>[bot]', async (t) => {
    const gh = githubApi(t);
    const comments = fakeIssueComments(gh, REPO);
    fakeCheckRuns(gh, {}, REPO);
    gh.on('GET /user', {
      data: {
        ...fakeUser('octocat', 'User'),
        name: null,
        company: null,
        blog: null,
        location: null,
        email: null,
        hireable: null,
        bio: null,
        public_repos: 1,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: '2020-01-01T00:00:00Z',
        updated_at: '2020-01-01T00:00:00Z',
      },
    });
    const event = payload('pull_request', 'opened');
    // octocat's own earlier report is theirs to update; the app's bot comment is not.
    const mine = comments.add({
      issueNumber: event.number,
      body: '<!-- cairn:churn:metrics -->\nold',
      user: fakeUser('octocat', 'User'),
    });
    for (let i = 0; i < 2; i++) {
      const runner = runnerFiles({ repository: REPO, eventName: 'pull_request', event });
      await runReport(runner, { metrics: metricsFile(runner.dir, { rows: 300 + i }), token: 'ghp_personal' });
    }
    assert.equal(gh.calls('GET /user').length, 1, 'asked once per process');
    assert.equal(comments.on(event.number).length, 1);
    assert.match(comments.on(event.number)[0].body, /301/);
    assert.equal(comments.on(event.number)[0].id, mine.id);

    const runner = runnerFiles({ repository: REPO, eventName: 'pull_request', event });
    await runReport(runner, {
      metrics: metricsFile(runner.dir),
      token: 'ghs_app_installation',
      'app-slug': 'my-ml-bot',
    });
    assert.equal(comments.on(event.number).length, 2, 'my-ml-bot[bot] has no comment yet: a new one');
  });

  test('a fork pull request writes the summary and an artifact, calls no API, and does not fail', async (t) => {
    const gh = githubApi(t);
    const event = payload('pull_request', 'opened');
    event.pull_request.head.repo.full_name = 'forker/Hello-World';
    const runner = runnerFiles({ repository: REPO, eventName: 'pull_request', event });
    const artifacts = folderArtifacts();
    await runReport(runner, { metrics: metricsFile(runner.dir) }, artifacts);
    assert.equal(gh.requests.length, 0);
    assert.match(runner.summary(), /churn/);
    assert.deepEqual(artifacts.uploaded, ['cairn-report-churn']);
    assert.equal(runner.outputs()['comment-url'], undefined);
  });

  test('a fork pull request does not fail even when the artifact upload does: the report is in the summary', async (t) => {
    const gh = githubApi(t);
    const event = payload('pull_request', 'opened');
    event.pull_request.head.repo.full_name = 'forker/Hello-World';
    const runner = runnerFiles({ repository: REPO, eventName: 'pull_request', event });
    const broken: ArtifactStore = {
      upload: async () => {
        throw new Error('Conflict: an artifact with this name already exists on the workflow run');
      },
      download: async () => {
        throw new Error('not used on the fork side');
      },
    };
    await runReport(runner, { metrics: metricsFile(runner.dir) }, broken);
    assert.equal(gh.requests.length, 0);
    assert.match(runner.summary(), /churn/);
  });

  test('a 403 from a read-only token hands off instead of failing the job', async (t) => {
    const gh = githubApi(t);
    const event = payload('pull_request', 'opened');
    gh.on(COMMENTS, githubError(403, 'Resource not accessible by integration'));
    const runner = runnerFiles({ repository: REPO, eventName: 'pull_request', event });
    const artifacts = folderArtifacts();
    await runReport(runner, { metrics: metricsFile(runner.dir) }, artifacts);
    assert.deepEqual(artifacts.uploaded, ['cairn-report-churn']);
  });

  describe('from-artifact, in the trusted workflow_run workflow', () => {
    async function forkRun(artifacts: ArtifactStore, overrides: Parameters<typeof sampleReport>[0] = {}) {
      const gh = githubApi();
      const event = payload('pull_request', 'opened');
      event.pull_request.head.repo.full_name = 'forker/Hello-World';
      const runner = runnerFiles({ repository: REPO, eventName: 'pull_request', event });
      await runReport(runner, { metrics: metricsFile(runner.dir, overrides) }, artifacts);
      gh.close();
      return event;
    }

    /** The trusted side: the workflow_run job posts what the fork's run of `pr` handed off. */
    async function postHandoff(t: { after(fn: () => void): void }, artifacts: ArtifactStore, pr: Payload) {
      const gh = githubApi(t);
      const comments = fakeIssueComments(gh, REPO);
      const checks = fakeCheckRuns(gh, {}, REPO);
      gh.on('GET /repos/{owner}/{repo}/pulls/{pull_number}', { data: pr.pull_request });
      const event = payload('workflow_run', 'completed');
      event.workflow_run.head_sha = pr.pull_request.head.sha;
      const runner = runnerFiles({ repository: REPO, eventName: 'workflow_run', event });
      await runReport(runner, { 'from-artifact': 'cairn-report-churn' }, artifacts);
      return { gh, comments, checks };
    }

    test("posts the fork's report after checking the PR head is the commit the run built", async (t) => {
      const artifacts = folderArtifacts();
      const pr = await forkRun(artifacts);
      const { comments, checks } = await postHandoff(t, artifacts, pr);
      assert.equal(comments.on(pr.number).length, 1);
      assert.equal(checks.runs[0].head_sha, pr.pull_request.head.sha);
    });

    test("the fork's report is published as `cairn (fork): <model>`, labelled, without a record: the record reader never takes it, even with a marker planted", async (t) => {
      const artifacts = folderArtifacts();
      // The fork's code wrote every byte of the artifact: here it plants a record of better numbers.
      const planted = JSON.stringify(sampleReport({ name: 'churn', metrics: { ...sampleReport().metrics, f1: 0.99 } }));
      const pr = await forkRun(artifacts, {
        metrics: { ...sampleReport().metrics, f1: 0.99 },
        data: { path: `data.csv\n${RECORD_MARKER}\n\`\`\`json\n${planted}\n\`\`\``, sha256: 'a'.repeat(64), rows: 10 },
      });
      const { gh, comments, checks } = await postHandoff(t, artifacts, pr);

      const [run] = checks.runs;
      assert.equal(run.name, 'cairn (fork): churn');
      assert.equal(run.conclusion, 'neutral');
      assert.match(String(run.output.title), /^fork: /);
      assert.doesNotMatch(String(run.output.text), /cairn:record/);
      assert.match(String(run.output.summary), /Computed by the fork's code/);
      assert.match(comments.on(pr.number)[0].body, /Computed by the fork's code/);
      // Made by GitHub Actions (a workflow_run job's token), so only its name and its missing record keep it out.
      const [owner, repo] = REPO.split('/');
      const octokit = createOctokit({ auth: 'test-token', retries: 0, throttle: false });
      const lookup = await readRecordOnCommit(octokit, { owner, repo, sha: pr.pull_request.head.sha, model: 'churn' });
      assert.equal(lookup.record, undefined);
      // Even a check run named like a record, carrying the fork's text, is not a record.
      checks.add({
        name: 'cairn: churn',
        head_sha: pr.pull_request.head.sha,
        conclusion: 'success',
        output: { ...run.output },
      });
      assert.equal(
        (await readRecordOnCommit(octokit, { owner, repo, sha: pr.pull_request.head.sha, model: 'churn' })).record,
        undefined,
      );
      assert.deepEqual(gh.violations, []);
    });

    test('refuses an artifact whose PR head is not the commit the run built', async (t) => {
      const artifacts = folderArtifacts();
      const pr = await forkRun(artifacts);
      const gh = githubApi(t);
      const comments = fakeIssueComments(gh, REPO);
      gh.on('GET /repos/{owner}/{repo}/pulls/{pull_number}', { data: pr.pull_request });
      const event = payload('workflow_run', 'completed'); // its head_sha is another commit
      const runner = runnerFiles({ repository: REPO, eventName: 'workflow_run', event });
      await assert.rejects(
        runReport(runner, { 'from-artifact': 'cairn-report-churn' }, artifacts),
        /not the commit the run built/,
      );
      assert.equal(comments.on(pr.number).length, 0);
    });
  });
});

describe('actions/report: bad input fails the step before anything is read, posted or written (dist/report.js)', () => {
  /** `dir` holds a good metrics.json and a file `a-file`; the step runs with no GitHub to reach. */
  const cases: Array<[string, (dir: string) => Record<string, string>, RegExp]> = [
    ['no metrics input', () => ({}), /input metrics is required/],
    ['a metrics file that is not there', (dir) => ({ metrics: join(dir, 'nope.json') }), /cannot read .*nope\.json/],
    ['a file that is not a metrics.json', (dir) => ({ metrics: join(dir, 'a-file') }), /a-file/],
    [
      'card-path: is a folder',
      (dir) => ({ metrics: join(dir, 'metrics.json'), 'card-path': dir }),
      /card-path: .* is a folder; name a file/,
    ],
    [
      'card-path: names a file over 255 bytes',
      (dir) => ({ metrics: join(dir, 'metrics.json'), 'card-path': join(dir, `${'c'.repeat(260)}.md`) }),
      /card-path: .*: the file name is longer than 255 bytes/,
    ],
    [
      'card-path: under a file',
      (dir) => ({ metrics: join(dir, 'metrics.json'), 'card-path': join(dir, 'a-file', 'MODEL_CARD.md') }),
      /card-path: .* cannot be written: .*a-file is a file, not a folder/,
    ],
    [
      'from-artifact: outside a workflow_run',
      () => ({ 'from-artifact': 'cairn-report-churn' }),
      /from-artifact works only in a workflow triggered by workflow_run/,
    ],
  ];
  for (const [name, inputs, message] of cases) {
    test(name, async () => {
      const dir = tempDir('cairn-report-refused-');
      writeFileSync(join(dir, 'metrics.json'), JSON.stringify(sampleReport({ name: 'churn' })));
      writeFileSync(join(dir, 'a-file'), 'mine');
      const runner = runnerFiles({
        repository: REPO,
        eventName: 'pull_request',
        event: payload('pull_request', 'opened'),
        sha: 'merge-commit-sha',
      });
      const env = {
        ...runner.env,
        GITHUB_API_URL: 'http://127.0.0.1:9',
        ...inputEnv({
          token: 'ghs_test',
          comment: 'true',
          check: 'true',
          config: join(runner.dir, 'none.yml'),
          ...inputs(dir),
        }),
      };
      const step = await runBundledAction(resolve('dist/report.js'), env, { cwd: runner.dir });
      assertStepRefusal(step, message, name);
      assert.deepEqual(listTree(dir), ['a-file', 'metrics.json'], 'nothing written');
      assert.equal(runner.summary(), '', 'no job summary');
    });
  }
});
