/**
 * Progress of a pull that is one large file, from a real S3 server (s3rver): the bytes in place
 * advance while the file arrives, through one GET and through parallel ranged GETs, never past the
 * total and never backwards; and `cairn pull` under TERM=dumb writes no control character.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../../core/logger.ts';
import { formatDvcFile, objectKey } from '../../../core/store/internal/dvc/index.ts';
import {
  openStore,
  pullPointerFile,
  type ObjectStore,
  type PullOptions,
  type PullProgress,
} from '../../../core/store/index.ts';
import { runCli, tempDir } from '../../support/cli.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';

const SIZE = (12 << 20) + 12_345;
let server: S3Server;
let remote: ObjectStore;
let uri: string;
let pointer: string;
let body: Buffer;

before(async () => {
  server = await startS3Server();
  uri = `s3://${server.bucket}/dvc`;
  remote = openStore(uri, { env: server.env, logger: silentLogger });
  body = randomBytes(SIZE);
  const md5 = createHash('md5').update(body).digest('hex');
  await remote.put(objectKey(md5, '3.x'), body);
  pointer = formatDvcFile([{ path: 'big.bin', md5, size: SIZE }]);
});
after(() => server.close());

async function pullWatching(
  options: Pick<PullOptions, 'largeObjectBytes' | 'partBytes'> = {},
): Promise<PullProgress[]> {
  const repo = tempDir('cairn-pull-progress-');
  writeFileSync(join(repo, 'big.bin.dvc'), pointer);
  const seen: PullProgress[] = [];
  await pullPointerFile(join(repo, 'big.bin.dvc'), {
    store: remote,
    logger: silentLogger,
    onProgress: (progress) => seen.push(progress),
    ...options,
  });
  assert.deepEqual(readFileSync(join(repo, 'big.bin')), body);
  return seen;
}

function assertAdvancesWithinTheFile(seen: PullProgress[]) {
  const within = seen.filter((progress) => progress.filesDone === 0 && progress.bytesDone > 0);
  assert.ok(within.length >= 10, `${within.length} updates with bytes while the one file was arriving`);
  assert.ok(
    within.some((progress) => progress.bytesDone >= SIZE / 2),
    'past half before the file is done',
  );
  const done = seen.map((progress) => progress.bytesDone);
  assert.deepEqual(
    done,
    [...done].sort((a, b) => a - b),
    'never backwards',
  );
  assert.ok(
    done.every((bytes) => bytes <= SIZE),
    'never past the total',
  );
  const last = seen.at(-1)!;
  assert.deepEqual(
    { files: last.filesDone, bytes: last.bytesDone, total: last.bytesTotal },
    { files: 1, bytes: SIZE, total: SIZE },
  );
}

test('one GET: the bytes in place advance as the file arrives', async () => {
  assertAdvancesWithinTheFile(await pullWatching());
});

test('parallel ranged GETs: the same, parts arriving out of order', async () => {
  assertAdvancesWithinTheFile(await pullWatching({ largeObjectBytes: 1 << 20, partBytes: 1 << 20 }));
});

test('cairn pull under TERM=dumb writes plain lines to stderr: no \\r, no escape sequence', async () => {
  const repo = tempDir('cairn-pull-dumb-');
  writeFileSync(join(repo, 'big.bin.dvc'), pointer);
  const pulled = await runCli(['pull', 'big.bin.dvc', '--remote', uri, '--no-cache'], {
    cwd: repo,
    env: { ...server.env, TERM: 'dumb' },
  });
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.equal(pulled.stderr.includes('\r') || pulled.stderr.includes('\x1b'), false, JSON.stringify(pulled.stderr));
  assert.match(pulled.stderr, /^pull: 1 file, 12\.0 MiB in .*; 12\.0 MiB downloaded \(.*\/s\)\n$/m);
});
