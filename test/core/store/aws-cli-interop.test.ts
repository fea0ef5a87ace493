/**
 * Interop with an independent client: the AWS CLI (Debian's awscli, installed by .ci/run) against
 * the same s3rver. What one writes, the other reads back byte for byte.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../../core/logger.ts';
import { openStore, type ObjectStore } from '../../../core/store/index.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';
import { collect } from './store-contract.ts';

const version = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const skip = version.status === 0 ? false : "the AWS CLI (`aws`) is not installed; .ci/run installs Debian's awscli";

let server: S3Server;
let work: string;
const stores: ObjectStore[] = [];
before(async () => {
  if (skip) return;
  server = await startS3Server();
  work = mkdtempSync(join(tmpdir(), 'cairn-aws-cli-'));
});
after(async () => {
  stores.forEach((store) => store.close());
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs `aws --endpoint-url <s3rver> ...` with only the settings it needs (no ~/.aws, no instance metadata). */
function aws(...args: string[]): Promise<string> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: work,
    AWS_ACCESS_KEY_ID: server.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: server.env.AWS_SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: server.env.AWS_REGION,
    AWS_CONFIG_FILE: join(work, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  return new Promise((resolve, reject) => {
    execFile(
      'aws',
      ['--endpoint-url', server.endpoint, ...args],
      { env, maxBuffer: 16 << 20 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`aws ${args.join(' ')}: ${stderr}`, { cause: error })) : resolve(stdout),
    );
  });
}

function store(prefix: string): ObjectStore {
  const opened = openStore(`s3://${server.bucket}/${prefix}`, { env: server.env, logger: silentLogger });
  stores.push(opened);
  return opened;
}

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const pseudoRandom = (size: number, seed: number) => {
  const bytes = Buffer.alloc(size);
  for (let i = 0, x = seed; i < size; i++) bytes[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return bytes;
};

test('data the AWS CLI uploaded in DVC 3 layout reads back byte-identical through the store', { skip }, async () => {
  const contents = [
    Buffer.from('foo'),
    Buffer.from('bar\r\nbaz\n'),
    Buffer.alloc(0),
    pseudoRandom(10 * 1024 * 1024 + 17, 1),
  ]; // the last is multipart for the CLI
  const local = join(work, 'dvc-remote');
  const keys = contents.map((bytes) => {
    const hash = md5(bytes);
    const key = `files/md5/${hash.slice(0, 2)}/${hash.slice(2)}`;
    mkdirSync(dirname(join(local, key)), { recursive: true });
    writeFileSync(join(local, key), bytes);
    return key;
  });
  await aws('s3', 'cp', '--recursive', '--only-show-errors', local, `s3://${server.bucket}/cli-dvc/`);
  const remote = store('cli-dvc');
  const listed = await collect(remote.list('files/md5/'));
  assert.deepEqual(listed.map((o) => o.key).sort(), [...keys].sort());
  for (const [i, key] of keys.entries()) {
    const bytes = await buffer(await remote.get(key));
    assert.ok(bytes.equals(contents[i]), key);
    assert.equal(md5(bytes), key.slice(10).replace('/', ''), 'the key is the md5 of the bytes');
    assert.equal(listed.find((o) => o.key === key)?.size, contents[i].length);
  }
  const big = contents[3];
  const range = { start: 8 * 1024 * 1024 - 3, end: 8 * 1024 * 1024 + 2 }; // across the CLI's first part boundary
  assert.ok((await buffer(await remote.get(keys[3], { range }))).equals(big.subarray(range.start, range.end + 1)));
});

test(
  'objects the store wrote (single and multipart) read back byte-identical with the AWS CLI, same sizes and ETags',
  { skip },
  async () => {
    const remote = store('ours');
    const objects: Record<string, Buffer> = {
      'small.txt': Buffer.from('written by cairn\n'),
      'dir with space/é.bin': pseudoRandom(70_000, 2),
      'models/churn/model.onnx': pseudoRandom(12 * 1024 * 1024 + 5, 3),
    };
    for (const [key, bytes] of Object.entries(objects)) {
      const body =
        bytes.length > 1 << 20 ? Readable.from([bytes.subarray(0, 5_000_000), bytes.subarray(5_000_000)]) : bytes;
      await remote.put(key, body, { size: bytes.length });
    }
    const out = join(work, 'download');
    await aws('s3', 'cp', '--recursive', '--only-show-errors', `s3://${server.bucket}/ours/`, out);
    for (const [key, bytes] of Object.entries(objects))
      assert.ok(readFileSync(join(out, ...key.split('/'))).equals(bytes), key);
    const listing = JSON.parse(
      await aws('s3api', 'list-objects-v2', '--bucket', server.bucket, '--prefix', 'ours/', '--output', 'json'),
    ) as { Contents: Array<{ Key: string; Size: number; ETag: string }> };
    for (const [key, bytes] of Object.entries(objects)) {
      const entry = listing.Contents.find((o) => o.Key === `ours/${key}`);
      assert.equal(entry?.Size, bytes.length, key);
      assert.equal(entry?.ETag.replace(/"/g, ''), (await remote.head(key))?.etag, key);
    }
  },
);
