/**
 * A pull trusts nothing it downloads: manifests and pointer files that would write outside the
 * workspace, through a planted link, over a file, twice to one path, or from bytes that are not
 * what their id says are refused with a UserError naming the path, before anything is written:
 * the workspace and the folder outside it are byte-identical afterwards, new empty folders included.
 * Every case runs against the file store and against s3rver.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { memoryLogger, silentLogger } from '../../../core/logger.ts';
import { objectKey } from '../../../core/store/internal/dvc/index.ts';
import {
  openStore,
  pullPointerFile,
  type GetOptions,
  type ObjectStore,
  type PullOptions,
} from '../../../core/store/index.ts';
import { tempDir } from '../../support/cli.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';
import { FIXTURES } from './dvc/helpers.ts';

type Backend = 'file' | 's3';
const BACKENDS: Backend[] = ['file', 's3'];

let server: S3Server;
let work: string;
const stores: ObjectStore[] = [];
let caseNumber = 0;

before(async () => {
  server = await startS3Server();
  work = tempDir('cairn-pull-safety-');
});
after(async () => {
  stores.forEach((store) => store.close());
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const md5 = (bytes: Uint8Array | string) => createHash('md5').update(bytes).digest('hex');

/** A fresh case: a workspace (`repo`), a folder beside it the attacks aim at (`outside`), and an empty remote. */
function newCase(backend: Backend): {
  root: string;
  repo: string;
  outside: string;
  cacheDir: string;
  remote: ObjectStore;
} {
  const root = join(work, `case-${++caseNumber}`);
  const repo = join(root, 'repo');
  const outside = join(root, 'outside');
  mkdirSync(repo, { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'precious.txt'), 'do not touch\n');
  const remote =
    backend === 'file'
      ? openStore(join(root, 'remote'), { env: {}, logger: silentLogger })
      : openStore(`s3://${server.bucket}/case-${caseNumber}`, { env: server.env, logger: silentLogger });
  stores.push(remote);
  return { root, repo, outside, cacheDir: join(root, 'cache'), remote };
}

async function putFile(remote: ObjectStore, bytes: Buffer): Promise<string> {
  const id = md5(bytes);
  await remote.put(objectKey(id, '3.x'), bytes);
  return id;
}

/** Stores a manifest as given (entries in any order, any paths) under the id of its bytes, or under `id`. */
async function putManifest(
  remote: ObjectStore,
  entries: Array<{ md5: string; relpath: string }>,
  id?: string,
): Promise<string> {
  const text = `[${entries.map((entry) => `{"md5": ${JSON.stringify(entry.md5)}, "relpath": ${JSON.stringify(entry.relpath)}}`).join(', ')}]`;
  const manifestId = id ?? `${md5(text)}.dir`;
  await remote.put(objectKey(manifestId, '3.x'), Buffer.from(text));
  return manifestId;
}

/** A .dvc file with a good file output first, then the output under test (written by hand: it may be malformed on purpose). */
function writePointer(
  repo: string,
  outs: Array<{ path: string; md5: string; size?: number; nfiles?: number }>,
): string {
  const pointer = join(repo, 'data.dvc');
  const lines = ['outs:'];
  for (const out of outs) {
    lines.push(`- md5: ${out.md5}`);
    if (out.size !== undefined) lines.push(`  size: ${out.size}`);
    if (out.nfiles !== undefined) lines.push(`  nfiles: ${out.nfiles}`);
    lines.push('  hash: md5', `  path: ${JSON.stringify(out.path)}`);
  }
  writeFileSync(pointer, `${lines.join('\n')}\n`);
  return pointer;
}

