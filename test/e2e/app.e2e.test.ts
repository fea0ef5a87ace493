/**
 * The app as users run it: `node dist/app.js` in its own process, configured by its environment,
 * talking to a GitHub (a fake on loopback, every request checked against GitHub's OpenAPI
 * description) through GHE_HOST / GHE_PROTOCOL, and driven by signed webhooks over HTTP.
 * The story: a version is registered by a tag push, assigned to staging by another, the deploy
 * workflow is dispatched, the deployment's protection rule is approved for a version whose
 * evaluation passes the gate and rejected for one whose evaluation fails, and the deployment's
 * status reaches the registry issue. Probot's own throttling is on (as in production), so writes
 * are spaced about a second apart; the webhook answer still comes after the handlers finish.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { sampleReport } from '../core/github/sample-report.ts';
import { CONFIG, fakeRepo, shaOf, type FakeRepo } from '../app/support/fake-repo.ts';
import { FULL_NAME, protectionRulePayload, pushPayload, deploymentStatusPayload } from '../app/support/payloads.ts';
import { APP_ID, privateKey } from '../app/support/probot.ts';
import { startAppProcess, type AppProcess } from './support/app-process.ts';
import { startFakeGithub, type FakeGithub } from './support/fake-github.ts';

const V1 = shaOf('e2e commit v1');
const V2 = shaOf('e2e commit v2');
const TOKEN_ROUTE = 'POST /app/installations/{installation_id}/access_tokens';

function withF1(f1: number) {
  return sampleReport({ metrics: { ...sampleReport().metrics, f1 } });
}

/** Answers true when GitHub would accept this app JWT: RS256 over header.payload with the app's key, iss = app id. */
function validAppJwt(authorization: string | undefined): boolean {
  const [scheme, jwt] = (authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !jwt) return false;
  const [header, payload, signature] = jwt.split('.');
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    createPublicKey(privateKey()),
    Buffer.from(signature, 'base64url'),
  );
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown };
  return signed && String(claims.iss) === String(APP_ID);
}

