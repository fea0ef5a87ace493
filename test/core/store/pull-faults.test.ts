/**
 * The pull engine through a faulty network: a loopback proxy between the S3 client and s3rver
 * throttles (503 SlowDown, alone and in bursts), resets connections mid-body, ends bodies early and
 * flips bytes. Whatever happens, a pull ends with every file correct, or with a UserError and only
 * verified files under their real names: never a corrupt or partial file, never a temp file left.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { silentLogger } from '../../../core/logger.ts';
import { buildDirManifest, formatDvcFile, objectKey } from '../../../core/store/internal/dvc/index.ts';
import {
  openStore,
  pullPointerFile,
  type ObjectStore,
  type PullOptions,
  type PullResult,
} from '../../../core/store/index.ts';
import { tempDir } from '../../support/cli.ts';
import {
  startFaultProxy,
  type Fault,
  type FaultKind,
  type FaultProxy,
  type ProxiedRequest,
} from '../../support/fault-proxy.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';
import { seededRandom } from '../../support/seeded-random.ts';

const POINTER = 'data.dvc';
/** Small thresholds so the big file takes the parallel ranged-GET path (10 parts) under faults too. */
const sizes: Pick<PullOptions, 'largeObjectBytes' | 'partBytes'> = { largeObjectBytes: 256 << 10, partBytes: 64 << 10 };
/** Few, short retries: the test is about what a pull leaves behind when they run out, not about waiting. */
const retry = { maxAttempts: 3, baseDelayMs: 1, throttleBaseDelayMs: 2, maxDelayMs: 10 };

let server: S3Server;
let proxy: FaultProxy;
let remote: ObjectStore;
let work: string;
/** Workspace path (relative, POSIX) -> the bytes the pull must put there. */
const dataset = new Map<string, Buffer>();
let pointerText: string;
let folderEntries: string[];
let bigKey: string;

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

