import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOctokit } from '../../../core/github/octokit.ts';
import { GITHUB_ACTIONS_BOT, isAuthor, tokenKind, tokenLogin } from '../../../core/github/identity.ts';
import { githubApi, githubError } from '../../support/github-api.ts';
import { fakeUser } from '../../support/github-fakes.ts';

const octokit = (token: string) => createOctokit({ auth: token, retries: 0, throttle: false });
const privateUser = (login: string) => ({
  ...fakeUser(login, 'User'),
  name: null,
  company: null,
  blog: null,
  location: null,
  email: null,
  hireable: null,
  bio: null,
  public_repos: 0,
  public_gists: 0,
  followers: 0,
  following: 0,
  created_at: '2020-01-01T00:00:00Z',
  updated_at: '2020-01-01T00:00:00Z',
});

describe('who a token writes as', () => {
  test('a ghs_ token is GITHUB_TOKEN (github-actions[bot]) unless an app slug is given; nothing is asked', async (t) => {
    const gh = githubApi(t);
    assert.equal(tokenKind('ghs_abc'), 'installation');
    assert.equal(await tokenLogin(octokit('ghs_abc'), { token: 'ghs_abc' }), GITHUB_ACTIONS_BOT);
    assert.equal(await tokenLogin(octokit('ghs_abc'), { token: 'ghs_abc', appSlug: 'my-ml-bot' }), 'my-ml-bot[bot]');
    assert.deepEqual(gh.requests, []);
  });

  test('a personal access token is its user, asked once per token; an unknown token GET /user refuses (403) is an installation token', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    let answer: 'user' | 'forbidden' = 'user';
    gh.on('GET /user', () =>
      answer === 'user' ? { data: privateUser('octocat') } : githubError(403, 'Resource not accessible by integration'),
    );
    assert.equal(tokenKind('github_pat_x'), 'user');
    assert.equal(await tokenLogin(octokit('github_pat_x'), { token: 'github_pat_x' }), 'octocat');
    assert.equal(await tokenLogin(octokit('github_pat_x'), { token: 'github_pat_x' }), 'octocat');
    assert.equal(gh.calls('GET /user').length, 1);
    answer = 'forbidden';
    assert.equal(
      await tokenLogin(octokit('v1.0123456789abcdef'), { token: 'v1.0123456789abcdef' }),
      GITHUB_ACTIONS_BOT,
    );
  });

  test('authors compare without case; a missing user is nobody', () => {
    assert.equal(isAuthor({ login: 'GitHub-Actions[bot]' }, GITHUB_ACTIONS_BOT), true);
    assert.equal(isAuthor({ login: 'mallory' }, GITHUB_ACTIONS_BOT), false);
    assert.equal(isAuthor(null, GITHUB_ACTIONS_BOT), false);
  });
});
