import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLogger } from '../../../core/logger.ts';
import { createOctokit } from '../../../core/github/octokit.ts';
import { isForbidden, tryWrite } from '../../../core/github/permissions.ts';
import { upsertStickyComment } from '../../../core/github/sticky-comment.ts';
import { publishCheckRun } from '../../../core/github/check-run.ts';
import { githubApi, githubError } from '../../support/github-api.ts';
import { sampleReport } from './sample-report.ts';

const octokit = () => createOctokit({ auth: 'read-only-token', retries: 0, throttle: false });
const FORK = 'Resource not accessible by integration';

describe('fork pull requests (read-only token)', () => {
  test('a 403 on the comment and the check run is detected, logged, and skipped', async (t) => {
    const gh = githubApi(t);
    gh.on('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { data: [] });
    gh.once('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', githubError(403, FORK));
    gh.once('POST /repos/{owner}/{repo}/check-runs', githubError(403, FORK));
    const logger = memoryLogger();
    const client = octokit();

    const comment = await tryWrite(
      'comment on the pull request',
      () =>
        upsertStickyComment(client, {
          owner: 'acme',
          repo: 'churn',
          issueNumber: 3,
          marker: '<!-- m -->',
          author: 'github-actions[bot]',
          body: 'x',
        }),
      logger,
    );
    const check = await tryWrite(
      'create the check run',
      () =>
        publishCheckRun(client, {
          owner: 'acme',
          repo: 'churn',
          headSha: 'f'.repeat(40),
          report: sampleReport(),
          summary: 's',
        }),
      logger,
    );

    assert.deepEqual([comment, check], [undefined, undefined]);
    assert.equal(logger.lines.length, 2);
    assert.match(
      logger.lines[0].message,
      /could not comment on the pull request: the token is read-only .*Resource not accessible by integration.*forks.*job summary/,
    );
  });

  test('isForbidden tells a permission 403 from a rate-limit 403 and other errors', async (t) => {
    const gh = githubApi(t);
    const errorOf = async (reply: ReturnType<typeof githubError>) => {
      gh.once('GET /repos/{owner}/{repo}', reply);
      return octokit()
        .request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
    };
    assert.equal(isForbidden(await errorOf(githubError(403, FORK))), true);
    assert.equal(
      isForbidden(
        await errorOf({
          ...githubError(403, 'API rate limit exceeded for installation ID 1.'),
          headers: { 'x-ratelimit-remaining': '0' },
        }),
      ),
      false,
    );
    assert.equal(isForbidden(await errorOf(githubError(404, 'Not Found'))), false);
    assert.equal(isForbidden(new Error('socket hang up')), false);
  });

  test('errors other than a read-only token still fail the step', async (t) => {
    const gh = githubApi(t);
    gh.once('POST /repos/{owner}/{repo}/check-runs', githubError(422, 'Invalid request'));
    await assert.rejects(
      tryWrite(
        'create the check run',
        () =>
          publishCheckRun(octokit(), {
            owner: 'acme',
            repo: 'churn',
            headSha: 'f'.repeat(40),
            report: sampleReport(),
            summary: 's',
          }),
        memoryLogger(),
      ),
      (error: { status: number }) => error.status === 422,
    );
  });
});
