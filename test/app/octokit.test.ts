import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createProbot, type Probot } from 'probot';
import { appOctokitOptions } from '../../app/octokit.ts';
import { githubError } from '../support/github-router.ts';
import { startFakeGithub, type FakeGithub } from '../e2e/support/fake-github.ts';
import { conditionalGet, type EtagEntry } from '../../core/github/conditional-get.ts';
import type { GitHubClient } from '../../core/github/index.ts';
import { listTagRefs } from '../../core/github/registry-tags.ts';
import { fakeRepo, shaOf } from './support/fake-repo.ts';
import { APP_ID, INSTALLATION_ID, privateKey, WEBHOOK_SECRET } from './support/probot.ts';

/** The app's Probot as `npm run app` makes it (throttling and retries on), pointed at a fake GitHub Enterprise on loopback. */
async function withShippedProbot(body: (fake: FakeGithub, probot: Probot) => Promise<void>): Promise<void> {
  const fake = await startFakeGithub();
  try {
    const probot = createProbot({
      env: {
        APP_ID: String(APP_ID),
        PRIVATE_KEY: privateKey(),
        WEBHOOK_SECRET,
        GHE_HOST: fake.host,
        GHE_PROTOCOL: 'http',
        LOG_LEVEL: 'fatal',
      },
      overrides: appOctokitOptions(),
    });
    await body(fake, probot);
  } finally {
    await fake.close();
  }
}

const where = { owner: 'acme', repo: 'churn' };

describe("the app's Octokit (Probot's, as shipped)", () => {
  test('an installation client authenticates with the installation token against the GitHub Enterprise base URL', async () => {
    await withShippedProbot(async (fake, probot) => {
      const repo = fakeRepo(fake.gh);
      repo.addTag('churn@v1.0.0', 'a'.repeat(40));
      const octokit = await probot.auth(INSTALLATION_ID);
      const { data } = await octokit.rest.git.getRef({ ...where, ref: 'tags/churn@v1.0.0' });
      assert.equal(data.ref, 'refs/tags/churn@v1.0.0');
      assert.deepEqual(
        fake.gh.requests.map((r) => new URL(r.url).pathname),
        [
          `/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`,
          '/api/v3/repos/acme/churn/git/ref/tags%2Fchurn%40v1.0.0',
        ],
      );
      assert.equal(fake.gh.requests[1].headers.authorization, 'token ghs_installation_token');
      assert.deepEqual(fake.gh.violations, []);
    });
  });

  test('a server error is retried and then succeeds; a client error is not retried', async () => {
    await withShippedProbot(async (fake, probot) => {
      fakeRepo(fake.gh);
      fake.gh.once('GET /repos/{owner}/{repo}', githubError(502, 'Server Error'));
      fake.gh.on('GET /repos/{owner}/{repo}', { data: { full_name: 'acme/churn' } });
      const octokit = await probot.auth(INSTALLATION_ID);
      const { data } = await octokit.rest.repos.get(where);
      assert.equal(data.full_name, 'acme/churn');
      assert.equal(fake.gh.calls('GET /repos/{owner}/{repo}').length, 2);

      fake.gh.on('GET /repos/{owner}/{repo}/releases/tags/{tag}', githubError(404, 'Not Found'));
      await assert.rejects(octokit.rest.repos.getReleaseByTag({ ...where, tag: 'nope' }), { status: 404 });
      assert.equal(fake.gh.calls('GET /repos/{owner}/{repo}/releases/tags/{tag}').length, 1);
    });
  });

  test('a tag list that has not changed is answered 304 and what was derived from it is reused', async () => {
    await withShippedProbot(async (fake, probot) => {
      const repo = fakeRepo(fake.gh);
      for (let i = 0; i < 3; i++) repo.addTag(`churn@v1.${i}.0`, shaOf(`commit ${i}`));
      const octokit = (await probot.auth(INSTALLATION_ID)) as unknown as GitHubClient;
      const cache = new Map<string, EtagEntry>();
      let derived = 0;
      const load = () =>
        conditionalGet(
          cache,
          'acme/churn/tags',
          (headers) => listTagRefs(octokit, { ...where, headers }),
          (refs) => (derived++, refs.map((r) => r.ref)),
        );
      assert.deepEqual(await load(), ['refs/tags/churn@v1.0.0', 'refs/tags/churn@v1.1.0', 'refs/tags/churn@v1.2.0']);
      assert.equal((await load()).length, 3);
      assert.equal(derived, 1, 'the second answer was a 304');
      repo.addTag('churn@v1.3.0', shaOf('commit 3'));
      assert.equal((await load()).length, 4, 'a changed list is read again');
      assert.equal(fake.gh.calls('GET /repos/{owner}/{repo}/git/matching-refs/{ref}').length, 3);
    });
  });
});
