import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/core';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { DO_NOT_RETRY, retryRequests, type RetryOptions } from '../../../core/github/retry.ts';
import { githubApi, githubError } from '../../support/github-api.ts';

const Retrying = Octokit.plugin(restEndpointMethods, retryRequests);
const repo = { owner: 'acme', repo: 'churn' };
const client = (options: RetryOptions = {}) => new Retrying({ auth: 't', retryRequests: { retryAfterBaseValue: 5, ...options } });

describe('retryRequests', () => {
  test('a server error is sent again after 1, 4, 9 wait units, then the request succeeds', async (t) => {
    const gh = githubApi(t);
    gh.on('GET /repos/{owner}/{repo}', githubError(502, 'Server Error'), { times: 3 });
    gh.on('GET /repos/{owner}/{repo}', { data: { full_name: 'acme/churn' } });
    const started = performance.now();
    const { data } = await client().rest.repos.get(repo);
    assert.equal(data.full_name, 'acme/churn');
    assert.equal(gh.calls('GET /repos/{owner}/{repo}').length, 4);
    assert.ok(performance.now() - started >= (1 + 4 + 9) * 5 - 2, 'waited 1 + 4 + 9 units of 5 ms');
  });

  test('gives up after the retries with the last error; a request can set its own number', async (t) => {
    const gh = githubApi(t);
    gh.on('GET /repos/{owner}/{repo}', githubError(503, 'Unavailable'), { times: 5 });
    await assert.rejects(client({ retries: 2 }).rest.repos.get(repo), { status: 503 });
    assert.equal(gh.calls('GET /repos/{owner}/{repo}').length, 3);
    await assert.rejects(client({ retries: 2 }).rest.repos.get({ ...repo, request: { retries: 1 } }), { status: 503 });
    assert.equal(gh.calls('GET /repos/{owner}/{repo}').length, 5);
  });

  test('statuses retrying cannot fix are not retried, and retries can be turned off', async (t) => {
    const gh = githubApi(t);
    for (const status of DO_NOT_RETRY) gh.once('GET /repos/{owner}/{repo}', githubError(status, `status ${status}`));
    for (const status of DO_NOT_RETRY) await assert.rejects(client().rest.repos.get(repo), { status });
    assert.equal(gh.calls('GET /repos/{owner}/{repo}').length, DO_NOT_RETRY.length);
    gh.once('GET /repos/{owner}/{repo}', githubError(500, 'boom'));
    await assert.rejects(client({ enabled: false }).rest.repos.get(repo), { status: 500 });
    assert.equal(gh.calls('GET /repos/{owner}/{repo}').length, DO_NOT_RETRY.length + 1);
  });
});
