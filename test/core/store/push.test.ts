/**
 * `pushPath` and `pushPointerFile` against the file store and a real S3 server (s3rver): what lands
 * on the remote must be what DVC itself would have pushed (test/fixtures/dvc holds a DVC remote and
 * pointer files built with DVC's algorithms), and pointer files appear only after every upload.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { memoryLogger, silentLogger } from '../../../core/logger.ts';
import {
  FileStore,
  openStore,
  pullPointerFile,
  pushPath,
  pushPointerFile,
  type ObjectStore,
  type PushProgress,
} from '../../../core/store/index.ts';
import { tempDir } from '../../support/cli.ts';
import { awsCli, startS3Server, type S3Server } from '../../support/s3-server.ts';
import { FIXTURES, userError } from './dvc/helpers.ts';
import { collect } from './store-contract.ts';

const md5 = (bytes: string | Uint8Array) => createHash('md5').update(bytes).digest('hex');
const key3x = (id: string) => `files/md5/${id.slice(0, 2)}/${id.slice(2)}`;

const base = tempDir('cairn-push-');
after(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;
/** A fresh folder under this file's temp folder. */
function fresh(name: string): string {
  const path = join(base, `${++counter}-${name}`);
  mkdirSync(path, { recursive: true });
  return path;
}

/** The fixture repo with its workspace files beside the pointers, as a DVC checkout has them. */
function checkout(): string {
  const repo = fresh('repo');
  cpSync(join(FIXTURES, 'repo'), repo, { recursive: true });
  cpSync(join(FIXTURES, 'workspace'), repo, { recursive: true });
  return repo;
}

/** Every file under `root` by its POSIX path, with its bytes. */
function tree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(root, path).split('\\').join('/'), readFileSync(path));
    }
  };
  if (existsSync(root)) walk(root);
  return files;
}

function assertSameTree(actual: Map<string, Buffer>, expected: Map<string, Buffer>): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [key, bytes] of expected) assert.ok(actual.get(key)?.equals(bytes), `${key} has the bytes DVC stores`);
}

/** `inner` with some methods replaced, to fail or meddle at a chosen moment. */
function wrap(inner: ObjectStore, overrides: Partial<ObjectStore>): ObjectStore {
  return {
    uri: inner.uri,
    head: (key) => inner.head(key),
    get: (key, getOptions) => inner.get(key, getOptions),
    put: (key, body, putOptions) => inner.put(key, body, putOptions),
    list: (prefix) => inner.list(prefix),
    uriOf: (key) => inner.uriOf(key),
    close: () => inner.close(),
    ...overrides,
  };
}

const options = (store: ObjectStore, extra: { jobs?: number; onProgress?: (p: PushProgress) => void } = {}) => ({
  store,
  logger: silentLogger,
  ...extra,
});

