/**
 * actions/report with `drift:`: the sticky PR comment and the check run get the drift verdict and the drifted
 * columns (charts folded), the job summary more; a drift input that is missing or not a drift report fails the step.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import examples from '@octokit/webhooks-examples';
import { run } from '../../actions/report/run.ts';
import type { DriftReport } from '../../core/drift/index.ts';
import { githubApi } from '../support/github-api.ts';
import { fakeCheckRuns, fakeIssueComments } from '../support/github-fakes.ts';
import { inputEnv, runBundledAction, runnerFiles, withEnv, type RunnerFiles } from '../support/action-runner.ts';
import { assertInert, HOSTILE, HOSTILE_LINE } from '../support/inert-markdown.ts';
import { assertStepRefusal, listTree } from '../support/refusals.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { readTable } from '../core/report/markdown-table-reader.ts';
import { tempDir } from '../support/cli.ts';

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- webhook example payloads are untyped JSON
const pullRequestOpened = (): Payload =>
  structuredClone(
    (examples as unknown as Array<{ name: string; examples: Payload[] }>)
      .find((e) => e.name === 'pull_request')!
      .examples.find((e) => e.action === 'opened')!,
  );

const REPO = 'Codertocat/Hello-World';
const MARKER = '<!-- cairn:churn:metrics -->';

/** 14 columns, 12 drifted, each with chart data: more than a comment shows. */
function driftReport(names: (i: number) => string = (i) => `feature_${i}`): DriftReport {
  const columns = Array.from({ length: 14 }, (_, i) => ({
    name: names(i),
    kind: 'num' as const,
    test: 'wasserstein' as const,
    score: i < 12 ? 0.4 : 0.01,
    threshold: 0.1,
    drifted: i < 12,
    ...(i < 12 ? { bins: { edges: [0, 1, 2], reference: [0.7, 0.3], current: [0.2, 0.8] } } : {}),
  }));
  return {
    schema: 'cairn.drift/v1',
    reference: { path: 'data/train.csv', rows: 2000 },
    current: { path: 'fresh/train.csv', rows: 2000 },
    columns,
    skipped: [],
    dataset: { columns: 14, drifted_columns: 12, share: 12 / 14, threshold: 0.5, drifted: true },
  };
}

function files(dir: string, drift: DriftReport) {
  const metrics = join(dir, 'metrics.json');
  writeFileSync(metrics, JSON.stringify(sampleReport({ name: 'churn' })));
  const driftPath = join(dir, 'drift.json');
  writeFileSync(driftPath, JSON.stringify(drift));
  return { metrics, drift: driftPath };
}

async function runReport(runner: RunnerFiles, inputs: Record<string, string>) {
  const restore = withEnv({
    ...runner.env,
    ...inputEnv({ token: 'ghs_test', comment: 'true', check: 'true', config: join(runner.dir, 'none.yml'), ...inputs }),
  });
  try {
    await run();
  } finally {
    restore();
  }
}

describe('actions/report with drift:', () => {
  test('the PR comment and check run show the verdict and the drifted columns; the job summary shows more', async (t) => {
    const gh = githubApi(t);
    const comments = fakeIssueComments(gh, REPO);
    const checks = fakeCheckRuns(gh, {}, REPO);
    const event = pullRequestOpened();
    const runner = runnerFiles({ repository: REPO, eventName: 'pull_request', event, sha: 'merge-commit-sha' });
    await runReport(runner, files(runner.dir, driftReport()));

    const [comment] = comments.on(event.number);
    assert.ok(comment?.body.startsWith(MARKER));
    assert.match(comment.body, /^### Data drift: the dataset drifted$/m);
    assert.match(
      comment.body,
      /\*\*Dataset:\*\* 🔴 drifted: 12 of 14 columns drifted, share 0\.8571 ≥ threshold 0\.5\./,
    );
    assert.equal(readTable(comment.body, 'Column').rows.length, 10, 'a short table in the comment');
    assert.match(comment.body, /_4 more columns \(2 drifted\) are in `.*drift\.json`/);
    assert.match(comment.body, /<details><summary>Drift charts<\/summary>/);
    assert.equal(comment.body.match(/title "feature_\d+: reference vs current"/g)?.length, 3);
    assert.match(checks.runs[0]!.output.summary ?? '', /### Data drift: the dataset drifted/);

    const summary = runner.summary();
    assert.equal(readTable(summary, 'Column').rows.length, 14, 'every column in the job summary');
    assert.equal(summary.match(/title "feature_\d+: reference vs current"/g)?.length, 6);
    assert.deepEqual(gh.violations, []);
  });

  test('hostile and very long column names stay inert in the comment and the summary', async (t) => {
    const gh = githubApi(t);
    const comments = fakeIssueComments(gh, REPO);
    fakeCheckRuns(gh, {}, REPO);
    const event = pullRequestOpened();
    const runner = runnerFiles({ repository: REPO, eventName: 'pull_request', event, sha: 'merge-commit-sha' });
    const hostile = [HOSTILE, HOSTILE_LINE, '@octocat', `${'@team '.repeat(2000)}`];
    await runReport(
      runner,
      files(
        runner.dir,
        driftReport((i) => `${hostile[i % hostile.length]}${i}`),
      ),
    );
    const [comment] = comments.on(event.number);
    assertInert(comment!.body, { markers: [MARKER], links: ['https://github.com/'] });
    assertInert(runner.summary(), { links: ['https://github.com/'] });
    assert.ok(comment!.body.length < 65_536);
  });
});

describe('actions/report: a bad drift input fails the step before anything is posted or written (dist/report.js)', () => {
  const cases: Array<[string, (dir: string) => string, RegExp]> = [
    ['a drift file that is not there', (dir) => join(dir, 'nope.json'), /drift: cannot read .*nope\.json/],
    ['a drift file that is not JSON', (dir) => join(dir, 'a-file'), /drift: .*a-file is not valid JSON/],
    [
      'a metrics file given as the drift report',
      (dir) => join(dir, 'metrics.json'),
      /drift: .*metrics\.json is not a cairn\.drift\/v1 drift report/,
    ],
  ];
  for (const [name, drift, message] of cases) {
    test(name, async () => {
      const dir = tempDir('cairn-report-drift-refused-');
      writeFileSync(join(dir, 'metrics.json'), JSON.stringify(sampleReport({ name: 'churn' })));
      writeFileSync(join(dir, 'a-file'), 'mine');
      const runner = runnerFiles({
        repository: REPO,
        eventName: 'pull_request',
        event: pullRequestOpened(),
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
          metrics: join(dir, 'metrics.json'),
          drift: drift(dir),
        }),
      };
      const step = await runBundledAction(resolve('dist/report.js'), env, { cwd: runner.dir });
      assertStepRefusal(step, message, name);
      assert.deepEqual(listTree(dir), ['a-file', 'metrics.json'], 'nothing written');
      assert.equal(runner.summary(), '', 'no job summary');
    });
  }
});