function pseudoRandomBytes(size: number, random: () => number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

before(async () => {
  server = await startS3Server();
  proxy = await startFaultProxy(server.endpoint);
  work = tempDir('cairn-pull-faults-');
  const env = { ...server.env, AWS_ENDPOINT_URL: proxy.endpoint };
  remote = openStore(`s3://${server.bucket}/dvc`, { env, logger: silentLogger, retry });

  // 60 small files in nested folders (one empty), and one file big enough for ranged GETs; pushed in
  // DVC 3 layout straight to the server, not through the proxy.
  const random = seededRandom(2024);
  const entries: Array<{ relpath: string; md5: string }> = [];
  for (let i = 0; i < 60; i++) {
    const relpath = `part-${i % 4}/${i % 3 === 0 ? 'deep/' : ''}file-${String(i).padStart(2, '0')}.bin`;
    const bytes = i === 7 ? Buffer.alloc(0) : pseudoRandomBytes(1 + Math.floor(random() * 24_000), random);
    entries.push({ relpath, md5: md5(bytes) });
    dataset.set(`data/${relpath}`, bytes);
  }
  const big = pseudoRandomBytes((600 << 10) + 123, random);
  dataset.set('big.bin', big);
  bigKey = objectKey(md5(big), '3.x');
  const manifest = buildDirManifest(entries);
  folderEntries = entries.map((entry) => `data/${entry.relpath}`).sort(); // the order the pull takes them in

  const direct = openStore(`s3://${server.bucket}/dvc`, { env: server.env, logger: silentLogger });
  try {
    await Promise.all(
      entries.map((entry) => direct.put(objectKey(entry.md5, '3.x'), dataset.get(`data/${entry.relpath}`)!)),
    );
    await direct.put(bigKey, big);
    await direct.put(objectKey(manifest.id, '3.x'), Buffer.from(manifest.text));
  } finally {
    direct.close();
  }
  const folderBytes = entries.reduce((sum, entry) => sum + dataset.get(`data/${entry.relpath}`)!.length, 0);
  pointerText = formatDvcFile([
    { path: 'data', md5: manifest.id, size: folderBytes, nfiles: entries.length },
    { path: 'big.bin', md5: md5(big), size: big.length },
  ]);
});

after(async () => {
  remote?.close();
  await proxy?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function newWorkspace(name: string): string {
  const workspace = join(work, name);
  mkdirSync(workspace);
  writeFileSync(join(workspace, POINTER), pointerText);
  return workspace;
}

/** Every file under `root`, relative and POSIX, the pointer file left out. */
function filesIn(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => path !== POINTER)
    .sort();
}

const isTemp = (path: string) => /(^|\/)\.[^/]+\.cairn-[^/]*\.tmp$/.test(path);

/**
 * What a user may find after a pull: with `complete`, exactly the dataset; otherwise a subset of it.
 * Either way every file under a real name holds exactly its bytes, and no temp file is left.
 */
function checkWorkspace(workspace: string, complete: boolean): number {
  const present = filesIn(workspace);
  assert.deepEqual(present.filter(isTemp), [], 'no temp file is left behind');
  for (const path of present) {
    const expected = dataset.get(path);
    assert.ok(expected, `${path} is not part of the dataset`);
    assert.ok(readFileSync(join(workspace, path)).equals(expected), `${path} holds exactly its bytes`);
  }
  if (complete) assert.deepEqual(present, [...dataset.keys()].sort(), 'every file is in place');
  return present.length;
}

/** A clean failure: a UserError that says which file or which remote object it is about. */
function checkCleanFailure(error: unknown): void {
  assert.ok(
    error instanceof UserError,
    `a failed pull rejects with a UserError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
  );
  assert.match(
    error.message,
    /data\/part-\d|big\.bin|s3:\/\/cairn-test\/dvc\//,
    `the message names a file or the remote: ${error.message}`,
  );
}

/** The request's path, without the query the SDK adds (`?x-id=GetObject`). */
const pathOf = (request: ProxiedRequest) => new URL(request.url, 'http://proxy').pathname;
const isObjectRequest = (request: ProxiedRequest) => pathOf(request).includes('/dvc/files/md5/');
const FAULTS: Fault[] = [
  { kind: 'slow-down' },
  { kind: 'reset-mid-body' },
  { kind: 'truncate' },
  { kind: 'flip-byte' },
];
const KINDS: FaultKind[] = ['slow-down', 'reset-mid-body', 'truncate', 'flip-byte'];

test('over 1,000 object transfers through random faults and SlowDown bursts, every pull ends with correct files or a clean failure', async (t) => {
  const totals = {
    pulls: 0,
    succeeded: 0,
    failed: 0,
    failedBeforeAnyFile: 0,
    transfers: 0,
    filesPlaced: 0,
    rangedFaults: 0,
    injected: Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
  };
  const failures: string[] = [];
  for (let pull = 0; (totals.transfers < 1_000 || pull < 12) && pull < 40; pull++) {
    proxy.reset();
    proxy.injectRandomly({ rate: 0.12, faults: FAULTS, seed: 1_000 + pull, match: isObjectRequest });
    // Some pulls also get a burst of SlowDown: at the very start every fifth pull (the folder
    // manifest's GET runs out of attempts), or part-way through every third one.
    if (pull % 5 === 4)
      proxy.inject({ fault: { kind: 'slow-down' }, times: retry.maxAttempts, match: isObjectRequest });
    let burst = pull % 3 === 2 ? 6 + (pull % 4) * 8 : 0;
    const onProgress = (progress: { filesDone: number }) => {
      if (burst > 0 && progress.filesDone >= 15 + pull) {
        proxy.inject({ fault: { kind: 'slow-down' }, times: burst, match: isObjectRequest });
        burst = 0;
      }
    };

    const workspace = newWorkspace(`pull-${pull}`);
    let result: PullResult | undefined;
    let failure: unknown;
    try {
      result = await pullPointerFile(join(workspace, POINTER), {
        store: remote,
        logger: silentLogger,
        jobs: 8,
        onProgress,
        ...sizes,
      });
    } catch (error) {
      failure = error;
    }
    totals.pulls++;
    totals.transfers += proxy.requests.filter((request) => request.method === 'GET' && isObjectRequest(request)).length;
    for (const kind of KINDS) totals.injected[kind] += proxy.injected[kind];
    totals.rangedFaults += proxy.requests.filter(
      (request) => request.fault && request.headers.range && pathOf(request).endsWith(`/dvc/${bigKey}`),
    ).length;

    if (result) {
      totals.succeeded++;
      totals.filesPlaced += checkWorkspace(workspace, true);
      assert.equal(result.files, dataset.size);
      assert.equal(result.downloaded.files, dataset.size, 'a fresh workspace without a cache downloads every file');
    } else {
      totals.failed++;
      checkCleanFailure(failure);
      failures.push((failure as Error).message);
      if (/folder manifest/.test((failure as Error).message)) {
        assert.deepEqual(
          readdirSync(workspace),
          [POINTER],
          'a pull that cannot read its manifest writes nothing, not even a folder',
        );
      }
      const placed = checkWorkspace(workspace, false);
      if (placed === 0) totals.failedBeforeAnyFile++;
      totals.filesPlaced += placed;
    }
  }

  t.diagnostic(
    `${totals.pulls} pulls: ${totals.succeeded} complete, ${totals.failed} failed cleanly (${totals.failedBeforeAnyFile} before any file); ` +
      `${totals.transfers} object GETs, ${totals.filesPlaced} verified files placed; faults injected: ${JSON.stringify(totals.injected)}, ` +
      `${totals.rangedFaults} of them on ranged GETs of big.bin`,
  );
  for (const message of new Set(failures.map((message) => message.replace(/[0-9a-f]{30}/g, '…'))))
    t.diagnostic(`failure: ${message}`);
  assert.ok(totals.transfers >= 1_000, `${totals.transfers} transfers`);
  for (const kind of KINDS)
    assert.ok(totals.injected[kind] > 0, `${kind} faults were injected: ${JSON.stringify(totals.injected)}`);
  assert.ok(totals.rangedFaults > 0, 'the ranged-GET path met faults too');
  assert.ok(totals.succeeded > 0, 'most pulls get through the random faults');
  assert.ok(totals.failed > 0, 'the bursts make some pulls fail, so the clean-failure path was exercised');
});

test('a pull that fails part-way leaves its verified files; the rerun downloads only the rest', async (t) => {
  const cacheDir = join(work, 'cache');
  const workspace = newWorkspace('resume');
  // One file of the folder, two thirds of the way through, is throttled past its attempts; with 4 jobs the files before it are in place by then.
  const victim = folderEntries[40];
  const victimKey = objectKey(md5(dataset.get(victim)!), '3.x');
  proxy.reset();
  proxy.inject({
    fault: { kind: 'slow-down' },
    times: 10,
    match: (request) => pathOf(request).endsWith(`/dvc/${victimKey}`),
  });
  const options: PullOptions = { store: remote, logger: silentLogger, jobs: 4, cacheDir, ...sizes };

  await assert.rejects(pullPointerFile(join(workspace, POINTER), options), (error: unknown) => {
    checkCleanFailure(error);
    assert.match(
      (error as Error).message,
      new RegExp(victim.replace(/[.]/g, '\\.')),
      'the message names the file that failed',
    );
    return true;
  });
  const placed = checkWorkspace(workspace, false);
  assert.ok(
    placed > 0 && placed < dataset.size,
    `the failed pull left ${placed} of ${dataset.size} files, all verified`,
  );
  assert.ok(!filesIn(workspace).includes(victim), 'nothing under the name of the file that failed');

  proxy.reset();
  const result = await pullPointerFile(join(workspace, POINTER), options);
  checkWorkspace(workspace, true);
  assert.equal(result.files, dataset.size);
  assert.ok(result.unchanged.files > 0, 'files verified by the failed run are kept');
  assert.ok(
    result.downloaded.files < dataset.size,
    `only what was missing is downloaded (${result.downloaded.files} of ${dataset.size})`,
  );
  assert.equal(result.unchanged.files + result.fromCache.files + result.downloaded.files, dataset.size);
  assert.equal(result.unchanged.files, placed, 'exactly the files the failed run placed are skipped');
  t.diagnostic(
    `failed run placed ${placed} of ${dataset.size} files; rerun: ${result.unchanged.files} unchanged, ${result.downloaded.files} downloaded, ${result.fromCache.files} from the cache`,
  );
  const objectGets = proxy.requests.filter(
    (request) => request.method === 'GET' && isObjectRequest(request) && !pathOf(request).endsWith('.dir'),
  );
  assert.ok(
    objectGets.some((request) => pathOf(request).endsWith(`/dvc/${victimKey}`)),
    'the failed file is fetched again',
  );
});
