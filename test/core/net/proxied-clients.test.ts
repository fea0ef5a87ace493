/**
 * The clients core/net builds, against a real proxy on loopback (test/support/http-proxy.ts): a host
 * only the proxy can resolve is reached through it, and a host NO_PROXY names is reached directly,
 * with the proxy carrying nothing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Agent, type Server } from 'node:http';
import { createServer as createTlsServer, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createOctokit } from '../../../core/github/octokit.ts';
import { silentLogger } from '../../../core/logger.ts';
import { nodeAgents, proxiedFetch } from '../../../core/net/index.ts';
import { createS3Client } from '../../../core/store/index.ts';
import { DirectGetter } from '../../../core/store/internal/s3-direct-get.ts';
import { PROXY_ONLY_DOMAIN, startHttpProxy, type HttpProxy } from '../../support/http-proxy.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';

let proxy: HttpProxy;
let server: Server;
let port: number;
const seen: string[] = [];

before(async () => {
  proxy = await startHttpProxy();
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.headers.host}${req.url}`);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ full_name: 'acme/churn', via: req.headers.host }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ({ port } = server.address() as AddressInfo);
});
after(async () => {
  await proxy.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('proxiedFetch', () => {
  test('without a proxy variable there is nothing to wrap: the caller keeps its fetch', () => {
    assert.equal(proxiedFetch({ NO_PROXY: 'example.com' }), undefined);
  });

  test('a host only the proxy can resolve is reached through it (a CONNECT tunnel)', async () => {
    const fetch = proxiedFetch({ HTTP_PROXY: proxy.url })!;
    const before = proxy.carried.length;
    const answer = await fetch(`http://api.cairn-proxy.test:${port}/repos/acme/churn`);
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { via: string }).via, `api.cairn-proxy.test:${port}`);
    assert.deepEqual(proxy.carried.slice(before), [{ kind: 'connect', target: `api.cairn-proxy.test:${port}` }]);
  });

  test('lower-case http_proxy is honoured', async () => {
    const answer = await proxiedFetch({ http_proxy: proxy.url })!(`http://lower.cairn-proxy.test:${port}/`);
    assert.equal(answer.status, 200);
    assert.ok(proxy.hosts().includes('lower.cairn-proxy.test'));
  });

  test('a host NO_PROXY names goes direct: the server answers and the proxy carried nothing', async () => {
    for (const noProxy of ['127.0.0.1', `127.0.0.1:${port}`, '*', 'localhost, 127.0.0.0/8']) {
      const before = proxy.carried.length;
      const answer = await proxiedFetch({ HTTP_PROXY: proxy.url, no_proxy: noProxy })!(
        `http://127.0.0.1:${port}/direct`,
      );
      assert.equal(answer.status, 200, noProxy);
      assert.equal(proxy.carried.length, before, `NO_PROXY=${noProxy} still went through the proxy`);
    }
    // The same request without NO_PROXY is proxied: loopback gets no silent exception.
    const before = proxy.carried.length;
    await (await proxiedFetch({ HTTP_PROXY: proxy.url })!(`http://127.0.0.1:${port}/proxied`)).text();
    assert.equal(proxy.carried.length, before + 1);
  });

  test('a NO_PROXY host that does not resolve fails as a direct request would (ENOTFOUND), not through the proxy', async () => {
    const before = proxy.carried.length;
    const fetch = proxiedFetch({ HTTP_PROXY: proxy.url, NO_PROXY: '.cairn-proxy.test' })!;
    await assert.rejects(fetch(`http://api.cairn-proxy.test:${port}/`), (error: Error) =>
      /ENOTFOUND|getaddrinfo/.test(String((error.cause as Error | undefined)?.message ?? error.message)),
    );
    assert.equal(proxy.carried.length, before);
  });

  test('an Octokit made by createOctokit with it sends its requests through the proxy', async () => {
    const octokit = createOctokit({
      auth: 'ghs_test',
      baseUrl: `http://github.cairn-proxy.test:${port}/api/v3`,
      retries: 0,
      throttle: false,
      fetch: proxiedFetch({ HTTP_PROXY: proxy.url }),
    });
    const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'churn' });
    assert.equal(data.full_name, 'acme/churn');
    assert.ok(seen.includes(`GET github.cairn-proxy.test:${port}/api/v3/repos/acme/churn`));
  });
});

describe('the S3 client behind a proxy', () => {
  let s3: S3Server;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.close());
  const s3Port = () => new URL(s3.endpoint).port;

  test('an endpoint only the proxy can resolve is reached through HTTP_PROXY, the direct GET path included', async () => {
    const env = { ...s3.env, AWS_ENDPOINT_URL: `http://s3.cairn-proxy.test:${s3Port()}`, HTTP_PROXY: proxy.url };
    const { client } = createS3Client({ env, logger: silentLogger, retry: { maxAttempts: 1 } });
    const before = proxy.carried.length;
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'proxied/a.txt', Body: 'through the proxy' }));
    const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'proxied/a.txt' }));
    assert.equal(await got.Body!.transformToString(), 'through the proxy');
    // The store's GET without the SDK's command stack sends through the client's handler, so through the proxy too.
    const direct = await new DirectGetter(client, s3.bucket).get('proxied/a.txt', {});
    assert.ok(direct, 'the direct GET was answered');
    assert.equal(Buffer.concat(await direct.body.toArray()).toString(), 'through the proxy');
    const carried = proxy.carried.slice(before);
    assert.ok(carried.length >= 1);
    assert.deepEqual(
      new Set(carried.map((c) => `${c.kind} ${c.target}`)),
      new Set([`connect s3.cairn-proxy.test:${s3Port()}`]),
    );
    client.destroy();
  });

  test('more transfers than sockets all complete, over at most maxSockets kept-alive tunnels', async () => {
    const env = { ...s3.env, AWS_ENDPOINT_URL: `http://s3.cairn-proxy.test:${s3Port()}`, http_proxy: proxy.url };
    const { client } = createS3Client({ env, logger: silentLogger, retry: { maxAttempts: 1 }, maxSockets: 2 });
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'proxied/many.txt', Body: 'many' }));
    const before = proxy.carried.length;
    const bodies = await Promise.all(
      Array.from({ length: 20 }, async () =>
        (
          await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'proxied/many.txt' }))
        ).Body!.transformToString(),
      ),
    );
    assert.deepEqual(new Set(bodies), new Set(['many']));
    assert.ok(proxy.carried.length - before <= 2, `${proxy.carried.length - before} tunnels for 2 sockets`);
    client.destroy();
  });

  test('an endpoint NO_PROXY names is reached directly', async () => {
    const env = { ...s3.env, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' };
    const { client } = createS3Client({ env, logger: silentLogger, retry: { maxAttempts: 1 } });
    const before = proxy.carried.length;
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'direct/b.txt', Body: 'direct' }));
    assert.equal(proxy.carried.length, before);
    client.destroy();
  });
});

/** A self-signed certificate for `host`, or undefined where there is no openssl to make one. */
function selfSignedCertificate(host: string): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        `/CN=${host}`,
        '-addext',
        `subjectAltName=DNS:${host}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('node agents to an https:// endpoint (S3 itself)', () => {
  test("HTTPS_PROXY tunnels the request and TLS runs end to end: the certificate checked is the endpoint's", async (t) => {
    const host = `s3.${PROXY_ONLY_DOMAIN}`;
    const tls = selfSignedCertificate(host);
    if (!tls) return t.skip('openssl is not installed');
    const server = createTlsServer(tls, (req, res) => res.writeHead(200).end(`tls ${req.headers.host}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tlsPort = (server.address() as AddressInfo).port;
    const { httpsAgent } = nodeAgents({ HTTPS_PROXY: proxy.url }, { keepAlive: true, maxSockets: 4 });
    try {
      const before = proxy.carried.length;
      const get = () =>
        new Promise<string>((resolve, reject) => {
          const req = httpsRequest(
            { host, port: tlsPort, path: '/bucket/key', ca: tls.cert, agent: httpsAgent as Agent },
            (res) => {
              let body = '';
              res.on('data', (chunk: Buffer) => (body += chunk));
              res.on('end', () => resolve(body));
            },
          );
          req.on('error', reject);
          req.end();
        });
      assert.equal(await get(), `tls ${host}:${tlsPort}`);
      assert.equal(await get(), `tls ${host}:${tlsPort}`);
      assert.deepEqual(
        proxy.carried.slice(before),
        [{ kind: 'connect', target: `${host}:${tlsPort}` }],
        'one kept-alive tunnel for both',
      );
    } finally {
      (httpsAgent as Agent).destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
