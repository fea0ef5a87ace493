import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { memoryLogger, silentLogger } from '../../../core/logger.ts';
import { createDvcHasher, formatDvcFile, objectKey, readDvcPointers } from '../../../core/store/internal/dvc/index.ts';
import {
  FileStore,
  manifestHashOf,
  openStore,
  pullPointerFile,
  type GetOptions,
  type ObjectStore,
  type PullProgress,
} from '../../../core/store/index.ts';
import { partBytesFor } from '../../../core/store/internal/pull-file.ts';
import { userError } from '../../support/assertions.ts';
import { tempDir } from '../../support/cli.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';

const FIXTURES = 'test/fixtures/dvc';
const POINTERS = ['data.txt.dvc', 'foobar.dvc', 'legacy.dvc', 'dvc.lock'];

/** The fixture repo's pointer files in a fresh folder, and one file remote holding both layouts. */
function fixtureRepo(): { repo: string; remote: string } {
  const dir = tempDir('cairn-pull-');
  const repo = join(dir, 'repo');
  const remote = join(dir, 'remote');
  mkdirSync(repo);
  for (const name of POINTERS) cpSync(join(FIXTURES, 'repo', name), join(repo, name));
  cpSync(join(FIXTURES, 'remote-3x'), remote, { recursive: true });
  cpSync(join(FIXTURES, 'remote-2x'), remote, { recursive: true });
  return { repo, remote };
}

/** Every file under `dir` (relative path -> sha256), temp files included, so a leftover shows up. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length + 1)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return files;
}

/** The workspace fixture as pulled into the repo folder: every output, nothing else. */
function expectedWorkspace(): Record<string, string> {
  return tree(join(FIXTURES, 'workspace'));
}

/** A store that counts the GETs it serves. */
function counting(store: ObjectStore): ObjectStore & { gets: string[] } {
  const gets: string[] = [];
  return Object.assign(Object.create(store) as ObjectStore, {
    gets,
    get(key: string, options?: GetOptions) {
      gets.push(key);
      return store.get(key, options);
    },
  });
}

async function pullAll(repo: string, store: ObjectStore, cacheDir?: string) {
  const results = [];
  for (const name of POINTERS)
    results.push(await pullPointerFile(join(repo, name), { store, logger: silentLogger, cacheDir }));
  return results;
}

test('the fixture repo pulls from a file remote in both layouts, byte-identical to what DVC tracked', async () => {
  const { repo, remote } = fixtureRepo();
  const store = counting(new FileStore(remote));
  const results = await pullAll(repo, store);
  const pointers = Object.fromEntries(POINTERS.map((name) => [name, name]));
  assert.deepEqual(
    Object.fromEntries(Object.entries(tree(repo)).filter(([path]) => !(path in pointers))),
    expectedWorkspace(),
  );
  const [data, foobar, legacy, lock] = results;
  assert.deepEqual(
    { files: data.files, bytes: data.bytes, downloaded: data.downloaded.files, md5: data.outputs[0].md5 },
    { files: 1, bytes: 12, downloaded: 1, md5: 'fb49ede462d49d32bf45ca714501998e' },
  );
  assert.deepEqual(
    { files: foobar.files, bytes: foobar.bytes, isDir: foobar.outputs[0].isDir, path: foobar.outputs[0].path },
    { files: 2, bytes: 6, isDir: true, path: join(repo, 'foobar') },
  );
  assert.equal(legacy.files, 3, 'the 2.x folder, verified with md5-dos2unix');
  assert.deepEqual(lock.outputs.map((output) => output.relpath).sort(), ['metrics.json', 'model.bin', 'prepared']);
  assert.equal(foobar.manifestHash, manifestHashOf(await readDvcPointers(join(repo, 'foobar.dvc'))));
  assert.match(lock.manifestHash, /^[0-9a-f]{64}$/);
});

test('with a cache, a second pull reads nothing and a pull into a fresh clone reads nothing from the remote', async () => {
  const { repo, remote } = fixtureRepo();
  const cacheDir = join(tempDir(), 'cache');
  const store = counting(new FileStore(remote));
  await pullAll(repo, store, cacheDir);
  const firstGets = store.gets.length;
  assert.ok(firstGets >= 10, `every object fetched once (${firstGets})`);

  const again = await pullAll(repo, store, cacheDir);
  assert.equal(store.gets.length, firstGets, 'nothing fetched again');
  assert.equal(
    again.reduce((sum, result) => sum + result.unchanged.files, 0),
    10,
  );

  const clone = join(tempDir(), 'clone');
  mkdirSync(clone);
  for (const name of POINTERS) cpSync(join(repo, name), join(clone, name));
  const fromCache = await pullAll(clone, store, cacheDir);
  assert.equal(store.gets.length, firstGets, 'manifests and files come from the cache');
  assert.equal(
    fromCache.reduce((sum, result) => sum + result.fromCache.files, 0),
    10,
  );
  assert.deepEqual(tree(clone), tree(repo));
});