describe('the app server as its own process, against a fake GitHub on loopback', { timeout: 120_000 }, () => {
  let fake: FakeGithub;
  let repo: FakeRepo;
  let app: AppProcess;

  before(async () => {
    fake = await startFakeGithub();
    repo = fakeRepo(fake.gh);
    repo.setConfig(CONFIG);
    repo.setConfig(CONFIG, V1);
    repo.setConfig(CONFIG, V2);
    repo.addRecord(V1, withF1(0.764)); // passes staging's gate (f1>=0.6)
    repo.addRecord(V2, withF1(0.41)); // fails it
    app = await startAppProcess({ gheHost: fake.host });
  });

  after(async () => {
    await app?.stop();
    await fake?.close();
  });

  test('a registration tag push gets a passing "cairn registry" check run, a release and the registry issue', async () => {
    repo.addTag('churn@v1.0.0', V1);
    const answer = await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
    assert.equal(answer.status, 200, answer.body);

    const [check] = repo.registryChecks(V1);
    assert.equal(check?.conclusion, 'success');
    assert.match(String(check.output.title), /^Registered churn v1\.0\.0 \(gate passed\)/);
    assert.deepEqual(
      repo.releases.map((r) => r.tag_name),
      ['churn@v1.0.0'],
    );
    assert.match(repo.releases[0].body, /f1/);
    assert.equal(repo.issues.length, 1);
    assert.match(repo.issues[0].body, /\| `churn` \| `v1\.0\.0` \|/);
  });

  test('the app authenticated as GitHub expects: an RS256 app JWT for the installation token, then that token', () => {
    const tokenRequests = fake.gh.calls(TOKEN_ROUTE);
    assert.ok(tokenRequests.length >= 1);
    for (const request of tokenRequests)
      assert.ok(validAppJwt(request.headers.authorization), `not a valid app JWT: ${request.headers.authorization}`);
    // GET /app (the app's own slug, once per process) is the app itself speaking: a JWT too.
    for (const request of fake.gh.calls('GET /app'))
      assert.ok(validAppJwt(request.headers.authorization), `not a valid app JWT: ${request.headers.authorization}`);
    const others = fake.gh.requests.filter((r) => r.route !== TOKEN_ROUTE && r.route !== 'GET /app');
    assert.ok(others.length > 0);
    for (const request of others)
      assert.equal(request.headers.authorization, 'token ghs_installation_token', `${request.method} ${request.url}`);
    assert.ok(
      others.every((r) => new URL(r.url).pathname.startsWith('/api/v3/')),
      'GHE_HOST puts the API under /api/v3',
    );
  });

  test('an assignment tag push dispatches the deploy workflow from the tag', async () => {
    repo.addTag('churn#staging#1', V1);
    const answer = await app.deliver('push', repo.pushEvent('churn#staging#1'), { id: 'assign-staging-1' });
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(repo.dispatches, [
      {
        workflow: 'deploy.yml',
        ref: 'churn#staging#1',
        inputs: { model: 'churn', version: 'v1.0.0', stage: 'staging', sha: V1 },
      },
    ]);
    assert.match(
      String(repo.registryChecks(V1, 'churn#staging#1')[0]?.output.title),
      /^Dispatched deploy\.yml for churn v1\.0\.0 to staging/,
    );
  });

  test('a replayed delivery (same X-GitHub-Delivery) dispatches nothing the second time', async () => {
    const before = fake.gh.requests.length;
    const answer = await app.deliver('push', repo.pushEvent('churn#staging#1'), { id: 'assign-staging-1' });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(repo.dispatches.length, 1);
    assert.equal(fake.gh.requests.length, before, 'a delivery id already handled makes no API call');
    assert.ok(await app.waitForLog('delivery assign-staging-1 (push) was handled already; skipping it'));
  });

  test('the protection rule approves the deployment of a version whose evaluation passes the gate', async () => {
    const payload = protectionRulePayload({ environment: 'staging', ref: 'churn#staging#1', sha: V1, runId: 555 });
    payload.deployment_callback_url = `${fake.baseUrl}/repos/${FULL_NAME}/actions/runs/555/deployment_protection_rule`;
    const answer = await app.deliver('deployment_protection_rule', payload);
    assert.equal(answer.status, 200, answer.body);
    assert.equal(repo.reviews.length, 1);
    assert.deepEqual(
      [repo.reviews[0].runId, repo.reviews[0].environment_name, repo.reviews[0].state],
      [555, 'staging', 'approved'],
    );
    assert.match(repo.reviews[0].comment, /^✅ Cairn approves `churn@v1\.0\.0` to `staging`\./);
  });

  test('and rejects one whose evaluation fails it', async () => {
    repo.addHonouredTag('churn@v1.1.0', V2);
    repo.addHonouredTag('churn#staging#2', V2);
    const payload = protectionRulePayload({ environment: 'staging', ref: 'churn#staging#2', sha: V2, runId: 556 });
    payload.deployment_callback_url = `${fake.baseUrl}/repos/${FULL_NAME}/actions/runs/556/deployment_protection_rule`;
    const answer = await app.deliver('deployment_protection_rule', payload);
    assert.equal(answer.status, 200, answer.body);
    const review = repo.reviews.find((r) => r.runId === 556);
    assert.equal(review?.state, 'rejected');
    assert.match(review.comment, /^❌ Cairn rejects `churn@v1\.1\.0` to `staging`\./);
    assert.match(review.comment, /f1>=0\.6/);
  });

  test('a deployment status lands in the registry issue', async () => {
    const answer = await app.deliver(
      'deployment_status',
      deploymentStatusPayload({ id: 7101, ref: 'churn#staging#1', sha: V1, environment: 'staging', state: 'success' }),
    );
    assert.equal(answer.status, 200, answer.body);
    assert.equal(repo.issues.length, 1, 'the registry issue is edited in place');
    assert.match(repo.issues[0].body, /\| staging \| ✅ success \| `churn#staging#1` \|/);
  });

  test('a delivery with a bad signature is refused with 400 and reaches no handler', async () => {
    const before = fake.gh.requests.length;
    const answer = await app.deliver('push', pushPayload('refs/tags/churn@v1.2.0'), {
      signature: `sha256=${'0'.repeat(64)}`,
    });
    assert.equal(answer.status, 400);
    assert.match(answer.body, /signature does not match/i);
    const unsigned = await fetch(`${app.url}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'x' },
      body: '{}',
    });
    assert.equal(unsigned.status, 400);
    assert.equal(fake.gh.requests.length, before, 'the fake GitHub saw no request');
  });

  test('every request the app sent is one GitHub would accept', () => {
    assert.deepEqual(fake.gh.violations, []);
    const errors = app.logged(50).filter((message) => !/signature does not match/.test(message));
    assert.deepEqual(errors, [], 'nothing but the refused signature was logged as an error');
  });
});
