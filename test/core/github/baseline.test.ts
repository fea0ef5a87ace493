import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../core/errors.ts';
import { memoryLogger } from '../../../core/logger.ts';
import { createOctokit } from '../../../core/github/octokit.ts';
import { checkRunBody } from '../../../core/github/check-run.ts';
import { readBaselineFromRef } from '../../../core/github/baseline.ts';
import { githubApi } from '../../support/github-api.ts';
import { fakeCheckRuns } from '../../support/github-fakes.ts';
import { sampleReport } from './sample-report.ts';

const MAIN = 'a1'.repeat(20);
const OLD_MAIN = 'b2'.repeat(20);
const octokit = () => createOctokit({ auth: 'test-token', retries: 0, throttle: false });
const where = { owner: 'acme', repo: 'churn', model: 'churn' };

/** A completed check run carrying `report`, as publishCheckRun leaves it. */
function recordRun(
  checks: ReturnType<typeof fakeCheckRuns>,
  sha: string,
  report: ReturnType<typeof sampleReport>,
  completedAt: string,
) {
  const { name, conclusion, output } = checkRunBody({ ...where, headSha: sha, report, summary: 's' });
  return checks.add({
    name,
    head_sha: sha,
    status: 'completed',
    conclusion,
    completed_at: completedAt,
    output: { ...output, annotations_count: 0, annotations_url: '' },
  });
}

describe('readBaselineFromRef', () => {
  test('reads the newest completed record for the model on the branch head', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const checks = fakeCheckRuns(gh, { main: MAIN });
    const newest = sampleReport({ metrics: { ...sampleReport().metrics, f1: 0.7 } });
    recordRun(checks, MAIN, sampleReport({ metrics: { ...sampleReport().metrics, f1: 0.5 } }), '2024-03-01T10:00:00Z');
    recordRun(checks, MAIN, newest, '2024-03-02T10:00:00Z');
    recordRun(checks, MAIN, sampleReport({ metrics: { ...sampleReport().metrics, f1: 0.4 } }), '2024-03-01T12:00:00Z');
    recordRun(checks, MAIN, sampleReport({ name: 'fraud' }), '2024-03-03T10:00:00Z');
    recordRun(
      checks,
      OLD_MAIN,
      sampleReport({ metrics: { ...sampleReport().metrics, f1: 0.9 } }),
      '2024-03-04T10:00:00Z',
    );
    checks.add({ name: 'cairn: churn', head_sha: MAIN, status: 'in_progress' });
    checks.add({ name: 'lint', head_sha: MAIN, conclusion: 'success' });

    const baseline = await readBaselineFromRef(octokit(), { ...where, ref: 'main' });

    assert.deepEqual(baseline, newest);
    const [list] = gh.calls('GET /repos/{owner}/{repo}/commits/{ref}/check-runs');
    assert.deepEqual([list.params.ref, list.query.check_name, list.query.status], [MAIN, 'cairn: churn', 'completed']);
  });

  test('follows pages when the commit has more than 100 runs of the check', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const checks = fakeCheckRuns(gh, { main: MAIN });
    for (let i = 0; i < 130; i++)
      recordRun(
        checks,
        MAIN,
        sampleReport({ rows: i }),
        `2024-01-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
      );
    const baseline = await readBaselineFromRef(octokit(), { ...where, ref: 'refs/heads/main' });
    assert.equal(baseline?.rows, 129);
    assert.equal(gh.calls('GET /repos/{owner}/{repo}/commits/{ref}/check-runs').length, 2);
  });

  test('no record on the branch head means no baseline, and the log says so', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    fakeCheckRuns(gh, { main: MAIN });
    const logger = memoryLogger();
    assert.equal(await readBaselineFromRef(octokit(), { ...where, ref: 'main', logger }), undefined);
    assert.match(
      logger.lines.at(-1)!.message,
      /no baseline for churn: no completed "cairn: churn" check run with a record on main/,
    );
  });

  test('a branch that does not exist is a user error naming it', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    fakeCheckRuns(gh, { main: MAIN });
    await assert.rejects(
      readBaselineFromRef(octokit(), { ...where, ref: 'mian' }),
      (error: Error) =>
        error instanceof UserError && /baseline ref "mian" was not found in acme\/churn/.test(error.message),
    );
  });
});

test('a SHA answered without a charset (Octokit hands over bytes) still resolves', async (t) => {
  const gh = githubApi(t);
  gh.once('GET /repos/{owner}/{repo}/commits/{ref}', {
    data: MAIN,
    headers: { 'content-type': 'application/vnd.github.sha' },
  });
  gh.once('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', (req) => ({
    data: { total_count: 0, check_runs: [], asked: req.params.ref },
  }));
  assert.equal(await readBaselineFromRef(octokit(), { ...where, ref: 'main' }), undefined);
  assert.equal(gh.calls('GET /repos/{owner}/{repo}/commits/{ref}/check-runs')[0].params.ref, MAIN);
});
