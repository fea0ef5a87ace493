import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { WEBHOOK_BODY_LIMIT } from '../../app/body-limit.ts';
import { startAppServer, type AppServer } from '../../app/http-server.ts';
import { createCairnLambda } from '../../app/lambda-handler.ts';
import { isUserError } from '../../core/errors.ts';
import { githubApi } from '../support/github-api.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { signBody, testProbot } from './support/probot.ts';

const V1 = shaOf('commit v1');

function seed(t: { after(fn: () => void): void }) {
  const gh = githubApi(t);
  const repo = fakeRepo(gh);
  repo.setConfig(CONFIG);
  repo.setConfig(CONFIG, V1);
  repo.addRecord(V1, sampleReport());
  repo.addHonouredTag('churn@v1.0.0', V1);
  repo.addTag('churn#production#1', V1);
  return { gh, repo };
}

async function signedHeaders(body: string, event = 'push', id = 'delivery-1') {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': id,
    'x-hub-signature-256': await signBody(body),
  };
}

describe('npm run app: the HTTP server', () => {
  let server: AppServer | undefined;
  const start = async () => {
    server = await startAppServer({ env: { PORT: '0', HOST: '127.0.0.1' }, probot: testProbot() });
    return server;
  };
  test.afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('GET /healthz answers 200; other paths 404', async () => {
    const { url } = await start();
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    assert.equal((await fetch(`${url}/healthz`, { method: 'POST' })).status, 405);
    assert.equal((await fetch(`${url}/nothing-here`)).status, 404);
    assert.equal((await fetch(`${url}/api/github/webhooks`)).status, 404);
  });

  test('a signed tag push is handled (200) and dispatches; a bad signature, missing headers or a malformed payload are 4xx with nothing done', async (t) => {
    const { gh, repo } = seed(t);
    const { url } = await start();
    const hook = `${url}/api/github/webhooks`;
    const body = JSON.stringify(repo.pushEvent('churn#production#1'));

    const forged = await fetch(hook, {
      method: 'POST',
      body,
      headers: { ...(await signedHeaders(body)), 'x-hub-signature-256': `sha256=${'1'.repeat(64)}` },
    });
    assert.equal(forged.status, 400);
    const unsigned = await fetch(hook, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'x' },
    });
    assert.equal(unsigned.status, 400);
    assert.match(await unsigned.text(), /Required headers missing: x-hub-signature-256/);
    const form = await fetch(hook, {
      method: 'POST',
      body,
      headers: { ...(await signedHeaders(body)), 'content-type': 'text/plain' },
    });
    assert.equal(form.status, 415);
    const malformedBody = JSON.stringify({ ref: 'refs/tags/churn#production#1' });
    const malformed = await fetch(hook, {
      method: 'POST',
      body: malformedBody,
      headers: await signedHeaders(malformedBody, 'push', 'delivery-0'),
    });
    assert.equal(malformed.status, 400);
    assert.match(await malformed.text(), /malformed push payload/);
    assert.deepEqual(gh.requests, []);

    const ok = await fetch(hook, { method: 'POST', body, headers: await signedHeaders(body) });
    assert.equal(ok.status, 200);
    assert.equal(repo.dispatches.length, 1);
    const again = await fetch(hook, { method: 'POST', body, headers: await signedHeaders(body) });
    assert.equal(again.status, 200);
    assert.equal(repo.dispatches.length, 1);
  });

  /** Sends headers only, declaring `bytes` of body, and waits (at most 5 s) for the answer. */
  const declareOnly = (url: string, path: string, bytes: number, headers: Record<string, string> = {}) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(bytes), ...headers },
        timeout: 5_000,
      });
      req
        .on('response', resolve)
        .on('error', reject)
        .on('timeout', () =>
          req.destroy(new Error(`no answer to ${path} while its body was not sent: the server waits to read it`)),
        );
      req.flushHeaders();
    });

  test('a body declared over 25 MiB is answered 413 before any of it is sent, on every route', async (t) => {
    const { gh } = seed(t);
    const { url } = await start();
    for (const path of ['/api/github/webhooks', '/healthz', '/nothing-here']) {
      const res = await declareOnly(url, path, WEBHOOK_BODY_LIMIT + 1);
      assert.equal(res.statusCode, 413, path);
      assert.equal(res.headers.connection, 'close');
      res.resume();
    }
    // With Expect: 100-continue the client is told before it sends anything.
    const expecting = await declareOnly(url, '/api/github/webhooks', 1 << 30, { expect: '100-continue' });
    assert.equal(expecting.statusCode, 413);
    assert.deepEqual(gh.requests, []);
  });

  test('a streamed body is cut off with the connection once it passes 25 MiB; a streamed signed delivery under it is handled', async (t) => {
    const { gh, repo } = seed(t);
    const { url } = await start();
    const chunk = Buffer.alloc(1 << 20, 0x20);
    const send = (path: string) =>
      new Promise<{ sent: number; status?: number }>((resolve) => {
        let sent = 0;
        let status: number | undefined;
        const req = request(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        });
        req.on('response', (res) => ((status = res.statusCode), res.resume()));
        req.on('error', () => resolve({ sent, status }));
        req.on('close', () => resolve({ sent, status }));
        // Keep writing while the server reads; stop at twice the limit (a server that never stops reading).
        const pump = () => {
          while (sent < 2 * WEBHOOK_BODY_LIMIT && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
    for (const path of ['/api/github/webhooks', '/nothing-here']) {
      const { sent, status } = await send(path);
      // What the kernel buffers on loopback is sent before the close is seen: a few MiB.
      assert.ok(sent < WEBHOOK_BODY_LIMIT + (16 << 20), `${path}: the server read ${sent >> 20} MiB`);
      if (status !== undefined) assert.equal(status, 413);
    }
    assert.deepEqual(gh.requests, []);

    const body = JSON.stringify(repo.pushEvent('churn#production#1'));
    const streamed = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body.slice(0, 100)));
        controller.enqueue(new TextEncoder().encode(body.slice(100)));
        controller.close();
      },
    });
    const ok = await fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      body: streamed,
      duplex: 'half',
      headers: await signedHeaders(body),
    } as RequestInit);
    assert.equal(ok.status, 200);
    assert.equal(repo.dispatches.length, 1);
  });

  test('refuses to start without APP_ID, a private key and WEBHOOK_SECRET, naming each', async () => {
    const error = await startAppServer({ env: { PORT: '0' } }).then(
      () => assert.fail('it started'),
      (e: unknown) => e,
    );
    assert.ok(isUserError(error));
    assert.match(error.message, /APP_ID must be/);
    assert.match(error.message, /PRIVATE_KEY \(the PEM text\) or PRIVATE_KEY_PATH/);
    assert.match(error.message, /WEBHOOK_SECRET must be set/);
    const badKey = await startAppServer({
      env: { PORT: '0', APP_ID: '1', PRIVATE_KEY: 'not a key', WEBHOOK_SECRET: 's' },
    }).then(
      () => assert.fail('it started'),
      (e: unknown) => e,
    );
    assert.match((badKey as Error).message, /PRIVATE_KEY \(or the file at PRIVATE_KEY_PATH\) is not a PEM private key/);
  });
});