/** Every entry under `root`, not following links: type, mode, and bytes or link target. */
function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (folder: string, prefix: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const shown = `${prefix}${name}`;
      const info = lstatSync(path);
      const mode = (info.mode & 0o7777).toString(8);
      if (info.isSymbolicLink()) entries[shown] = `link -> ${readlinkSync(path)}`;
      else if (info.isDirectory()) {
        entries[shown] = `folder ${mode}`;
        walk(path, `${shown}/`);
      } else entries[shown] = `file ${mode} ${info.size} ${md5(readFileSync(path))}`;
    }
  };
  walk(root, '');
  return entries;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Pulls `pointer` expecting a refusal that names `named`; the workspace and the outside folder must not change. */
async function expectRefusedUntouched(
  setup: ReturnType<typeof newCase>,
  pointer: string,
  named: string,
  why: RegExp,
): Promise<ReturnType<typeof memoryLogger>> {
  const before = { repo: snapshot(setup.repo), outside: snapshot(setup.outside) };
  const logger = memoryLogger();
  await assert.rejects(
    pullPointerFile(pointer, { store: setup.remote, logger, cacheDir: setup.cacheDir }),
    (error: unknown) => {
      assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
      assert.match(error.message, new RegExp(escape(named)), `the message names ${named}: ${error.message}`);
      assert.match(error.message, why);
      return true;
    },
  );
  assert.deepEqual(
    snapshot(setup.repo),
    before.repo,
    'the workspace is untouched: no file, no temp file, no new folder',
  );
  assert.deepEqual(snapshot(setup.outside), before.outside, 'nothing was written outside the workspace');
  return logger;
}

/** A good file output and a folder output whose manifest lists a good file and then `relpath`. */
async function pointerWithManifestEntry(setup: ReturnType<typeof newCase>, relpath: string): Promise<string> {
  const good = Buffer.from('good bytes\n');
  const goodId = await putFile(setup.remote, good);
  const payloadId = await putFile(setup.remote, Buffer.from('pwned\n'));
  const manifestId = await putManifest(setup.remote, [
    { md5: goodId, relpath: 'ok.txt' },
    { md5: payloadId, relpath },
  ]);
  return writePointer(setup.repo, [
    { path: 'good.txt', md5: goodId, size: good.length },
    { path: 'data', md5: manifestId, nfiles: 2 },
  ]);
}