test('a file changed in the workspace is put back with force; a damaged cache entry is dropped and fetched again', async () => {
  const { repo, remote } = fixtureRepo();
  const cacheDir = join(tempDir(), 'cache');
  const store = counting(new FileStore(remote));
  await pullPointerFile(join(repo, 'data.txt.dvc'), { store, logger: silentLogger, cacheDir });
  const original = readFileSync(join(repo, 'data.txt'));

  // Replaced (a new file under the name, as editors save): the cached copy is untouched.
  rmSync(join(repo, 'data.txt'));
  writeFileSync(join(repo, 'data.txt'), 'edited by hand');
  const restored = await pullPointerFile(join(repo, 'data.txt.dvc'), {
    store,
    logger: silentLogger,
    cacheDir,
    force: true,
  });
  assert.deepEqual(readFileSync(join(repo, 'data.txt')), original);
  assert.equal(restored.fromCache.files, 1);

  // Rewritten in place after a download: the download was hard-linked into the cache, so the cached
  // copy changed too; the pull notices, drops it and downloads the file again.
  const relinked = join(tempDir(), 'relinked');
  mkdirSync(relinked);
  cpSync(join(repo, 'data.txt.dvc'), join(relinked, 'data.txt.dvc'));
  const freshCache = join(tempDir(), 'fresh-cache');
  await pullPointerFile(join(relinked, 'data.txt.dvc'), { store, logger: silentLogger, cacheDir: freshCache });
  const linked = join(freshCache, ...objectKey('fb49ede462d49d32bf45ca714501998e', '3.x').split('/'));
  assert.equal(
    statSync(linked).ino,
    statSync(join(relinked, 'data.txt')).ino,
    'one inode: no bytes copied into the cache',
  );
  writeFileSync(join(relinked, 'data.txt'), 'rewritten in place');
  const inPlace = memoryLogger();
  const again = await pullPointerFile(join(relinked, 'data.txt.dvc'), {
    store,
    logger: inPlace,
    cacheDir: freshCache,
    force: true,
  });
  assert.deepEqual(readFileSync(join(relinked, 'data.txt')), original);
  assert.equal(again.downloaded.files, 1);
  assert.ok(
    inPlace.lines.some(
      (line) => line.level === 'warn' && /edited in place through a workspace file linked to it/.test(line.message),
    ),
  );

  // Damage the cached copy.
  const cached = join(cacheDir, ...objectKey('fb49ede462d49d32bf45ca714501998e', '3.x').split('/'));
  rmSync(join(repo, 'data.txt'));
  rmSync(cached);
  writeFileSync(cached, 'damaged cache');
  const logger = memoryLogger();
  const gets = store.gets.length;
  const healed = await pullPointerFile(join(repo, 'data.txt.dvc'), { store, logger, cacheDir });
  assert.equal(healed.downloaded.files, 1);
  assert.equal(store.gets.length, gets + 1);
  assert.deepEqual(readFileSync(join(repo, 'data.txt')), original);
  assert.ok(
    logger.lines.some(
      (line) => line.level === 'warn' && /cached copy of data\.txt .* no longer matches its hash/.test(line.message),
    ),
  );
  assert.deepEqual(readFileSync(cached), original, 'the cache holds good bytes again');
});

test('without a cache, files already in place are hashed and kept, not downloaded', async () => {
  const { repo, remote } = fixtureRepo();
  const store = counting(new FileStore(remote));
  await pullAll(repo, store);
  const gets = store.gets.length;
  const results = await pullAll(repo, store);
  assert.equal(store.gets.length - gets, 3, 'only the three folder manifests are read again');
  assert.equal(
    results.reduce((sum, result) => sum + result.unchanged.files, 0),
    10,
  );
});

test("progress counts every file and byte; an executable file keeps its bit; a dead run's temp file is cleared", async () => {
  const dir = tempDir();
  const remote = new FileStore(join(dir, 'remote'));
  const body = randomBytes(3000);
  const md5 = createHash('md5').update(body).digest('hex');
  await remote.put(objectKey(md5, '3.x'), body);
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'tool.dvc'), formatDvcFile([{ path: 'tool', md5, size: body.length, isexec: true }]));
  const stale = join(repo, '.tool.cairn-999999999-0123456789ab.tmp');
  writeFileSync(stale, 'left by a killed pull');
  const seen: PullProgress[] = [];
  const result = await pullPointerFile(join(repo, 'tool.dvc'), {
    store: remote,
    logger: silentLogger,
    onProgress: (progress) => seen.push(progress),
  });
  assert.equal(result.bytes, 3000);
  const last = seen.at(-1)!;
  assert.deepEqual(
    {
      files: last.filesDone,
      of: last.filesTotal,
      bytes: last.bytesDone,
      total: last.bytesTotal,
      downloaded: last.bytesDownloaded,
    },
    { files: 1, of: 1, bytes: 3000, total: 3000, downloaded: 3000 },
  );
  assert.equal(statSync(join(repo, 'tool')).mode & 0o111, 0o111);
  assert.equal(existsSync(stale), false);
  assert.deepEqual(readdirSync(repo).sort(), ['tool', 'tool.dvc']);
});

