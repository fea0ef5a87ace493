import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createProbot } from 'probot';
import { AppOctokit, appOctokitOptions } from '../../app/octokit.ts';
import { createPooledFetch, type PooledFetch } from '../../app/pooled-fetch.ts';
import { githubError } from '../support/github-router.ts';
import { startFakeGithub, type FakeGithub } from '../e2e/support/fake-github.ts';
import { conditionalGet, type EtagEntry } from '../../core/github/conditional-get.ts';
import type { GitHubClient } from '../../core/github/octokit.ts';
import { listTagRefs } from '../../core/github/registry-tags.ts';
import { fakeRepo, shaOf } from './support/fake-repo.ts';
import { APP_ID, INSTALLATION_ID, privateKey, WEBHOOK_SECRET } from './support/probot.ts';

/** Runs `body` against a fresh fake GitHub on loopback and a fresh pool, and closes both after. */
async function withFakeGithub(body: (fake: FakeGithub, pool: PooledFetch) => Promise<void>): Promise<void> {
  const fake = await startFakeGithub();
  const pool = createPooledFetch();
  try {
    await body(fake, pool);
  } finally {
    await pool.close();
    await fake.close();
  }
}

/** AppOctokit on the fake through the pool, throttling off. */
const appOctokit = (fake: FakeGithub, pool: PooledFetch, options: Record<string, unknown> = {}) =>
  new AppOctokit({ auth: 'ghs_x', baseUrl: fake.baseUrl, request: { fetch: pool }, throttle: { enabled: false }, ...options });