for (const backend of BACKENDS) {
  describe(`malicious manifests and pointers (${backend} store)`, () => {
    const unsafeEntries: Array<[string, string, RegExp]> = [
      ['that climbs out with ..', '../escape', /"\.\." segment/],
      ['with an absolute path', '/abs/path', /absolute/],
      ['with .. in the middle', 'a/../../x', /"\.\." segment/],
      ['with backslashes', 'a\\..\\..\\x', /backslash/],
      ['with a Windows drive', 'C:/Windows/x', /drive letter/],
    ];
    for (const [title, relpath, why] of unsafeEntries) {
      test(`a manifest entry ${title} (${JSON.stringify(relpath)}) is refused and nothing is written`, async () => {
        const setup = newCase(backend);
        const pointer = await pointerWithManifestEntry(setup, relpath);
        await expectRefusedUntouched(setup, pointer, JSON.stringify(relpath), why);
      });
    }

    // git's verify_path: a pull that wrote .git/hooks/* would run code at the next checkout (CVE-2014-9390).
    const dotGitEntries: Array<[string, string]> = [
      ['.git/hooks/post-checkout', '".git"'],
      ['sub/.GIT/config', '".GIT"'],
      ['.git. /hooks/x', '".git. "'],
      ['git~1/hooks/x', '"git~1"'],
      ['.g\u200cit/hooks/x', '".g\\u200cit"'],
    ];
    for (const [relpath, shown] of dotGitEntries) {
      test(`a manifest entry inside .git as git reads it (${JSON.stringify(relpath)}) is refused and nothing is written`, async () => {
        const setup = newCase(backend);
        const pointer = await pointerWithManifestEntry(setup, relpath);
        await expectRefusedUntouched(setup, pointer, `its segment ${shown} names a .git folder`, /data\.dvc: data \(/);
      });
    }

    test('a .dvc output inside .git is refused naming the pointer; nothing is written', async () => {
      const setup = newCase(backend);
      mkdirSync(join(setup.repo, '.git', 'hooks'), { recursive: true });
      const id = await putFile(setup.remote, Buffer.from('pwned\n'));
      const pointer = writePointer(setup.repo, [{ path: '.GIT/hooks/post-checkout', md5: id, size: 6 }]);
      await expectRefusedUntouched(
        setup,
        pointer,
        '".GIT/hooks/post-checkout"',
        new RegExp(`in ${escape(pointer)}: its segment ".GIT" names a \\.git folder`),
      );
    });

    test('a dvc.lock out inside .git (its short name git~1) is refused naming dvc.lock; nothing is written', async () => {
      const setup = newCase(backend);
      const id = await putFile(setup.remote, Buffer.from('pwned\n'));
      const lock = join(setup.repo, 'dvc.lock');
      writeFileSync(
        lock,
        `schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n    - path: git~1/hooks/post-checkout\n      hash: md5\n      md5: ${id}\n      size: 6\n`,
      );
      await expectRefusedUntouched(
        setup,
        lock,
        '"git~1/hooks/post-checkout"',
        new RegExp(`in ${escape(lock)}: its segment "git~1" names a \\.git folder`),
      );
    });

    test('outputs of one pointer that overlap are refused even when a sibling sorts between them (data, data-2, data/x)', async () => {
      const setup = newCase(backend);
      const id = await putFile(setup.remote, Buffer.from('bytes\n'));
      const manifestId = await putManifest(setup.remote, [{ md5: id, relpath: 'x' }]);
      const pointer = writePointer(setup.repo, [
        { path: 'data', md5: manifestId, nfiles: 1 },
        { path: 'data-2', md5: id, size: 6 },
        { path: 'data/x', md5: id, size: 6 },
      ]);
      await expectRefusedUntouched(
        setup,
        pointer,
        `data (${pointer}) and data/x (${pointer}) overlap`,
        /Track the folder or the file, not both/,
      );
    });

    test('a manifest entry through a symlink planted in the workspace is refused; the link target is untouched', async () => {
      const setup = newCase(backend);
      mkdirSync(join(setup.repo, 'data'));
      symlinkSync(setup.outside, join(setup.repo, 'data', 'link'));
      const pointer = await pointerWithManifestEntry(setup, 'link/pwned');
      await expectRefusedUntouched(setup, pointer, 'data/link/pwned', /symbolic link/);
    });

    test('a folder output that is a symlink in the workspace is refused; the link target is untouched', async () => {
      const setup = newCase(backend);
      symlinkSync(setup.outside, join(setup.repo, 'data'));
      const pointer = await pointerWithManifestEntry(setup, 'pwned.txt');
      await expectRefusedUntouched(setup, pointer, join(setup.repo, 'data'), /symbolic link/);
    });

    test('a file output whose path is a symlink in the workspace is refused; the file it points at is untouched', async () => {
      const setup = newCase(backend);
      symlinkSync(join(setup.outside, 'precious.txt'), join(setup.repo, 'weights.bin'));
      const id = await putFile(setup.remote, Buffer.from('pwned\n'));
      const pointer = writePointer(setup.repo, [{ path: 'weights.bin', md5: id, size: 6 }]);
      await expectRefusedUntouched(setup, pointer, '"weights.bin"', /symbolic link/);
    });

    test('a manifest entry that needs a folder where the workspace has a file is refused', async () => {
      const setup = newCase(backend);
      mkdirSync(join(setup.repo, 'data'));
      writeFileSync(join(setup.repo, 'data', 'sub'), 'a file, not a folder\n');
      const pointer = await pointerWithManifestEntry(setup, 'sub/x.txt');
      await expectRefusedUntouched(setup, pointer, 'data/sub/x.txt', /is a file, where this path needs a folder/);
    });

    test('a manifest that lists one path twice is refused', async () => {
      const setup = newCase(backend);
      const one = await putFile(setup.remote, Buffer.from('one\n'));
      const two = await putFile(setup.remote, Buffer.from('two\n'));
      const manifestId = await putManifest(setup.remote, [
        { md5: one, relpath: 'dup.txt' },
        { md5: two, relpath: 'dup.txt' },
      ]);
      const pointer = writePointer(setup.repo, [{ path: 'data', md5: manifestId, nfiles: 2 }]);
      await expectRefusedUntouched(setup, pointer, '"dup.txt"', /listed twice/);
    });

    // DVC refuses a pointer that names one output twice; pulledOutputs keeps the last entry and pulls it.
    test('a .dvc that names one output path twice, with different contents, is refused', async () => {
      const setup = newCase(backend);
      const first = await putFile(setup.remote, Buffer.from('AAAA\n'));
      const second = await putFile(setup.remote, Buffer.from('BBBB\n'));
      const pointer = writePointer(setup.repo, [
        { path: 'f.txt', md5: first, size: 5 },
        { path: 'f.txt', md5: second, size: 5 },
      ]);
      await expectRefusedUntouched(setup, pointer, 'f.txt', /twice|more than once/);
    });

    test('a manifest that lists a path as a file and as a folder is refused', async () => {
      const setup = newCase(backend);
      const one = await putFile(setup.remote, Buffer.from('one\n'));
      const manifestId = await putManifest(setup.remote, [
        { md5: one, relpath: 'a' },
        { md5: one, relpath: 'a/b' },
      ]);
      const pointer = writePointer(setup.repo, [{ path: 'data', md5: manifestId, nfiles: 2 }]);
      await expectRefusedUntouched(setup, pointer, '"a/b"', /as a file and as the folder/);
    });

    test('a manifest whose bytes do not hash to its id is refused after one more download', async () => {
      const setup = newCase(backend);
      const good = Buffer.from('good bytes\n');
      const goodId = await putFile(setup.remote, good);
      const claimed = `${md5('the manifest the pointer was written for')}.dir`;
      await putManifest(setup.remote, [{ md5: goodId, relpath: 'ok.txt' }], claimed);
      const pointer = writePointer(setup.repo, [
        { path: 'good.txt', md5: goodId, size: good.length },
        { path: 'data', md5: claimed, nfiles: 1 },
      ]);
      const logger = await expectRefusedUntouched(
        setup,
        pointer,
        `data (${claimed})`,
        new RegExp(`${escape(setup.remote.uriOf(objectKey(claimed, '3.x')))} does not match its id, twice`),
      );
      assert.equal(
        logger.lines.filter(
          (line) => line.level === 'warn' && /does not match its id; downloading it again/.test(line.message),
        ).length,
        1,
      );
    });

    test('a .dvc output that climbs out of the workspace (../outside/x) is refused', async () => {
      const setup = newCase(backend);
      const id = await putFile(setup.remote, Buffer.from('pwned\n'));
      const pointer = writePointer(setup.repo, [{ path: '../outside/x', md5: id, size: 6 }]);
      await expectRefusedUntouched(setup, pointer, '"../outside/x"', /"\.\." segment/);
    });

    test('a .dvc output with an absolute path is refused', async () => {
      const setup = newCase(backend);
      const id = await putFile(setup.remote, Buffer.from('pwned\n'));
      const target = join(setup.outside, 'x');
      const pointer = writePointer(setup.repo, [{ path: target, md5: id, size: 6 }]);
      await expectRefusedUntouched(setup, pointer, JSON.stringify(target), /outside the repository/);
    });

    test('a .dvc output whose folder exists as a file is refused', async () => {
      const setup = newCase(backend);
      writeFileSync(join(setup.repo, 'models'), 'a file, not a folder\n');
      const good = Buffer.from('good bytes\n');
      const goodId = await putFile(setup.remote, good);
      const id = await putFile(setup.remote, Buffer.from('weights\n'));
      const pointer = writePointer(setup.repo, [
        { path: 'good.txt', md5: goodId, size: good.length },
        { path: 'models/model.bin', md5: id, size: 8 },
      ]);
      await expectRefusedUntouched(setup, pointer, '"models/model.bin"', /is a file, where this path needs a folder/);
    });

    test('a folder output where the workspace has a file of that name is refused', async () => {
      const setup = newCase(backend);
      writeFileSync(join(setup.repo, 'data'), 'a file, not a folder\n');
      const pointer = await pointerWithManifestEntry(setup, 'fine.txt');
      await expectRefusedUntouched(
        setup,
        pointer,
        `${join(setup.repo, 'data')} is a file`,
        /where this path needs a folder/,
      );
    });
  });

  if (backend === 'file') {
    test('a file remote whose object folder is a link out of it is refused before any file is written', async () => {
      const setup = newCase(backend);
      const good = Buffer.from('good bytes\n');
      const goodId = await putFile(setup.remote, good);
      const planted = Buffer.from('bytes kept outside the remote\n');
      const plantedId = md5(planted);
      const [folder, rest] = [plantedId.slice(0, 2), plantedId.slice(2)];
      mkdirSync(join(setup.outside, 'objects'));
      writeFileSync(join(setup.outside, 'objects', rest), planted);
      symlinkSync(join(setup.outside, 'objects'), join(setup.root, 'remote', 'files', 'md5', folder));
      const pointer = writePointer(setup.repo, [
        { path: 'good.txt', md5: goodId, size: good.length },
        { path: 'planted.txt', md5: plantedId, size: planted.length },
      ]);
      await expectRefusedUntouched(
        setup,
        pointer,
        `files/md5/${folder}/${rest}: refused`,
        /never follows a symbolic link out of its folder/,
      );
    });
  }

  describe(`objects that do not match their hash (${backend} store)`, () => {
    /** Counts GETs per key, to see the engine retry a bad object exactly once. */
    function counting(store: ObjectStore): { store: ObjectStore; gets: Map<string, number> } {
      const gets = new Map<string, number>();
      const wrapped: ObjectStore = {
        uri: store.uri,
        head: (key) => store.head(key),
        get: (key: string, options?: GetOptions): Promise<Readable> => {
          if (!options?.range) gets.set(key, (gets.get(key) ?? 0) + 1);
          else if (options.range.start === 0) gets.set(key, (gets.get(key) ?? 0) + 1); // one whole-object attempt = its first part
          return store.get(key, options);
        },
        put: (key, body, options) => store.put(key, body, options),
        list: (prefix) => store.list(prefix),
        uriOf: (key) => store.uriOf(key),
        close: () => store.close(),
      };
      return { store: wrapped, gets };
    }

    const variants: Array<{ title: string; big: boolean }> = [
      { title: 'a file in a folder (one GET)', big: false },
      { title: 'a large file (parallel ranged GETs)', big: true },
    ];
    for (const { title, big } of variants) {
      test(`${title}: garbage at its key is downloaded twice, then refused naming the file; nothing under its name, no temp file`, async () => {
        const setup = newCase(backend);
        const good = Buffer.from('good bytes\n');
        const goodId = await putFile(setup.remote, good);
        const real = Buffer.alloc(big ? 300_000 : 5_000, 7);
        const realId = md5(real);
        const garbage = Buffer.alloc(real.length, 9); // same size: only the hash can tell
        const badKey = objectKey(realId, '3.x');
        await setup.remote.put(badKey, garbage);
        let pointer: string;
        let named: string;
        if (big) {
          pointer = writePointer(setup.repo, [
            { path: 'good.txt', md5: goodId, size: good.length },
            { path: 'weights.bin', md5: realId, size: real.length },
          ]);
          named = 'weights.bin';
        } else {
          const manifestId = await putManifest(setup.remote, [
            { md5: goodId, relpath: 'a.txt' },
            { md5: realId, relpath: 'b.bin' },
          ]);
          pointer = writePointer(setup.repo, [{ path: 'data', md5: manifestId, nfiles: 2 }]);
          named = 'data/b.bin';
        }
        const logger = memoryLogger();
        const { store, gets } = counting(setup.remote);
        const options: PullOptions = {
          store,
          logger,
          cacheDir: setup.cacheDir,
          jobs: 1,
          largeObjectBytes: 100_000,
          partBytes: 32_768,
        };
        await assert.rejects(pullPointerFile(pointer, options), (error: unknown) => {
          assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
          assert.match(
            error.message,
            new RegExp(
              `^${escape(named)}: the bytes of ${escape(setup.remote.uriOf(badKey))} hash to ${md5(garbage)}, not ${realId}, twice`,
            ),
          );
          return true;
        });
        assert.equal(gets.get(badKey), 2, 'downloaded once more after the first mismatch, then given up');
        assert.equal(
          logger.lines.filter(
            (line) =>
              line.level === 'warn' && line.message.includes(named) && /downloading it again/.test(line.message),
          ).length,
          1,
        );
        const left = Object.keys(snapshot(setup.repo));
        assert.ok(!left.includes(named), `nothing under ${named}`);
        assert.deepEqual(
          left.filter((path) => /\.cairn-.*\.tmp$/.test(path)),
          [],
          'no temp file left',
        );
        const cached = Object.keys(snapshot(setup.root)).filter(
          (path) => path.startsWith('cache/') && path.endsWith(realId.slice(2)),
        );
        assert.deepEqual(cached, [], 'the bad bytes never reach the cache');
        for (const path of left.filter((path) => path.endsWith('.txt')))
          assert.equal(readFileSync(join(setup.repo, path), 'utf8'), 'good bytes\n', `${path} is intact`);
      });
    }

    test('a DVC 2.x output (legacy.dvc, md5-dos2unix) is read from the 2.x layout and verified with the 2.x hash', async () => {
      const setup = newCase(backend);
      const remote2x = join(FIXTURES, 'remote-2x');
      for (const entry of readdirSync(remote2x, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const path = join(entry.parentPath, entry.name);
        await setup.remote.put(
          path
            .slice(remote2x.length + 1)
            .split('\\')
            .join('/'),
          readFileSync(path),
        );
      }
      cpSync(join(FIXTURES, 'repo', 'legacy.dvc'), join(setup.repo, 'legacy.dvc'));
      const result = await pullPointerFile(join(setup.repo, 'legacy.dvc'), {
        store: setup.remote,
        logger: silentLogger,
        cacheDir: setup.cacheDir,
      });
      assert.equal(result.files, 3);
      assert.equal(result.downloaded.files, 3);
      for (const name of ['blob.bin', 'crlf.txt', 'notes/lf.txt']) {
        assert.ok(
          readFileSync(join(setup.repo, 'legacy', name)).equals(
            readFileSync(join(FIXTURES, 'workspace', 'legacy', name)),
          ),
          `legacy/${name}`,
        );
      }
      // crlf.txt keeps its CRLF bytes, whose raw md5 is not the id the manifest gives it: only the 2.x hash verifies it.
      const crlf = readFileSync(join(setup.repo, 'legacy', 'crlf.txt'));
      assert.ok(crlf.includes('\r\n'));
      assert.notEqual(md5(crlf), '09e899dfe5ef71e27f91fc3f951606cf');
      assert.equal(md5(crlf.toString('latin1').replaceAll('\r\n', '\n')), '09e899dfe5ef71e27f91fc3f951606cf');
      assert.deepEqual(
        result.outputs.map((output) => [output.relpath, output.md5, output.files]),
        [['legacy', '25c16afed5abf48a105073b071c389b9.dir', 3]],
      );
    });
  });
}