test('a cancelled pull stops with a clear error: nothing when cancelled before, no temp file when cancelled during', async () => {
  const { repo, remote } = fixtureRepo();
  const before = new AbortController();
  before.abort();
  await assert.rejects(
    pullPointerFile(join(repo, 'foobar.dvc'), {
      store: new FileStore(remote),
      logger: silentLogger,
      signal: before.signal,
    }),
    userError(/cancelled; run it again/),
  );
  assert.deepEqual(readdirSync(repo).sort(), [...POINTERS].sort(), 'nothing written');

  const during = new AbortController();
  const pulling = pullPointerFile(join(repo, 'dvc.lock'), {
    store: new FileStore(remote),
    logger: silentLogger,
    jobs: 1,
    signal: during.signal,
    onProgress: () => during.abort(),
  });
  await assert.rejects(pulling, userError(/cancelled; run it again/));
  const left = tree(repo);
  assert.ok(
    Object.keys(left).every((path) => !path.includes('.cairn-')),
    `no temp file: ${Object.keys(left).join(', ')}`,
  );
  const expected = expectedWorkspace();
  for (const [path, hash] of Object.entries(left))
    if (!POINTERS.includes(path)) assert.equal(hash, expected[path], `${path} is whole`);
});

let server: S3Server;
let proxy: FaultProxy;
before(async () => {
  server = await startS3Server();
  proxy = await startFaultProxy(server.endpoint);
});
after(async () => {
  await proxy.close();
  await server.close();
});

test('on S3, a large object comes down as parallel ranged GETs of one version and verifies', async () => {
  const store = openStore(`s3://${server.bucket}/remote`, {
    env: { ...server.env, AWS_ENDPOINT_URL: proxy.endpoint },
    logger: silentLogger,
  });
  try {
    const body = randomBytes(1_000_003);
    const md5 = createHash('md5').update(body).digest('hex');
    await store.put(objectKey(md5, '3.x'), body);
    const repo = tempDir();
    writeFileSync(join(repo, 'big.bin.dvc'), formatDvcFile([{ path: 'big.bin', md5, size: body.length }]));
    proxy.reset();
    const result = await pullPointerFile(join(repo, 'big.bin.dvc'), {
      store,
      logger: silentLogger,
      largeObjectBytes: 256 << 10,
      partBytes: 100_000,
      jobs: 4,
    });
    assert.deepEqual(readFileSync(join(repo, 'big.bin')), body);
    assert.equal(result.downloaded.bytes, body.length);
    const ranged = proxy.requests.filter((request) => request.method === 'GET' && request.headers.range !== undefined);
    assert.equal(ranged.length, 11, 'ceil(1,000,003 / 100,000) parts');
    assert.ok(
      ranged.every((request) => typeof request.headers['if-match'] === 'string'),
      'every part is conditioned on the etag HEAD returned',
    );
    assert.deepEqual(readdirSync(repo).sort(), ['big.bin', 'big.bin.dvc']);
  } finally {
    store.close();
  }
});

test('a large DVC 2.x object (md5 of text-normalised blocks) comes down in parts and verifies', async () => {
  const store = openStore(`s3://${server.bucket}/remote`, {
    env: { ...server.env, AWS_ENDPOINT_URL: proxy.endpoint },
    logger: silentLogger,
  });
  try {
    const body = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `row,${i},${(i * 7919) % 10_007}\r\n`).join(''));
    const hasher = createDvcHasher('md5-dos2unix');
    hasher.update(body);
    const { md5 } = hasher.digest();
    assert.notEqual(md5, createHash('md5').update(body).digest('hex'), 'the CRLFs count');
    await store.put(objectKey(md5, '2.x'), body);
    const repo = tempDir();
    // A DVC 2.x pointer: no `hash: md5` line.
    writeFileSync(join(repo, 'rows.csv.dvc'), `outs:\n- md5: ${md5}\n  size: ${body.length}\n  path: rows.csv\n`);
    proxy.reset();
    const result = await pullPointerFile(join(repo, 'rows.csv.dvc'), {
      store,
      logger: silentLogger,
      largeObjectBytes: 256 << 10,
      partBytes: 100_000,
      jobs: 4,
    });
    assert.deepEqual(readFileSync(join(repo, 'rows.csv')), body, 'bytes as stored, CRLFs kept');
    assert.equal(result.downloaded.files, 1);
    assert.ok(
      proxy.requests.filter((request) => request.method === 'GET' && request.headers.range !== undefined).length > 1,
      'fetched in parts',
    );
  } finally {
    store.close();
  }
});

test('a large object is split to keep every part job busy, in parts of 8 to 64 MiB', () => {
  const MiB = 1 << 20;
  assert.equal(partBytesFor(1024 * MiB, 4), 64 * MiB, '1 GiB: 16 parts of the largest size');
  assert.equal(partBytesFor(100 * MiB, 4), 25 * MiB, '100 MiB: one part per job');
  assert.equal(partBytesFor(64 * MiB, 4), 16 * MiB);
  assert.equal(partBytesFor(20 * MiB, 4), 8 * MiB, 'never below 8 MiB');
});
