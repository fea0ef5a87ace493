/**
 * The contract core/store/internal/s3-direct-get.ts keeps with the AWS SDK it was checked against: on a real
 * S3-compatible server, a direct GET gives the same bytes, ETag, length and range as the SDK's
 * GetObjectCommand, and what the SDK answers with an error (a missing key, a range past the end) the
 * direct path leaves to the SDK, so a store reports the same error either way. The path reads the
 * S3 client's resolved config and @smithy internals; an SDK upgrade that moves them would make it
 * fall back silently, so each case also checks that the direct path was taken, and the versions it
 * was checked against are pinned here: an upgrade fails the last test until this file and
 * `npx tsx bench/pull/direct-get.bench.ts` have been rerun on it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buffer } from 'node:stream/consumers';
import { after, before, test } from 'node:test';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { silentLogger } from '../../../core/logger.ts';
import { createS3Client, ObjectNotFoundError, openStore, type ObjectStore } from '../../../core/store/index.ts';
import { DirectGetter } from '../../../core/store/internal/s3-direct-get.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';

/** The SDK packages s3-direct-get.ts imports or reads the resolved config of, as last checked. */
const CHECKED_AGAINST = { '@aws-sdk/client-s3': '3.1175.0', '@smithy/core': '3.41.1', '@smithy/signature-v4': '5.7.5' };

let server: S3Server;
let client: ReturnType<typeof createS3Client>['client'];
const objects = new Map<string, Buffer>([
  ['small.bin', randomBytes(50_000)],
  ["my data/a+b=c!(x)*'~ ünï.csv", Buffer.from('id,label\n1,0\n')],
  ['empty', Buffer.alloc(0)],
  ['large.bin', randomBytes(3 << 20)],
]);

before(async () => {
  server = await startS3Server();
  ({ client } = createS3Client({ env: server.env, logger: silentLogger }));
  for (const [Key, Body] of objects) await client.send(new PutObjectCommand({ Bucket: server.bucket, Key, Body }));
});
after(async () => {
  client.destroy();
  await server.close();
});

async function sdkGet(Key: string, Range?: string, IfMatch?: string) {
  const out = await client.send(new GetObjectCommand({ Bucket: server.bucket, Key, Range, IfMatch }));
  return {
    bytes: Buffer.from(await out.Body!.transformToByteArray()),
    etag: out.ETag,
    length: out.ContentLength,
    range: out.ContentRange,
  };
}

test('a direct GET gives the bytes, ETag and length GetObjectCommand gives', async () => {
  const direct = new DirectGetter(client, server.bucket);
  for (const [key, body] of objects) {
    const sdk = await sdkGet(key);
    const ours = await direct.get(key, {});
    assert.ok(ours, `the direct path was taken for ${JSON.stringify(key)}`);
    assert.ok((await buffer(ours.body)).equals(body), key);
    assert.ok(sdk.bytes.equals(body), key);
    assert.deepEqual({ etag: ours.etag, length: ours.contentLength }, { etag: sdk.etag, length: sdk.length }, key);
  }
});

test('a ranged GET with If-Match gives the range and Content-Range GetObjectCommand gives', async () => {
  const direct = new DirectGetter(client, server.bucket);
  const { etag } = await sdkGet('large.bin');
  const sdk = await sdkGet('large.bin', 'bytes=1000-1048575', etag);
  const ours = await direct.get('large.bin', { range: 'bytes=1000-1048575', ifMatch: etag });
  assert.ok(ours, 'the direct path was taken');
  const bytes = await buffer(ours.body);
  assert.ok(bytes.equals(sdk.bytes));
  assert.ok(bytes.equals(objects.get('large.bin')!.subarray(1000, 1048576)));
  assert.deepEqual({ length: ours.contentLength, range: ours.contentRange }, { length: sdk.length, range: sdk.range });
});

test('a missing key and a range past the end are left to the SDK: the store reports the same errors either way', async () => {
  const direct = new DirectGetter(client, server.bucket);
  assert.equal(await direct.get('no/such/key', {}), undefined);
  await assert.rejects(sdkGet('no/such/key'), { name: 'NoSuchKey' });
  assert.equal(await direct.get('small.bin', { range: 'bytes=60000-60010' }), undefined);
  await assert.rejects(sdkGet('small.bin', 'bytes=60000-60010'), { name: 'InvalidRange' });

  const stores: ObjectStore[] = [true, false].map((directGet) =>
    openStore(`s3://${server.bucket}`, { env: server.env, logger: silentLogger, directGet }),
  );
  try {
    for (const store of stores) {
      await assert.rejects(
        store.get('no/such/key'),
        (error: Error) => error instanceof ObjectNotFoundError && error.message.includes('no/such/key'),
      );
      assert.ok(
        (await buffer(await store.get('small.bin', { range: { start: 10, end: 19 } }))).equals(
          objects.get('small.bin')!.subarray(10, 20),
        ),
      );
    }
  } finally {
    for (const store of stores) store.close();
  }
});

test('the installed SDK is the one s3-direct-get.ts was checked against', () => {
  const require = createRequire(import.meta.url);
  const lock = JSON.parse(readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  for (const [name, checked] of Object.entries(CHECKED_AGAINST)) {
    const installed = (require(`${name}/package.json`) as { version: string }).version;
    const locked = lock.packages[`node_modules/${name}`]?.version;
    const advice = `s3-direct-get.ts was checked against ${name} ${checked}: rerun this file and bench/pull/direct-get.bench.ts on the new version, then update CHECKED_AGAINST`;
    assert.equal(locked, checked, `package-lock.json: ${advice}`);
    assert.equal(installed, checked, `node_modules: ${advice}`);
  }
});