describe('the app\'s Octokit', () => {
  test('an installation client from Probot sends every request through the pooled fetch, GitHub Enterprise base URL included', async () => {
    await withFakeGithub(async (fake, pool) => {
      const sent: string[] = [];
      const fetch = Object.assign((url: string | URL, init?: Parameters<typeof pool>[1]) => (sent.push(String(url)), pool(url, init)), {
        buffered: (url: string | URL, init?: Parameters<typeof pool>[1]) => (sent.push(String(url)), pool.buffered(url, init)),
        close: pool.close,
      });
      const repo = fakeRepo(fake.gh);
      repo.addTag('churn@v1.0.0', 'a'.repeat(40));
      const probot = createProbot({
        env: { APP_ID: String(APP_ID), PRIVATE_KEY: privateKey(), WEBHOOK_SECRET, GHE_HOST: fake.host, GHE_PROTOCOL: 'http', LOG_LEVEL: 'fatal' },
        overrides: appOctokitOptions({ fetch }),
      });
      const octokit = await probot.auth(INSTALLATION_ID);
      const { data } = await octokit.rest.git.getRef({ owner: 'acme', repo: 'churn', ref: 'tags/churn@v1.0.0' });
      assert.equal(data.ref, 'refs/tags/churn@v1.0.0');
      assert.deepEqual(
        sent.map((url) => new URL(url).pathname),
        [`/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`, '/api/v3/repos/acme/churn/git/ref/tags%2Fchurn%40v1.0.0'],
      );
      assert.deepEqual(fake.gh.violations, []);
    });
  });

  test('retries server errors with core\'s retry (3 times), not with plugin-retry on top of it', async () => {
    await withFakeGithub(async (fake, pool) => {
      // Four failures, then an answer: 3 retries end on the fourth failure; plugin-retry nested in
      // them would have retried each attempt again and reached the answer.
      fake.gh.on('GET /repos/{owner}/{repo}', githubError(502, 'Server Error'), { times: 4 });
      fake.gh.on('GET /repos/{owner}/{repo}', { data: { full_name: 'acme/churn' } });
      const octokit = appOctokit(fake, pool, { retryRequests: { retryAfterBaseValue: 1 } });
      await assert.rejects(octokit.rest.repos.get({ owner: 'acme', repo: 'churn' }), { status: 502 });
      assert.equal(fake.gh.calls('GET /repos/{owner}/{repo}').length, 4);
      const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'churn' });
      assert.equal(data.full_name, 'acme/churn');

      fake.gh.on('GET /repos/{owner}/{repo}/releases/tags/{tag}', githubError(404, 'Not Found'));
      await assert.rejects(octokit.rest.repos.getReleaseByTag({ owner: 'acme', repo: 'churn', tag: 'nope' }), { status: 404 });
      assert.equal(fake.gh.calls('GET /repos/{owner}/{repo}/releases/tags/{tag}').length, 1);
    });
  });

  test('answers are parsed as Octokit parses them (JSON, text, pages), with JSON.parse; a caller can still read the raw body', async () => {
    await withFakeGithub(async (fake, pool) => {
      const repo = fakeRepo(fake.gh);
      for (let i = 0; i < 3; i++) repo.addTag(`churn@v1.${i}.0`, 'a'.repeat(40));
      for (let i = 0; i < 150; i++) repo.issues.push({ number: i + 1, title: `issue ${i}`, body: `body ${i}`, state: 'open' });
      fake.gh.on('GET /repos/{owner}/{repo}/readme', { data: '# churn', headers: { 'content-type': 'text/plain; charset=utf-8' } });
      const octokit = appOctokit(fake, pool);
      const where = { owner: 'acme', repo: 'churn' };

      const { data: ref } = await octokit.rest.git.getRef({ ...where, ref: 'tags/churn@v1.0.0' });
      assert.equal(ref.ref, 'refs/tags/churn@v1.0.0');
      assert.equal((await octokit.request('GET /repos/{owner}/{repo}/readme', where)).data, '# churn');
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...where, per_page: 100 });
      assert.deepEqual(issues.map((issue) => issue.number), Array.from({ length: 150 }, (_, i) => i + 1), 'both pages, in order');
      // A caller that asks for the unparsed body gets the stream.
      const raw = await octokit.rest.git.listMatchingRefs({ ...where, ref: 'tags', request: { parseSuccessResponseBody: false } });
      const refs = JSON.parse(await new Response(raw.data as unknown as ReadableStream).text()) as Array<{ ref: string }>;
      assert.deepEqual(refs.map((r) => r.ref), ['refs/tags/churn@v1.0.0', 'refs/tags/churn@v1.1.0', 'refs/tags/churn@v1.2.0']);
      // Nothing leaks into the defaults every request starts from.
      assert.equal((octokit.request.endpoint.DEFAULTS.request as { parseSuccessResponseBody?: boolean }).parseSuccessResponseBody, undefined);
      assert.deepEqual(fake.gh.violations, []);
    });
  });

  test('an answer is parsed when its data is read: a tag list already derived for its ETag is not parsed again', async () => {
    await withFakeGithub(async (fake, pool) => {
      const repo = fakeRepo(fake.gh);
      for (let i = 0; i < 50; i++) repo.addTag(`churn@v1.${i}.0`, shaOf(`commit ${i}`));
      // As the app hands it to core (app/runtime.ts: the types differ only in details core never touches).
      const octokit = appOctokit(fake, pool) as unknown as GitHubClient;
      const tagLists: string[] = [];
      const parse = JSON.parse;
      JSON.parse = (text: string, reviver?: Parameters<typeof parse>[1]) => {
        if (typeof text === 'string' && text.startsWith('[{"ref"')) tagLists.push(text);
        return parse(text, reviver) as unknown;
      };
      try {
        // Two handlers load the list at once, neither with an ETag yet: both get it whole.
        const cache = new Map<string, EtagEntry>();
        const load = () => conditionalGet(cache, 'acme/churn/tags', (headers) => listTagRefs(octokit, { owner: 'acme', repo: 'churn', headers }), (refs) => refs.length);
        assert.deepEqual(await Promise.all([load(), load()]), [50, 50]);
        assert.equal(fake.gh.calls('GET /repos/{owner}/{repo}/git/matching-refs/{ref}').length, 2);
        assert.equal(tagLists.length, 1, 'the second answer carried the same ETag, and its body was never parsed');
      } finally {
        JSON.parse = parse;
      }
      const { data } = await octokit.rest.git.listMatchingRefs({ owner: 'acme', repo: 'churn', ref: 'tags' });
      assert.equal(data.length, 50, 'read data is parsed as before');
    });
  });
});
