import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, before, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { silentLogger } from '../../../core/logger.ts';
import { MULTIPART_PART_SIZE, openStore, type ObjectStore } from '../../../core/store/index.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';
import { collect, storeContract } from './store-contract.ts';

let server: S3Server;
let proxy: FaultProxy;
const stores: ObjectStore[] = [];
before(async () => {
  server = await startS3Server();
  proxy = await startFaultProxy(server.endpoint);
});
after(async () => {
  stores.forEach((store) => store.close());
  await proxy.close();
  await server.close();
});

function s3(uri: string, env: NodeJS.ProcessEnv = server.env): ObjectStore {
  const store = openStore(uri, { env, logger: silentLogger, retry: { baseDelayMs: 1, throttleBaseDelayMs: 1 } });
  stores.push(store);
  return store;
}

storeContract((root) => s3(`s3://${server.bucket}/contract/${root}`), { listsInOrder: false });

test('a body over the part size goes up in parallel parts (lib-storage) and reads back identical', async () => {
  const store = s3(`s3://${server.bucket}/multipart`, { ...server.env, AWS_ENDPOINT_URL: proxy.endpoint });
  const bytes = Buffer.alloc(2 * MULTIPART_PART_SIZE + 12345);
  for (let i = 0; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
  const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) =>
    bytes.subarray(i * 65536, (i + 1) * 65536),
  );
  proxy.reset();
  await store.put('big.bin', Readable.from(chunks), { size: bytes.length });
  const parts = proxy.requests.filter((r) => r.method === 'PUT' && /[?&]partNumber=\d+/.test(r.url));
  assert.equal(parts.length, 3, 'three UploadPart requests');
  assert.ok(
    proxy.requests.some((r) => r.method === 'POST' && r.url.includes('uploads')),
    'CreateMultipartUpload',
  );
  assert.equal((await store.head('big.bin'))?.size, bytes.length);
  const back = await buffer(await store.get('big.bin'));
  assert.equal(createHash('sha256').update(back).digest('hex'), createHash('sha256').update(bytes).digest('hex'));
  // A large Buffer takes the same path.
  proxy.reset();
  await store.put('big-buffer.bin', bytes);
  assert.equal(proxy.requests.filter((r) => /[?&]partNumber=\d+/.test(r.url)).length, 3);
  assert.ok(
    (
      await buffer(
        await store.get('big-buffer.bin', { range: { start: MULTIPART_PART_SIZE - 5, end: MULTIPART_PART_SIZE + 4 } }),
      )
    ).equals(bytes.subarray(MULTIPART_PART_SIZE - 5, MULTIPART_PART_SIZE + 5)),
  );
});

test('ranged gets send Range: bytes=a-b', async () => {
  const store = s3(`s3://${server.bucket}/range-header`, { ...server.env, AWS_ENDPOINT_URL: proxy.endpoint });
  await store.put('r', Buffer.from('0123456789'));
  proxy.reset();
  assert.equal((await buffer(await store.get('r', { range: { start: 2, end: 5 } }))).toString(), '2345');
  assert.equal((await buffer(await store.get('r', { range: { start: 7 } }))).toString(), '789');
  assert.deepEqual(
    proxy.requests.map((r) => r.headers.range),
    ['bytes=2-5', 'bytes=7-'],
  );
});

test('listing pages past 1,000 keys (s3rver needs the legacy OpenSSL provider for this)', async () => {
  const store = s3(`s3://${server.bucket}/many`);
  const keys = Array.from(
    { length: 1234 },
    (_, i) => `files/md5/${String(i % 256).padStart(3, '0')}/${String(i).padStart(6, '0')}`,
  );
  const sink = s3(`s3://${server.bucket}/many-sibling`);
  await sink.put('files/md5/000/x', Buffer.from('x')); // a neighbouring prefix that must not be listed
  for (let i = 0; i < keys.length; i += 64)
    await Promise.all(keys.slice(i, i + 64).map((key) => store.put(key, Buffer.from(key))));
  const listed = await collect(store.list());
  assert.equal(listed.length, 1234);
  assert.deepEqual(
    listed.map((o) => o.key),
    [...keys].sort(),
  );
  assert.ok(listed.every((o) => o.size === o.key.length));
  assert.equal((await collect(store.list('files/md5/01'))).length, 50); // "010".."019": i % 256 in 10..19, five times below 1,234
});

test('keys live under the URI prefix in the bucket', async () => {
  const store = s3(`s3://${server.bucket}/team/data/`);
  await store.put('a.txt', Buffer.from('a'));
  const root = s3(`s3://${server.bucket}`);
  assert.equal((await root.head('team/data/a.txt'))?.size, 1);
  assert.equal(store.uriOf('a.txt'), `s3://${server.bucket}/team/data/a.txt`);
});

test('a missing bucket and refused credentials are UserErrors that say what to check', async () => {
  const missing = s3('s3://no-such-bucket/x');
  await assert.rejects(
    collect(missing.list()),
    (error: unknown) =>
      error instanceof UserError &&
      /bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+/.test(error.message),
  );
  await assert.rejects(
    missing.get('k'),
    (error: unknown) => error instanceof UserError && /no-such-bucket/.test(error.message),
  );
  const wrongKeys = s3(`s3://${server.bucket}/x`, { ...server.env, AWS_ACCESS_KEY_ID: 'NOT-A-KEY' }); // s3rver checks key ids, not SigV4 signatures
  await assert.rejects(
    wrongKeys.put('k', Buffer.from('x')),
    (error: unknown) =>
      error instanceof UserError &&
      /access to s3:\/\/cairn-test\/x\/k was refused \(InvalidAccessKeyId, HTTP 403\)/.test(error.message) &&
      /AWS_ACCESS_KEY_ID/.test(error.message),
  );
});

test('an endpoint that does not answer is a UserError naming it (after the retries)', async () => {
  const closed = await startFaultProxy('http://127.0.0.1:9');
  await closed.close();
  const store = s3(`s3://${server.bucket}/x`, {
    ...server.env,
    AWS_ENDPOINT_URL: closed.endpoint,
    AWS_MAX_ATTEMPTS: '2',
  });
  await assert.rejects(
    store.head('k'),
    (error: unknown) =>
      error instanceof UserError &&
      error.message.includes(`cannot reach ${closed.endpoint}`) &&
      /ECONNREFUSED/.test(error.message),
  );
});
