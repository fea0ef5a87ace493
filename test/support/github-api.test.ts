import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { githubApi, githubError, paginated } from './github-api.ts';

const Client = Octokit.plugin(paginateRest);
const client = (baseUrl?: string) => new Client({ auth: 'test-token', baseUrl });
/** Sends what Octokit's types would refuse: the requests GitHub rejects are the point here. */
const send = (route: string, params: Record<string, unknown>) => client().request(route, params);

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

describe('githubApi harness', () => {
  test('a valid request reaches its handler with params, query and body', async (t) => {
    const gh = githubApi(t);
    gh.once('POST /repos/{owner}/{repo}/check-runs', (req) => ({
      status: 201,
      data: { id: 7, owner: req.params.owner, ...req.body },
    }));
    const { data } = await client().request('POST /repos/{owner}/{repo}/check-runs', {
      owner: 'acme',
      repo: 'churn',
      name: 'cairn: churn',
      head_sha: 'a'.repeat(40),
      status: 'completed',
      conclusion: 'success',
      output: { title: 'ok', summary: 'all good' },
    });
    assert.deepEqual([data.id, (data as { owner?: string }).owner, data.conclusion], [7, 'acme', 'success']);
    assert.equal(gh.calls('POST /repos/{owner}/{repo}/check-runs').length, 1);
  });

  test('a check run with conclusion "passed" is rejected with 422 and recorded', async () => {
    const gh = githubApi();
    gh.on('POST /repos/{owner}/{repo}/check-runs', { status: 201, data: { id: 1 } });
    const status = await statusOf(
      send('POST /repos/{owner}/{repo}/check-runs', {
        owner: 'o',
        repo: 'r',
        name: 'x',
        head_sha: 'abc',
        conclusion: 'passed',
      }),
    );
    assert.equal(status, 422);
    assert.equal(gh.violations.length, 1);
    assert.match(
      gh.violations[0],
      /body\.conclusion must be equal to one of the allowed values: action_required, .*success/,
    );
    assert.throws(() => gh.done(), /conclusion/);
  });

  test('a check run summary over the 65,535-character limit is rejected', async () => {
    const gh = githubApi();
    gh.on('POST /repos/{owner}/{repo}/check-runs', { status: 201, data: { id: 1 } });
    const output = { title: 't', summary: 'x'.repeat(65_536) };
    assert.equal(
      await statusOf(
        send('POST /repos/{owner}/{repo}/check-runs', { owner: 'o', repo: 'r', name: 'x', head_sha: 'abc', output }),
      ),
      422,
    );
    assert.match(gh.violations[0], /body\.output\.summary must NOT have more than 65535 characters/);
    gh.close();
  });

  test('an unknown path, a wrong method and a missing required field are each caught', async () => {
    const gh = githubApi();
    assert.equal(await statusOf(client().request('GET /repos/{owner}/{repo}/metrics', { owner: 'o', repo: 'r' })), 404);
    assert.equal(
      await statusOf(
        client().request('PUT /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          owner: 'o',
          repo: 'r',
          comment_id: 1,
          body: 'x',
        }),
      ),
      404,
    );
    assert.equal(
      await statusOf(
        send('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'o', repo: 'r', issue_number: 3 }),
      ),
      422,
    );
    assert.match(gh.violations[0], /no such route/);
    assert.match(gh.violations[1], /GitHub allows only .*PATCH/);
    assert.match(gh.violations[2], /body is required|must have required property 'body'/);
    gh.close();
  });

  test('a misspelt body field or query parameter counts as a mistake', async () => {
    const gh = githubApi();
    gh.on('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { data: {} });
    gh.on('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { data: [] });
    await statusOf(
      client().request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
        owner: 'o',
        repo: 'r',
        comment_id: 1,
        body: 'x',
        bdy: 'y',
      }),
    );
    await statusOf(
      client().request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: 'o',
        repo: 'r',
        issue_number: 1,
        perpage: 100,
      }),
    );
    assert.equal(gh.violations.length, 2);
    assert.match(gh.violations[0], /body\.bdy is not a field/);
    assert.match(gh.violations[1], /query parameter "perpage" is not accepted/);
    gh.close();
  });

  test('path parameters are checked against their types', async () => {
    const gh = githubApi();
    gh.on('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { data: [] });
    await statusOf(
      send('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: 'o',
        repo: 'r',
        issue_number: 'seven',
      }),
    );
    assert.match(gh.violations[0], /path parameter "issue_number" must be integer/);
    gh.close();
  });

  test('a request with no scripted handler fails done(), as does an unused once()', async () => {
    const gh = githubApi();
    gh.once('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { status: 204 });
    assert.equal(await statusOf(client().request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' })), 404);
    assert.throws(
      () => gh.done(),
      (error: Error) =>
        /no handler was scripted for "GET \/repos\/\{owner\}\/\{repo\}"/.test(error.message) &&
        /expected 1 time\(s\), called 0/.test(error.message),
    );
  });

  test('on() refuses a route GitHub does not have', () => {
    const gh = githubApi();
    assert.throws(
      () => gh.on('GET /repos/{owner}/{repo}/comments/{id}', { data: {} }),
      /not a route of the GitHub REST API/,
    );
    gh.close();
  });

  test('paginated() serves pages that Octokit paginate follows to the end', async (t) => {
    const gh = githubApi(t);
    const items = Array.from({ length: 250 }, (_, i) => ({ id: i + 1 }));
    gh.on('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', (req) => paginated(req, items));
    const all = await client().paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'o',
      repo: 'r',
      issue_number: 1,
      per_page: 100,
    });
    assert.equal(all.length, 250);
    assert.deepEqual(
      gh.calls('GET /repos/{owner}/{repo}/issues/{issue_number}/comments').map((r) => r.query.page),
      [undefined, '2', '3'],
    );
  });

  test('a GitHub Enterprise base URL and branch refs with slashes are matched', async (t) => {
    const gh = githubApi(t, { baseUrl: 'https://ghe.example.com/api/v3' });
    gh.on('GET /repos/{owner}/{repo}/commits/{ref}', (req) => ({ data: { sha: 'f'.repeat(40), ref: req.params.ref } }));
    const { data } = await client(gh.baseUrl).request('GET /repos/{owner}/{repo}/commits/{ref}', {
      owner: 'o',
      repo: 'r',
      ref: 'release/2.x',
    });
    assert.equal((data as unknown as { ref: string }).ref, 'release/2.x');
  });

  test('githubError replies look like GitHub errors to Octokit', async (t) => {
    const gh = githubApi(t);
    gh.on(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      githubError(403, 'Resource not accessible by integration'),
    );
    await assert.rejects(
      client().request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: 'o',
        repo: 'r',
        issue_number: 1,
        body: 'hi',
      }),
      (error: { status: number; message: string }) =>
        error.status === 403 && error.message.includes('Resource not accessible by integration'),
    );
  });

  test('real network is refused while the fake is active; loopback stays open', async (t) => {
    githubApi(t);
    await assert.rejects(fetch('https://example.com/'), /Disallowed net connect|fetch failed/);
    const server = createServer((_req, res) => res.end('local'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const { port } = server.address() as AddressInfo;
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), 'local');
  });

  test('after done() the fake answers nothing: its interceptors are gone', async () => {
    const gh = githubApi();
    gh.on('GET /repos/{owner}/{repo}', { data: { id: 1 } });
    gh.done();
    await assert.rejects(
      client().request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' }),
      /No match for request|Disallowed net connect/,
    );
  });
});
