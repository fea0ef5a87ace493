import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLogger } from '../../../core/logger.ts';
import { createOctokit } from '../../../core/github/octokit.ts';
import { checkRunBody } from '../../../core/github/check-run.ts';
import { readRecordOnCommit } from '../../../core/github/commit-record.ts';
import { readBaselineFromRef } from '../../../core/github/baseline.ts';
import { isTrustedSource } from '../../../core/github/evidence-source.ts';
import { githubApi } from '../../support/github-api.ts';
import { fakeApp, fakeCheckRuns } from '../../support/github-fakes.ts';
import { sampleReport } from './sample-report.ts';

const SHA = 'c3'.repeat(20);
const octokit = () => createOctokit({ auth: 'test-token', retries: 0, throttle: false });
const where = { owner: 'acme', repo: 'churn', model: 'churn' };
const withF1 = (f1: number) => sampleReport({ metrics: { ...sampleReport().metrics, f1 } });

/** A completed `cairn: churn` record as actions/report leaves it, created by `app`. */
function recordRun(
  checks: ReturnType<typeof fakeCheckRuns>,
  report: ReturnType<typeof sampleReport>,
  completedAt: string,
  app = fakeApp(),
) {
  const { name, conclusion, output } = checkRunBody({ ...where, headSha: SHA, report, summary: 's' });
  return checks.add({
    name,
    head_sha: SHA,
    status: 'completed',
    conclusion,
    completed_at: completedAt,
    app,
    output: { ...output, annotations_count: 0, annotations_url: '' },
  });
}

describe('readRecordOnCommit: evidence only from trusted apps', () => {
  test('a newer run with better numbers from another app is ignored and reported; the GitHub Actions record is read', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const checks = fakeCheckRuns(gh, { main: SHA });
    const trusted = recordRun(checks, withF1(0.61), '2024-03-01T10:00:00Z');
    const foreign = recordRun(checks, withF1(0.99), '2024-03-02T10:00:00Z', fakeApp('shady-ci', 777));
    const logger = memoryLogger();

    const { record, ignored } = await readRecordOnCommit(octokit(), { ...where, sha: SHA, logger });

    assert.equal(record?.checkRun.id, trusted.id);
    assert.equal(record?.report.metrics.f1, 0.61);
    assert.deepEqual(
      ignored.map((run) => [run.checkRun.id, run.message]),
      [[foreign.id, 'ignored a "cairn: churn" check run from app shady-ci (id 777): not a trusted source']],
    );
    assert.ok(
      logger.lines.some(({ message }) => message.includes('shady-ci') && message.includes('evidence.trusted_apps')),
    );
    assert.deepEqual(gh.violations, []);
  });

  test('only a foreign record: no record at all', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const checks = fakeCheckRuns(gh);
    recordRun(checks, withF1(0.99), '2024-03-02T10:00:00Z', fakeApp('cairn', 1234));
    const { record, ignored } = await readRecordOnCommit(octokit(), { ...where, sha: SHA });
    assert.equal(record, undefined);
    assert.equal(ignored.length, 1);
  });

  test('an app id in evidence.trusted_apps is trusted', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const checks = fakeCheckRuns(gh);
    recordRun(checks, withF1(0.61), '2024-03-01T10:00:00Z');
    const buildkite = recordRun(checks, withF1(0.8), '2024-03-02T10:00:00Z', fakeApp('buildkite', 4242));
    const { record, ignored } = await readRecordOnCommit(octokit(), { ...where, sha: SHA, trustedApps: [4242] });
    assert.equal(record?.checkRun.id, buildkite.id);
    assert.deepEqual(ignored, []);
  });

  test('the GitHub Actions app is known by id on github.com, and by its reserved slug and owner elsewhere (GHES)', () => {
    assert.equal(isTrustedSource(fakeApp()), true);
    assert.equal(
      isTrustedSource(fakeApp('github-actions', 12, 'github')),
      true,
      'GHES: another id, same slug and owner',
    );
    assert.equal(
      isTrustedSource(fakeApp('github-actions', 12, 'mallory')),
      false,
      'the slug alone, owned by someone else',
    );
    assert.equal(
      isTrustedSource(fakeApp('lookalike', 15368, 'mallory')),
      false,
      "the id alone, with another app's slug",
    );
    assert.equal(isTrustedSource(null), false);
    assert.equal(isTrustedSource(fakeApp('buildkite', 4242), [4242]), true);
  });

  test('the PR baseline (actions/evaluate, cairn evaluate --baseline ref:main) ignores a foreign record with better numbers', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const checks = fakeCheckRuns(gh, { main: SHA });
    recordRun(checks, withF1(0.61), '2024-03-01T10:00:00Z');
    recordRun(checks, withF1(0.99), '2024-03-02T10:00:00Z', fakeApp('shady-ci', 777));
    const baseline = await readBaselineFromRef(octokit(), { ...where, ref: 'main' });
    assert.equal(baseline?.metrics.f1, 0.61);
    assert.equal(
      (await readBaselineFromRef(octokit(), { ...where, ref: 'main', trustedApps: [777] }))?.metrics.f1,
      0.99,
    );
  });
});
