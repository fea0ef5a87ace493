import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLogger } from '../../../core/logger.ts';
import { createOctokit, rateLimitPolicy, MAX_RATE_LIMIT_WAIT_S } from '../../../core/github/octokit.ts';
import { githubApi, githubError } from '../../support/github-api.ts';

const repo = { owner: 'acme', repo: 'churn' };

describe('createOctokit', () => {
  test('authenticates with the token and names itself, against github.com or an Enterprise server', async (t) => {
    const gh = githubApi(t, { baseUrl: 'https://ghe.example.com/api/v3' });
    gh.once('GET /repos/{owner}/{repo}', { data: { full_name: 'acme/churn' } });
    const octokit = createOctokit({
      auth: 'ghs_secret',
      baseUrl: 'https://ghe.example.com/api/v3/',
      retries: 0,
      throttle: false,
    });
    const { data } = await octokit.rest.repos.get(repo);
    assert.equal(data.full_name, 'acme/churn');
    const [request] = gh.calls('GET /repos/{owner}/{repo}');
    assert.equal(request.headers.authorization, 'token ghs_secret');
    assert.match(request.headers['user-agent'], /^cairn /);
  });

  test('retries a server error when retries are on, and not when they are off', async (t) => {
    const gh = githubApi(t);
    gh.on('GET /repos/{owner}/{repo}', githubError(502, 'Server Error'), { times: 2 });
    gh.on('GET /repos/{owner}/{repo}', { data: { full_name: 'acme/churn' } });
    await assert.rejects(createOctokit({ auth: 't', retries: 0, throttle: false }).rest.repos.get(repo), {
      status: 502,
    });
    const { data } = await createOctokit({ auth: 't', retries: 1, throttle: false }).rest.repos.get(repo);
    assert.equal(data.full_name, 'acme/churn');
    assert.equal(gh.calls('GET /repos/{owner}/{repo}').length, 3);
  });

  test('does not retry a client error: the request was wrong, and sending it again cannot fix it', async (t) => {
    const gh = githubApi(t);
    gh.once('GET /repos/{owner}/{repo}', githubError(404, 'Not Found'));
    await assert.rejects(createOctokit({ auth: 't', retries: 3, throttle: false }).rest.repos.get(repo), {
      status: 404,
    });
    assert.equal(gh.calls('GET /repos/{owner}/{repo}').length, 1);
  });

  test('with throttling on, a primary rate limit that resets now is waited out and logged', async (t) => {
    const gh = githubApi(t);
    const reset = String(Math.floor(Date.now() / 1000) - 5);
    gh.once('GET /repos/{owner}/{repo}', {
      ...githubError(403, 'API rate limit exceeded for installation ID 1.'),
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
    });
    gh.once('GET /repos/{owner}/{repo}', { data: { full_name: 'acme/churn' } });
    const logger = memoryLogger();
    const { data } = await createOctokit({ auth: 't', logger, retries: 2 }).rest.repos.get(repo);
    assert.equal(data.full_name, 'acme/churn');
    assert.match(
      logger.lines.find((l) => l.level === 'warn')?.message ?? '',
      /primary rate limit hit by GET \/repos\/acme\/churn; retrying/,
    );
  });
});

describe('rateLimitPolicy', () => {
  const request = { method: 'POST', url: '/repos/acme/churn/check-runs' };

  test('retries a few times, then gives up and says so', () => {
    const logger = memoryLogger();
    const { onSecondaryRateLimit } = rateLimitPolicy(logger, 2);
    assert.deepEqual(
      [0, 1, 2].map((n) => onSecondaryRateLimit(60, request, undefined, n)),
      [true, true, false],
    );
    assert.match(
      logger.lines.at(-1)!.message,
      /secondary rate limit hit by POST \/repos\/acme\/churn\/check-runs; giving up after 2 retries/,
    );
  });

  test('does not sit out a primary limit that resets far in the future', () => {
    const { onRateLimit } = rateLimitPolicy(memoryLogger(), 3);
    assert.equal(onRateLimit(MAX_RATE_LIMIT_WAIT_S, request, undefined, 0), true);
    assert.equal(onRateLimit(3600, request, undefined, 0), false);
  });
});
