import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { actionOctokit } from '../../actions/shared/github-client.ts';
import { githubApi, githubError } from '../support/github-api.ts';

const repo = { owner: 'acme', repo: 'churn' };

describe("the actions' GitHub client (@actions/github getOctokit with throttling and retry)", () => {
  test('authenticates with the token against the API URL the runner gives, GitHub Enterprise included', async (t) => {
    const gh = githubApi(t, { baseUrl: 'https://ghe.example.com/api/v3' });
    gh.once('GET /repos/{owner}/{repo}', { data: { full_name: 'acme/churn' } });
    const { data } = await actionOctokit('ghs_secret', 'https://ghe.example.com/api/v3/').rest.repos.get(repo);
    assert.equal(data.full_name, 'acme/churn');
    const [request] = gh.calls('GET /repos/{owner}/{repo}');
    assert.equal(request.headers.authorization, 'token ghs_secret');
    assert.match(request.headers['user-agent'], /^cairn /);
  });

  test('a server error is retried and then succeeds; a client error is not retried', async (t) => {
    const gh = githubApi(t);
    gh.once('GET /repos/{owner}/{repo}', githubError(502, 'Server Error'));
    gh.once('GET /repos/{owner}/{repo}', { data: { full_name: 'acme/churn' } });
    const octokit = actionOctokit('t', 'https://api.github.com');
    const { data } = await octokit.rest.repos.get(repo);
    assert.equal(data.full_name, 'acme/churn');
    gh.once('GET /repos/{owner}/{repo}/releases/tags/{tag}', githubError(404, 'Not Found'));
    await assert.rejects(octokit.rest.repos.getReleaseByTag({ ...repo, tag: 'nope' }), { status: 404 });
    assert.equal(gh.requests.length, 3);
  });
});