describe('pushPath: dvc add + dvc push', () => {
  test('the foobar folder: the .dir id, the objects and the .dvc file DVC writes, byte for byte', async () => {
    const work = fresh('work');
    cpSync(join(FIXTURES, 'workspace/foobar'), join(work, 'foobar'), { recursive: true });
    const remote = new FileStore(fresh('remote'));
    const result = await pushPath(join(work, 'foobar'), options(remote));

    assert.equal(result.pointerPath, join(work, 'foobar.dvc'));
    assert.deepEqual(result.outputs, [
      { path: 'foobar', md5: '5ea40360f5b4ec688df672a4db9c17d1.dir', size: 6, nfiles: 2 },
    ]);
    assert.ok(readFileSync(join(work, 'foobar.dvc')).equals(readFileSync(join(FIXTURES, 'repo/foobar.dvc'))));
    const expected = new Map(
      [
        'acbd18db4cc2f85cedef654fccc4a4d8',
        '37b51d194a7513e45b56f6524f2d51f2',
        '5ea40360f5b4ec688df672a4db9c17d1.dir',
      ].map((id) => [key3x(id), readFileSync(join(FIXTURES, 'remote-3x', key3x(id)))]),
    );
    assertSameTree(tree(remote.root), expected);
    assert.equal(readFileSync(join(remote.root, key3x('acbd18db4cc2f85cedef654fccc4a4d8')), 'utf8'), 'foo');
    assert.deepEqual(result.uploaded, { files: 2, bytes: 6 });
    assert.deepEqual(result.skipped, { files: 0, bytes: 0 });
  });

  test('a second push uploads nothing and writes the same .dvc file', async () => {
    const work = fresh('work');
    cpSync(join(FIXTURES, 'workspace/foobar'), join(work, 'foobar'), { recursive: true });
    const remote = new FileStore(fresh('remote'));
    await pushPath(join(work, 'foobar'), options(remote));
    const before = tree(remote.root);
    const again = await pushPath(join(work, 'foobar'), options(remote));
    assert.deepEqual(again.uploaded, { files: 0, bytes: 0 });
    assert.deepEqual(again.skipped, { files: 2, bytes: 6 });
    assertSameTree(tree(remote.root), before);
    assert.ok(readFileSync(join(work, 'foobar.dvc')).equals(readFileSync(join(FIXTURES, 'repo/foobar.dvc'))));
  });

  test('a file: its md5 object and a .dvc identical to the fixture; an executable gets isexec: true', async () => {
    const work = fresh('work');
    cpSync(join(FIXTURES, 'workspace/data.txt'), join(work, 'data.txt'));
    writeFileSync(join(work, 'run.sh'), '#!/bin/sh\necho hi\n');
    chmodSync(join(work, 'run.sh'), 0o755);
    const remote = new FileStore(fresh('remote'));
    await pushPath(join(work, 'data.txt'), options(remote));
    assert.ok(readFileSync(join(work, 'data.txt.dvc')).equals(readFileSync(join(FIXTURES, 'repo/data.txt.dvc'))));
    assert.ok(
      readFileSync(join(remote.root, key3x('fb49ede462d49d32bf45ca714501998e'))).equals(
        readFileSync(join(work, 'data.txt')),
      ),
    );

    const result = await pushPath(join(work, 'run.sh'), options(remote));
    const id = md5('#!/bin/sh\necho hi\n');
    assert.deepEqual(result.outputs, [{ path: 'run.sh', md5: id, size: 18, isexec: true }]);
    assert.equal(
      readFileSync(join(work, 'run.sh.dvc'), 'utf8'),
      `outs:\n- md5: ${id}\n  size: 18\n  isexec: true\n  hash: md5\n  path: run.sh\n`,
    );
  });

  test('nested folders: relpaths with "/", sorted; .git, .hg and .dvc folders are left out as DVC does', async () => {
    const work = fresh('work');
    const data = join(work, 'data');
    for (const [path, text] of Object.entries({
      'b.txt': 'b\n',
      'a/z.txt': 'z\n',
      'a/deeper/y.txt': 'y\n',
      'a-b.txt': 'dash\n',
    })) {
      mkdirSync(join(data, path, '..'), { recursive: true });
      writeFileSync(join(data, path), text);
    }
    for (const ignored of ['.git/config', '.hg/hgrc', 'a/.dvc/config', 'sub/.git']) {
      mkdirSync(join(data, ignored, '..'), { recursive: true });
      writeFileSync(join(data, ignored), 'not data');
    }
    const remote = new FileStore(fresh('remote'));
    const [output] = (await pushPath(data, options(remote))).outputs;
    // json.dumps(sort_keys=True) of the entries sorted by relpath: "a-b.txt" < "a/..." since "-" < "/".
    const manifest = `[{"md5": "${md5('dash\n')}", "relpath": "a-b.txt"}, {"md5": "${md5('y\n')}", "relpath": "a/deeper/y.txt"}, {"md5": "${md5('z\n')}", "relpath": "a/z.txt"}, {"md5": "${md5('b\n')}", "relpath": "b.txt"}]`;
    assert.deepEqual(output, { path: 'data', md5: `${md5(manifest)}.dir`, size: 11, nfiles: 4 });
    assert.equal(readFileSync(join(remote.root, key3x(output.md5)), 'utf8'), manifest);
    assert.equal(tree(remote.root).size, 5, 'four files and the manifest');
  });

  test('a .dvcignore is reported, since cairn does not read it', async () => {
    const work = fresh('work');
    mkdirSync(join(work, 'data'));
    writeFileSync(join(work, 'data', 'a.txt'), 'a');
    writeFileSync(join(work, 'data', '.dvcignore'), '*.tmp\n');
    const logger = memoryLogger();
    await pushPath(join(work, 'data'), { store: new FileStore(fresh('remote')), logger });
    assert.ok(
      logger.lines.some((line) => line.level === 'warn' && /\.dvcignore is not read by cairn/.test(line.message)),
    );
  });

  test('an empty folder is a .dir of [] with no files, as DVC records it', async () => {
    const work = fresh('work');
    mkdirSync(join(work, 'empty'));
    const remote = new FileStore(fresh('remote'));
    const result = await pushPath(join(work, 'empty'), options(remote));
    assert.deepEqual(result.outputs, [
      { path: 'empty', md5: 'd751713988987e9331980363e24189ce.dir', size: 0, nfiles: 0 },
    ]);
    assertSameTree(tree(remote.root), new Map([[key3x('d751713988987e9331980363e24189ce.dir'), Buffer.from('[]')]]));
    assert.match(readFileSync(join(work, 'empty.dvc'), 'utf8'), /nfiles: 0\n/);
  });

  test('symbolic links and special files are refused before anything is uploaded or written', async () => {
    const work = fresh('work');
    mkdirSync(join(work, 'data'));
    writeFileSync(join(work, 'data', 'real.txt'), 'real');
    symlinkSync(join(work, 'data', 'real.txt'), join(work, 'data', 'link.txt'));
    const remote = new FileStore(fresh('remote'));
    await assert.rejects(
      pushPath(join(work, 'data'), options(remote)),
      userError(/link\.txt is a symbolic link/, /Replace the link/),
    );
    symlinkSync(join(work, 'data'), join(work, 'alias'));
    await assert.rejects(pushPath(join(work, 'alias'), options(remote)), userError(/alias is a symbolic link/));
    rmSync(join(work, 'data', 'link.txt'));
    if (spawnSync('mkfifo', [join(work, 'data', 'pipe')]).status === 0) {
      await assert.rejects(
        pushPath(join(work, 'data'), options(remote)),
        userError(/pipe is not a regular file or folder/),
      );
    }
    assert.equal(tree(remote.root).size, 0, 'nothing uploaded');
    assert.deepEqual(readdirSync(work).sort(), ['alias', 'data'], 'no .dvc file');
  });

  test('bad paths and options are UserErrors', async () => {
    const remote = new FileStore(fresh('remote'));
    const work = fresh('work');
    await assert.rejects(pushPath(join(work, 'missing'), options(remote)), userError(/does not exist/));
    writeFileSync(join(work, 'x.dvc'), 'outs: []\n');
    await assert.rejects(pushPath(join(work, 'x.dvc'), options(remote)), userError(/is a DVC pointer file, not data/));
    writeFileSync(join(work, 'f'), 'f');
    await assert.rejects(
      pushPath(join(work, 'f'), options(remote, { jobs: 0 })),
      userError(/jobs must be a whole number/),
    );
  });

  test('a failed upload leaves no .dvc file and no .dir manifest on the remote', async () => {
    const work = fresh('work');
    cpSync(join(FIXTURES, 'workspace/foobar'), join(work, 'foobar'), { recursive: true });
    const inner = new FileStore(fresh('remote'));
    const failing = wrap(inner, {
      put: async (key, body, putOptions) => {
        if (key === key3x('37b51d194a7513e45b56f6524f2d51f2')) throw new Error('connection reset');
        return inner.put(key, body, putOptions);
      },
    });
    await assert.rejects(pushPath(join(work, 'foobar'), options(failing, { jobs: 1 })), /connection reset/);
    assert.equal(existsSync(join(work, 'foobar.dvc')), false);
    assert.equal(
      tree(inner.root).has(key3x('5ea40360f5b4ec688df672a4db9c17d1.dir')),
      false,
      'the manifest goes up last',
    );
  });

  test('a cancelled push stops before the pointer file', async () => {
    const work = fresh('work');
    cpSync(join(FIXTURES, 'workspace/foobar'), join(work, 'foobar'), { recursive: true });
    const remote = new FileStore(fresh('remote'));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(pushPath(join(work, 'foobar'), { ...options(remote), signal: controller.signal }), {
      name: 'AbortError',
    });
    assert.equal(existsSync(join(work, 'foobar.dvc')), false);
    assert.equal(tree(remote.root).size, 0);
  });

  test('a file that changes between hashing and uploading is not stored under the old md5', async () => {
    const work = fresh('work');
    writeFileSync(join(work, 'data.bin'), 'original');
    const inner = new FileStore(fresh('remote'));
    const sneaky = wrap(inner, {
      head: async (key) => {
        writeFileSync(join(work, 'data.bin'), 'modified'); // same size, other bytes
        return inner.head(key);
      },
    });
    await assert.rejects(
      pushPath(join(work, 'data.bin'), options(sneaky)),
      userError(/data\.bin changed while it was being pushed/),
    );
    assert.equal(tree(inner.root).size, 0);
    assert.equal(existsSync(join(work, 'data.bin.dvc')), false);
  });

  test('progress ends with every file and byte done; a pull of the pushed .dvc restores the folder', async () => {
    const work = fresh('work');
    const data = join(work, 'data');
    mkdirSync(data);
    for (let i = 0; i < 40; i++) writeFileSync(join(data, `part-${i}.bin`), Buffer.alloc(1000 + i, i));
    writeFileSync(join(data, 'copy-of-part-0.bin'), Buffer.alloc(1000, 0)); // same bytes: one object
    const remote = new FileStore(fresh('remote'));
    const seen: PushProgress[] = [];
    const result = await pushPath(data, options(remote, { jobs: 4, onProgress: (p) => seen.push(p) }));
    const last = seen.at(-1)!;
    assert.equal(last.filesDone, 40);
    assert.equal(last.filesTotal, 40);
    assert.equal(last.bytesDone, last.bytesTotal);
    assert.deepEqual(result.uploaded, { files: 40, bytes: 40 * 1000 + 780 });
    assert.equal(result.outputs[0].nfiles, 41);

    const elsewhere = fresh('pulled');
    cpSync(join(work, 'data.dvc'), join(elsewhere, 'data.dvc'));
    await pullPointerFile(join(elsewhere, 'data.dvc'), { store: remote, logger: silentLogger });
    assertSameTree(tree(join(elsewhere, 'data')), tree(data));
  });
});

