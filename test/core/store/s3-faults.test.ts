import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, before, beforeEach, describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { memoryLogger } from '../../../core/logger.ts';
import {
  MULTIPART_PART_SIZE,
  ObjectNotFoundError,
  openStore,
  PreconditionFailedError,
  type ObjectStore,
} from '../../../core/store/index.ts';
import { startFaultProxy, type Fault, type FaultProxy } from '../../support/fault-proxy.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';

let server: S3Server;
let proxy: FaultProxy;
let store: ObjectStore;
const logger = memoryLogger();
const payload = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 255));

before(async () => {
  server = await startS3Server();
  proxy = await startFaultProxy(server.endpoint);
  // Tiny delays: these tests are about which failures are retried, not how long the waits are. They
  // count the SDK's own attempts, so GETs go through its command (the direct path has its own tests below).
  store = openStore(`s3://${server.bucket}/faults`, {
    env: { ...server.env, AWS_ENDPOINT_URL: proxy.endpoint },
    logger,
    retry: { maxAttempts: 4, baseDelayMs: 2, throttleBaseDelayMs: 2 },
    directGet: false,
  });
  await store.put('payload', payload);
});
beforeEach(() => {
  proxy.reset();
  logger.lines.length = 0;
});
after(async () => {
  store.close();
  await proxy.close();
  await server.close();
});

const gets = () => proxy.requests.filter((r) => r.method === 'GET');

test('503 SlowDown is retried with backoff until the server answers', async () => {
  proxy.inject({ fault: { kind: 'slow-down' }, times: 3 });
  assert.ok((await buffer(await store.get('payload'))).equals(payload));
  assert.deepEqual(
    gets().map((r) => r.fault ?? 'ok'),
    ['slow-down', 'slow-down', 'slow-down', 'ok'],
  );
  assert.equal(logger.lines.filter((l) => /SlowDown, HTTP 503\); retry \d of 3/.test(l.message)).length, 3);
});

test('5xx answers and connections reset before an answer are retried, for reads and writes', async () => {
  proxy.inject(
    { fault: { kind: 'status', status: 500, code: 'InternalError' } },
    { fault: { kind: 'status', status: 504, code: 'GatewayTimeout' } },
    { fault: { kind: 'status', status: 507, code: 'InsufficientStorage' } },
  );
  await store.put('written', Buffer.from('survives'));
  assert.equal(proxy.pending(), 0);
  assert.equal(proxy.requests.length, 4);
  proxy.inject({ fault: { kind: 'reset' }, times: 3 });
  assert.equal((await buffer(await store.get('written'))).toString(), 'survives');
  assert.deepEqual(
    gets().map((r) => r.fault ?? 'ok'),
    ['reset', 'reset', 'reset', 'ok'],
  );
});

test('multipart parts are retried one by one', async () => {
  const big = Buffer.alloc(MULTIPART_PART_SIZE + 1000, 3);
  proxy.inject(
    { fault: { kind: 'slow-down' }, times: 2, match: (r) => /partNumber=2/.test(r.url) },
    { fault: { kind: 'reset' }, match: (r) => /partNumber=1/.test(r.url) },
  );
  await store.put('multi', Readable.from([big]), { size: big.length });
  assert.equal(proxy.pending(), 0);
  assert.ok((await buffer(await store.get('multi'))).equals(big));
});

test('errors the user must fix fail at once, without retries', async () => {
  proxy.inject({ fault: { kind: 'status', status: 403, code: 'AccessDenied' }, times: 5 });
  await assert.rejects(
    store.get('payload'),
    (error: unknown) => error instanceof UserError && /was refused \(AccessDenied, HTTP 403\)/.test(error.message),
  );
  assert.equal(proxy.requests.length, 1);
});

