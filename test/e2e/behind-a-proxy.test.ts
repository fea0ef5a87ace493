/**
 * A self-hosted runner or an app server in a company network reaches S3 and GitHub only through its
 * proxy. Each front door runs here as users run it (the built CLI, an action's bundle, the app's
 * server process) with HTTPS_PROXY / HTTP_PROXY set, against servers on loopback that are named by
 * hosts only the proxy can resolve (test/support/http-proxy.ts): a request that did not go through
 * the proxy fails with ENOTFOUND.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import examples from '@octokit/webhooks-examples';
import { sampleReport } from '../core/github/sample-report.ts';
import { CONFIG, fakeRepo, shaOf } from '../app/support/fake-repo.ts';
import { inputEnv, runBundledAction, runnerFiles } from '../support/action-runner.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { fakeCheckRuns, fakeIssueComments } from '../support/github-fakes.ts';
import { PROXY_ONLY_DOMAIN, startHttpProxy, type HttpProxy } from '../support/http-proxy.ts';
import { startS3Server, type S3Server } from '../support/s3-server.ts';
import { startAppProcess } from './support/app-process.ts';
import { startFakeGithub, type FakeGithub } from './support/fake-github.ts';

let proxy: HttpProxy;
before(async () => {
  proxy = await startHttpProxy();
});
after(() => proxy.close());

/** What the proxy carried since `from`, as `kind host:port`, once each. */
const carriedSince = (from: number) => [...new Set(proxy.carried.slice(from).map((c) => `${c.kind} ${c.target}`))];

describe('cairn pull from S3 behind a proxy', () => {
  let s3: S3Server;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.close());

  test('the pull goes through HTTPS_PROXY / HTTP_PROXY; with NO_PROXY naming the endpoint it goes direct', async () => {
    const project = tempDir('cairn-proxy-project-');
    mkdirSync(join(project, 'data'));
    writeFileSync(join(project, 'data', 'train.csv'), 'a,b\n1,2\n3,4\n');
    writeFileSync(join(project, 'data', 'weights.bin'), Buffer.alloc(50_000, 7));
    const uri = `s3://${s3.bucket}/behind-proxy`;
    const pushed = await runCli(['push', 'data', '--remote', uri], { cwd: project, env: s3.env });
    assert.equal(pushed.code, 0, pushed.stderr);

    const port = new URL(s3.endpoint).port;
    const host = `s3.${PROXY_ONLY_DOMAIN}:${port}`;
    const clone = tempDir('cairn-proxy-clone-');
    cpSync(join(project, 'data.dvc'), join(clone, 'data.dvc'));
    const from = proxy.carried.length;
    const env = { ...s3.env, AWS_ENDPOINT_URL: `http://${host}`, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url };
    const pulled = await runCli(['pull', 'data.dvc', '--remote', uri, '--no-cache', '--json'], { cwd: clone, env });
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.deepEqual(JSON.parse(pulled.stdout).downloaded, { files: 2, bytes: 50_012 });
    assert.deepEqual(readFileSync(join(clone, 'data', 'weights.bin')), Buffer.alloc(50_000, 7));
    assert.deepEqual(carriedSince(from), [`connect ${host}`]);

    const direct = tempDir('cairn-proxy-direct-');
    cpSync(join(project, 'data.dvc'), join(direct, 'data.dvc'));
    const before = proxy.carried.length;
    const bypassed = await runCli(['pull', 'data.dvc', '--remote', uri, '--no-cache'], {
      cwd: direct,
      env: { ...s3.env, https_proxy: proxy.url, http_proxy: proxy.url, no_proxy: `localhost,127.0.0.1:${port}` },
    });
    assert.equal(bypassed.code, 0, bypassed.stderr);
    assert.equal(readFileSync(join(direct, 'data', 'train.csv'), 'utf8'), 'a,b\n1,2\n3,4\n');
    assert.equal(proxy.carried.length, before, 'NO_PROXY named the endpoint, yet the proxy carried the pull');
  });
});

describe("an action's GitHub calls behind a proxy", () => {
  let github: FakeGithub;
  before(async () => {
    github = await startFakeGithub();
  });
  after(() => github.close());

  test('actions/report (dist/report.js) posts its comment and check run through the proxy', async () => {
    const repo = 'Codertocat/Hello-World';
    const comments = fakeIssueComments(github.gh, repo);
    const checks = fakeCheckRuns(github.gh, {}, repo);
    const event = structuredClone(
      (examples as unknown as Array<{ name: string; examples: Array<Record<string, unknown>> }>)
        .find((e) => e.name === 'pull_request')!
        .examples.find((e) => e.action === 'opened')!,
    );
    const runner = runnerFiles({ repository: repo, eventName: 'pull_request', event, sha: 'merge-commit-sha' });
    const metrics = join(runner.dir, 'metrics.json');
    writeFileSync(metrics, JSON.stringify(sampleReport({ name: 'churn' })));
    const host = `github.${PROXY_ONLY_DOMAIN}:${new URL(github.baseUrl).port}`;
    const from = proxy.carried.length;
    const env = {
      ...runner.env,
      GITHUB_API_URL: `http://${host}/api/v3`,
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
      ...inputEnv({ token: 'ghs_test', metrics, comment: 'true', check: 'true', config: join(runner.dir, 'none.yml') }),
    };
    const step = await runBundledAction(resolve('dist/report.js'), env, { cwd: runner.dir });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.equal(comments.on(event.number as number).length, 1);
    assert.equal(checks.runs.length, 1);
    assert.ok(github.gh.requests.length >= 3);
    for (const request of github.gh.requests)
      assert.equal(request.headers.host, host, `${request.method} ${request.url} did not come through ${host}`);
    assert.deepEqual(carriedSince(from), [`connect ${host}`]);
    assert.deepEqual(github.gh.violations, []);
  });
});

describe("the app's GitHub calls behind a proxy", () => {
  let github: FakeGithub;
  before(async () => {
    github = await startFakeGithub();
  });
  after(() => github.close());

  test(
    'the app server (dist/app.js) authenticates and records a registration through the proxy',
    { timeout: 60_000 },
    async () => {
      const repo = fakeRepo(github.gh);
      const sha = shaOf('proxied commit');
      repo.setConfig(CONFIG);
      repo.setConfig(CONFIG, sha);
      repo.addRecord(sha, sampleReport({ metrics: { ...sampleReport().metrics, f1: 0.8 } }));
      repo.addTag('churn@v1.0.0', sha);
      const host = `github.${PROXY_ONLY_DOMAIN}:${new URL(github.baseUrl).port}`;
      const from = proxy.carried.length;
      const app = await startAppProcess({ gheHost: host, env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } });
      try {
        const answer = await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
        assert.equal(answer.status, 200, answer.body + app.output());
      } finally {
        await app.stop();
      }
      assert.equal(repo.registryChecks(sha)[0]?.conclusion, 'success', app.output());
      assert.ok(
        github.gh.calls('POST /app/installations/{installation_id}/access_tokens').length >= 1,
        'the installation token came through the proxy',
      );
      assert.deepEqual(carriedSince(from), [`connect ${host}`]);
      assert.deepEqual(github.gh.violations, []);
    },
  );
});