describe('pushPointerFile: dvc push from the workspace', () => {
  test('pushing every pointer of the fixture repo rebuilds the DVC 3 and DVC 2 remotes exactly', async () => {
    const repo = checkout();
    const remote = new FileStore(fresh('remote'));
    const results = [];
    for (const pointer of ['data.txt.dvc', 'foobar.dvc', 'legacy.dvc', 'dvc.lock'])
      results.push(await pushPointerFile(join(repo, pointer), options(remote)));
    const expected = new Map([...tree(join(FIXTURES, 'remote-3x')), ...tree(join(FIXTURES, 'remote-2x'))]);
    assertSameTree(tree(remote.root), expected);
    assert.deepEqual(
      results.map((result) => result.outputs.map((output) => output.path)),
      [['data.txt'], ['foobar'], ['legacy'], ['prepared', 'model.bin', 'metrics.json']],
      'dvc.lock deps are not pushed',
    );
    assert.deepEqual(results[2].outputs, [
      { path: 'legacy', md5: '25c16afed5abf48a105073b071c389b9.dir', size: 91, nfiles: 3 },
    ]);
    assert.equal(
      results.some((result) => result.pointerPath !== undefined),
      false,
      'pointer files are left as they are',
    );
    assert.ok(readFileSync(join(repo, 'foobar.dvc')).equals(readFileSync(join(FIXTURES, 'repo/foobar.dvc'))));
  });

  test('a workspace file that no longer matches fails naming it, and nothing of the pointer is uploaded', async () => {
    const repo = checkout();
    const remote = new FileStore(fresh('remote'));
    writeFileSync(join(repo, 'data.txt'), 'edited since dvc add\n');
    await assert.rejects(
      pushPointerFile(join(repo, 'data.txt.dvc'), options(remote)),
      userError(/data\.txt has changed/, /records fb49ede462d49d32bf45ca714501998e/, /cairn push .*data\.txt/),
    );
    writeFileSync(join(repo, 'model.bin'), 'retrained, not committed');
    await assert.rejects(pushPointerFile(join(repo, 'dvc.lock'), options(remote)), (error: unknown) => {
      userError(/model\.bin has changed/, /dvc commit/)(error);
      assert.doesNotMatch((error as Error).message, /prepared|metrics/, 'only the changed output is named');
      return true;
    });
    writeFileSync(join(repo, 'foobar', 'foo'), 'FOO');
    await assert.rejects(
      pushPointerFile(join(repo, 'foobar.dvc'), options(remote)),
      userError(/foobar has changed: the workspace folder hashes to [0-9a-f]{32}\.dir/),
    );
    assert.equal(tree(remote.root).size, 0, 'the outputs that did match were not uploaded either');
  });

  test('an output missing from the workspace is skipped when the remote has it, refused when it does not', async () => {
    const repo = checkout();
    const remote = new FileStore(fresh('remote'));
    await pushPointerFile(join(repo, 'foobar.dvc'), options(remote));
    rmSync(join(repo, 'foobar'), { recursive: true });
    const result = await pushPointerFile(join(repo, 'foobar.dvc'), options(remote));
    assert.deepEqual(result.skipped, { files: 2, bytes: 6 });
    assert.deepEqual(result.uploaded, { files: 0, bytes: 0 });
    rmSync(join(repo, 'data.txt'));
    await assert.rejects(
      pushPointerFile(join(repo, 'data.txt.dvc'), options(remote)),
      userError(/data\.txt is not in the workspace, and .* does not have it/),
    );
    await pushPointerFile(join(repo, 'dvc.lock'), options(remote));
    rmSync(join(repo, 'prepared'), { recursive: true });
    const lock = await pushPointerFile(join(repo, 'dvc.lock'), options(remote));
    assert.deepEqual(
      lock.outputs[0],
      { path: 'prepared', md5: '8a3a8bed86eeccfe34aa8167f260c14d.dir', size: 20, nfiles: 2 },
      'outputs stay in the order of the pointer file',
    );
    assert.deepEqual(lock.skipped, { files: 4, bytes: 71 });
  });

  test('links to files (DVC symlink cache type) are read through', async () => {
    const repo = checkout();
    const cache = fresh('cache');
    for (const name of ['foo', 'bar']) {
      cpSync(join(repo, 'foobar', name), join(cache, name));
      rmSync(join(repo, 'foobar', name));
      symlinkSync(join(cache, name), join(repo, 'foobar', name));
    }
    const remote = new FileStore(fresh('remote'));
    const result = await pushPointerFile(join(repo, 'foobar.dvc'), options(remote));
    assert.deepEqual(result.uploaded, { files: 2, bytes: 6 });
    assert.equal(readFileSync(join(remote.root, key3x('acbd18db4cc2f85cedef654fccc4a4d8')), 'utf8'), 'foo');
  });
});