test('retries stop after maxAttempts with the last error', async () => {
  proxy.inject({ fault: { kind: 'slow-down' }, times: 10 });
  await assert.rejects(store.get('payload'), (error: unknown) => {
    assert.match(
      (error as Error).message,
      /faults\/payload: SlowDown, HTTP 503 \(gave up after 4 attempts\): Please reduce your request rate/,
    );
    return ((error as Error).cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 503;
  });
  assert.equal(proxy.requests.length, 4);
  proxy.reset();
  proxy.inject({ fault: { kind: 'slow-down' }, times: 10 });
  await assert.rejects(store.head('payload'), /faults\/payload: HTTP 503 \(gave up after 4 attempts\)$/);
});

for (const kind of ['reset-mid-body', 'truncate'] as const) {
  test(`a body cut off mid-way (${kind}) resumes with a ranged GET from the last byte received`, async () => {
    proxy.inject({ fault: { kind, afterBytes: 100_000 } });
    assert.ok((await buffer(await store.get('payload'))).equals(payload));
    const [first, second] = gets();
    assert.equal(first.fault, kind);
    const from = Number(/^bytes=(\d+)-299999$/.exec(String(second.headers.range))?.[1]);
    // A clean close delivers every byte sent; a reset may drop some still in the client's socket buffer.
    if (kind === 'truncate') assert.equal(from, 100_000);
    else assert.ok(from >= 0 && from <= 100_000, `resumed from ${second.headers.range}`);
    assert.equal(
      second.headers['if-match'],
      `"${(await store.head('payload'))?.etag}"`,
      'conditioned on the same version',
    );
  });
}

test('a ranged read resumes inside its range, and survives several cuts that make progress', async () => {
  proxy.inject({ fault: { kind: 'reset-mid-body', afterBytes: 10_000 }, times: 6 });
  const got = await buffer(await store.get('payload', { range: { start: 50_000, end: 199_999 } }));
  assert.ok(got.equals(payload.subarray(50_000, 200_000)));
  assert.equal(gets().length, 7);
  assert.ok(
    gets()
      .slice(1)
      .every((r) => /^bytes=\d+-199999$/.test(String(r.headers.range))),
  );
});

test('a body that keeps failing without progress errors the stream instead of ending it short', async () => {
  proxy.inject({ fault: { kind: 'reset-mid-body', afterBytes: 0 }, times: 50 });
  await assert.rejects(buffer(await store.get('payload')), /download kept failing \(ECONNRESET\) at byte 0/);
});

test('flipped bytes pass the transport unnoticed: content hashes are the only check (the pull engine verifies them)', async () => {
  proxy.inject({ fault: { kind: 'flip-byte', at: 12_345 } });
  const got = await buffer(await store.get('payload'));
  assert.equal(got.length, payload.length);
  assert.equal(got[12_345], payload[12_345] ^ 0xff);
  got[12_345] ^= 0xff;
  assert.ok(got.equals(payload), 'only that byte differs');
});

test('conditional writes send If-None-Match / If-Match and map 412 to PreconditionFailedError without retrying', async () => {
  await store.put('pointer', Buffer.from('v1'), { ifNoneMatch: '*' });
  assert.equal(proxy.requests.at(-1)?.headers['if-none-match'], '*');
  proxy.inject({ fault: { kind: 'status', status: 412, code: 'PreconditionFailed' } });
  await assert.rejects(
    store.put('pointer', Buffer.from('v2'), { ifMatch: 'abc' }),
    (error: unknown) => error instanceof PreconditionFailedError && /If-Match abc/.test(error.message),
  );
  assert.equal(proxy.requests.at(-1)?.headers['if-match'], '"abc"');
  assert.equal(proxy.requests.filter((r) => r.method === 'PUT').length, 2);
});

test('soak: 300 reads of 30 objects through random faults all deliver the exact bytes', async (t) => {
  // A quarter of all requests fail, so give each more attempts than the other tests do: with 4, a read
  // fails outright about once in 2,000 (15% of answers fail before the body: 0.15^4), and this test would flake.
  const soak = openStore(`s3://${server.bucket}/faults`, {
    env: { ...server.env, AWS_ENDPOINT_URL: proxy.endpoint },
    logger,
    retry: { maxAttempts: 10, baseDelayMs: 2, throttleBaseDelayMs: 2 },
  });
  t.after(() => soak.close());
  const objects = Array.from({ length: 30 }, (_, i) => payload.subarray(i * 1000, i * 1000 + 5_000 + i * 997));
  await Promise.all(objects.map((bytes, i) => soak.put(`soak/${i}`, bytes)));
  const faults: Fault[] = [
    { kind: 'slow-down' },
    { kind: 'reset' },
    { kind: 'reset-mid-body' },
    { kind: 'truncate' },
    { kind: 'status', status: 500, code: 'InternalError' },
  ];
  proxy.reset();
  proxy.injectRandomly({ rate: 0.25, faults, seed: 42 });
  const reads = Array.from({ length: 300 }, (_, i) => i % objects.length);
  for (let i = 0; i < reads.length; i += 30) {
    await Promise.all(
      reads.slice(i, i + 30).map(async (n) => {
        const got = await buffer(await soak.get(`soak/${n}`));
        assert.ok(got.equals(objects[n]), `object ${n}`);
      }),
    );
  }
  const injected = Object.values(proxy.injected).reduce((a, b) => a + b, 0);
  assert.ok(injected > 50, `faults injected: ${JSON.stringify(proxy.injected)}`);
});

test('a burst of failures across 100 parallel reads does not exhaust a shared retry budget', async () => {
  // The SDK's default strategy shares a 500-token retry quota per client; with these faults it
  // fails all 100 reads (measured with @aws-sdk/client-s3 3.1175). Each request here has its own attempts.
  proxy.inject({ fault: { kind: 'status', status: 500, code: 'InternalError' }, times: 150 });
  const results = await Promise.all(
    Array.from({ length: 100 }, async () =>
      (await buffer(await store.get('payload', { range: { start: 0, end: 999 } }))).equals(payload.subarray(0, 1000)),
    ),
  );
  assert.ok(results.every(Boolean));
  assert.equal(proxy.injected.status, 150);
});

describe('the direct GET path (see s3-direct-get.ts)', () => {
  let direct: ObjectStore;
  before(() => {
    direct = openStore(`s3://${server.bucket}/faults`, {
      env: { ...server.env, AWS_ENDPOINT_URL: proxy.endpoint },
      logger,
      retry: { maxAttempts: 4, baseDelayMs: 2, throttleBaseDelayMs: 2 },
    });
  });
  after(() => direct.close());
  // The SDK's command stack stamps every attempt with these headers; a direct GET has neither.
  const viaSdk = (r: { headers: Record<string, unknown> }) =>
    r.headers['amz-sdk-invocation-id'] !== undefined && r.headers['amz-sdk-request'] !== undefined;

  test('a GET that S3 answers with 200 or 206 is one signed request outside the command stack', async () => {
    assert.ok((await buffer(await direct.get('payload'))).equals(payload));
    assert.ok(
      (await buffer(await direct.get('payload', { range: { start: 10, end: 20 } }))).equals(payload.subarray(10, 21)),
    );
    assert.equal(gets().length, 2);
    assert.ok(
      gets().every(
        (r) =>
          !viaSdk(r) &&
          /^AWS4-HMAC-SHA256 Credential=S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=\S*host\S*, Signature=[0-9a-f]{64}$/.test(
            String(r.headers.authorization),
          ),
      ),
    );
    assert.equal(gets()[1].headers.range, 'bytes=10-20');
  });

  test('responses are read to their end, so 20 GETs in a row share one kept-alive connection', async () => {
    const fresh = openStore(`s3://${server.bucket}/faults`, {
      env: { ...server.env, AWS_ENDPOINT_URL: proxy.endpoint },
      logger,
    });
    try {
      for (let i = 0; i < 20; i++) {
        const range = i % 2 === 0 ? undefined : { start: 1_000, end: 1_999 };
        assert.equal((await buffer(await fresh.get('payload', { range }))).length, range ? 1_000 : payload.length);
      }
      assert.equal(gets().length, 20);
      assert.equal(proxy.connections, 1, 'a body abandoned before its end would close its connection');
    } finally {
      fresh.close();
    }
  });

  test('an error answer is asked again through the SDK, whose error the caller gets', async () => {
    proxy.inject({ fault: { kind: 'status', status: 403, code: 'AccessDenied' }, times: 2 });
    await assert.rejects(
      direct.get('payload'),
      (error: unknown) => error instanceof UserError && /was refused \(AccessDenied, HTTP 403\)/.test(error.message),
    );
    assert.deepEqual(gets().map(viaSdk), [false, true]);
    assert.equal(proxy.pending(), 0);
    await assert.rejects(direct.get('missing'), (error: unknown) => error instanceof ObjectNotFoundError);
  });

  test("503 SlowDown hands the GET to the SDK's backed-off retries and keeps later GETs there for a while", async () => {
    proxy.inject({ fault: { kind: 'slow-down' }, times: 3 });
    assert.ok((await buffer(await direct.get('payload'))).equals(payload));
    assert.deepEqual(
      gets().map((r) => `${viaSdk(r) ? 'sdk' : 'direct'} ${r.fault ?? 'ok'}`),
      ['direct slow-down', 'sdk slow-down', 'sdk slow-down', 'sdk ok'],
    );
    assert.ok((await buffer(await direct.get('payload'))).equals(payload));
    assert.ok(viaSdk(gets()[4]), 'paused after the 503');
  });

  test('a body cut off mid-way resumes with a ranged GET of the same version', async () => {
    const fresh = openStore(`s3://${server.bucket}/faults`, {
      env: { ...server.env, AWS_ENDPOINT_URL: proxy.endpoint },
      logger,
      retry: { maxAttempts: 4, baseDelayMs: 2, throttleBaseDelayMs: 2 },
    });
    try {
      proxy.inject({ fault: { kind: 'truncate', afterBytes: 100_000 } });
      assert.ok((await buffer(await fresh.get('payload'))).equals(payload));
      const [first, second] = gets();
      assert.equal(first.fault, 'truncate');
      assert.equal(second.headers.range, 'bytes=100000-299999');
      assert.match(String(second.headers['if-match']), /^"[0-9a-f]{32}"$/);
      assert.ok(!viaSdk(first) && !viaSdk(second));
    } finally {
      fresh.close();
    }
  });
});