describe('the Lambda entry', () => {
  test('a base64 body from a function URL is verified and handled; bad signatures and missing headers are 400, not a failed invocation', async (t) => {
    const { gh, repo } = seed(t);
    const handler = createCairnLambda(testProbot());
    const body = JSON.stringify(repo.pushEvent('churn#production#1'));
    const headers = await signedHeaders(body, 'push', 'lambda-1');

    const forged = await handler(
      {
        body,
        headers: { ...headers, 'X-Hub-Signature-256': `sha256=${'2'.repeat(64)}`, 'x-hub-signature-256': undefined },
      },
      {},
    );
    assert.equal(forged.statusCode, 400);
    assert.equal((await handler({ body, headers: { 'x-github-event': 'push' } }, {})).statusCode, 400);
    const malformedBody = '{"ref":"refs/tags/x@v1.0.0"}';
    const malformed = await handler(
      { body: malformedBody, headers: await signedHeaders(malformedBody, 'push', 'lambda-0') },
      {},
    );
    assert.equal(malformed.statusCode, 400);
    assert.deepEqual(gh.requests, []);

    const ok = await handler({ body: Buffer.from(body).toString('base64'), isBase64Encoded: true, headers }, {});
    assert.equal(ok.statusCode, 200);
    assert.equal(repo.dispatches.length, 1);
  });

  test('a body over 25 MiB is answered 413, plain or base64, before it is decoded or verified', async (t) => {
    const { gh } = seed(t);
    const handler = createCairnLambda(testProbot());
    const huge = ' '.repeat(WEBHOOK_BODY_LIMIT + 1);
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': 'lambda-big',
      'x-hub-signature-256': `sha256=${'3'.repeat(64)}`,
    };
    for (const event of [
      { body: huge, headers },
      { body: Buffer.from(huge).toString('base64'), isBase64Encoded: true, headers },
    ]) {
      const answer = await handler(event, {});
      assert.equal(answer.statusCode, 413);
      assert.match(answer.body, /larger than 26214400 bytes/);
    }
    assert.deepEqual(gh.requests, []);
  });
});