describe('on a real S3 server', () => {
  let server: S3Server;
  const stores: ObjectStore[] = [];
  before(async () => {
    server = await startS3Server();
  });
  after(async () => {
    stores.forEach((store) => store.close());
    await server?.close();
  });
  const s3 = (uri: string) => {
    const store = openStore(uri, {
      env: server.env,
      logger: silentLogger,
      retry: { baseDelayMs: 1, throttleBaseDelayMs: 1 },
    });
    stores.push(store);
    return store;
  };

  test('push to s3://bucket/prefix: DVC keys and bytes, a second push skips everything', async () => {
    const repo = checkout();
    const remote = s3(`s3://${server.bucket}/dvc-store`);
    for (const pointer of ['data.txt.dvc', 'foobar.dvc', 'legacy.dvc', 'dvc.lock'])
      await pushPointerFile(join(repo, pointer), options(remote));
    const expected = new Map([...tree(join(FIXTURES, 'remote-3x')), ...tree(join(FIXTURES, 'remote-2x'))]);
    const listed = await collect(remote.list());
    assert.deepEqual(listed.map((object) => object.key).sort(), [...expected.keys()].sort());

    const again = await pushPath(join(repo, 'prepared'), options(remote));
    assert.deepEqual(again.uploaded, { files: 0, bytes: 0 });
    assert.deepEqual(again.skipped, { files: 2, bytes: 20 });
    assert.equal(again.outputs[0].md5, '8a3a8bed86eeccfe34aa8167f260c14d.dir', 'the id dvc.lock records');
  });

  test('a bucket that does not exist fails the push and leaves no .dvc file', async () => {
    const work = fresh('work');
    writeFileSync(join(work, 'data.txt'), 'data');
    await assert.rejects(pushPath(join(work, 'data.txt'), options(s3('s3://no-such-bucket/x'))));
    assert.equal(existsSync(join(work, 'data.txt.dvc')), false);
  });

  const awsInstalled = spawnSync('aws', ['--version']).status === 0;
  test(
    'the AWS CLI reads back what a push stored, byte for byte',
    { skip: awsInstalled ? false : 'the AWS CLI (`aws`) is not installed' },
    async () => {
      const work = fresh('work');
      const data = join(work, 'data');
      mkdirSync(join(data, 'sub'), { recursive: true });
      const big = Buffer.alloc(9 * 1024 * 1024 + 3); // over the multipart part size
      for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) & 0xff;
      writeFileSync(join(data, 'big.bin'), big);
      writeFileSync(join(data, 'sub', 'small.txt'), 'small\r\n');
      const remote = s3(`s3://${server.bucket}/aws-interop`);
      const [output] = (await pushPath(data, options(remote))).outputs;

      const home = fresh('aws-home');
      const aws = awsCli(server, home);
      assert.ok(
        (await aws('s3', 'cp', `s3://${server.bucket}/aws-interop/${key3x(md5('small\r\n'))}`, '-')).equals(
          Buffer.from('small\r\n'),
        ),
      );
      const synced = fresh('synced');
      await aws('s3', 'sync', '--only-show-errors', `s3://${server.bucket}/aws-interop`, synced);
      const files = tree(synced);
      assert.ok(files.get(key3x(md5(big)))?.equals(big), 'the multipart object');
      assert.equal(
        files.get(key3x(output.md5))?.toString(),
        `[{"md5": "${md5(big)}", "relpath": "big.bin"}, {"md5": "${md5('small\r\n')}", "relpath": "sub/small.txt"}]`,
      );
      assert.equal(files.size, 3);
      for (const [key, bytes] of files)
        assert.equal(
          md5(bytes),
          key
            .slice('files/md5/'.length)
            .replace('/', '')
            .replace(/\.dir$/, ''),
          `${key} is named by its md5`,
        );
      assert.equal(statSync(join(synced, key3x(md5(big)))).size, big.length);
    },
  );
});
