import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { FileStore, PreconditionFailedError } from '../../../core/store/index.ts';
import { collect, storeContract } from './store-contract.ts';

const base = mkdtempSync(join(tmpdir(), 'cairn-file-store-'));
after(() => rmSync(base, { recursive: true, force: true }));

storeContract((root) => new FileStore(join(base, root)), { listsInOrder: true });

test('objects are plain files under the root; the root is created by the first put', async () => {
  const root = join(base, 'layout', 'deep');
  const store = new FileStore(root);
  await store.put('files/md5/ab/cdef', Buffer.from('x'));
  assert.deepEqual(readdirSync(join(root, 'files', 'md5', 'ab')), ['cdef']);
  assert.equal(store.pathOf('files/md5/ab/cdef'), join(root, 'files', 'md5', 'ab', 'cdef'));
});

test('a write in progress is invisible: readers see the old bytes until the new ones are complete', async () => {
  const store = new FileStore(join(base, 'atomic'));
  await store.put('model.onnx', Buffer.from('old version'));
  let release!: () => void;
  const gate = new Promise<void>((done) => (release = done));
  const body = Readable.from(
    (async function* () {
      yield Buffer.from('new ');
      await gate;
      yield Buffer.from('version');
    })(),
  );
  const writing = store.put('model.onnx', body);
  await new Promise((done) => setTimeout(done, 20));
  assert.equal((await buffer(await store.get('model.onnx'))).toString(), 'old version');
  assert.deepEqual(
    (await collect(store.list())).map((o) => o.key),
    ['model.onnx'],
    'the temp file is not listed',
  );
  const reading = await store.get('model.onnx'); // opened before the rename: keeps the old version
  release();
  await writing;
  assert.equal((await buffer(reading)).toString(), 'old version');
  assert.equal((await buffer(await store.get('model.onnx'))).toString(), 'new version');
  assert.deepEqual(readdirSync(join(base, 'atomic')), ['model.onnx'], 'no temp file left behind');
});

test('ifNoneMatch "*" stores only when the key is free, even with racing writers', async () => {
  const store = new FileStore(join(base, 'create-only'));
  const results = await Promise.allSettled(
    Array.from({ length: 12 }, (_, i) => store.put('stages/prod', Buffer.from(`writer ${i}`), { ifNoneMatch: '*' })),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results)
    if (r.status === 'rejected') assert.ok(r.reason instanceof PreconditionFailedError, String(r.reason));
  assert.match((await buffer(await store.get('stages/prod'))).toString(), /^writer \d+$/);
  assert.deepEqual(readdirSync(join(base, 'create-only', 'stages')), ['prod']);
});

test('ifMatch is a compare-and-swap: concurrent read-modify-write loses no update', async () => {
  const store = new FileStore(join(base, 'cas'));
  await store.put('counter', Buffer.from('0'));
  const increment = async () => {
    for (;;) {
      try {
        const info = await store.head('counter');
        const value = Number((await buffer(await store.get('counter', { ifMatch: info?.etag }))).toString());
        return await store.put('counter', Buffer.from(String(value + 1)), { ifMatch: info?.etag });
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: 10 }, increment));
  assert.equal((await buffer(await store.get('counter'))).toString(), '10');
  await assert.rejects(store.put('counter', Buffer.from('x'), { ifMatch: 'stale' }), PreconditionFailedError);
  await assert.rejects(store.put('absent', Buffer.from('x'), { ifMatch: 'any' }), PreconditionFailedError);
  await assert.rejects(store.get('counter', { ifMatch: 'stale' }), PreconditionFailedError);
  assert.deepEqual(readdirSync(join(base, 'cas')), ['counter'], 'no lock or temp file left');
});

test('listing skips scratch files and does not follow symlinked folders out of the root', async () => {
  const root = join(base, 'links');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'data'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'secret'), 'x');
  writeFileSync(join(root, 'data', 'real'), 'abc');
  writeFileSync(join(root, 'data', '.real.1a2b3c.cairn-tmp'), 'partial');
  writeFileSync(join(root, 'data', '.real.cairn-lock'), '');
  symlinkSync(outside, join(root, 'data', 'escape'));
  symlinkSync(join(root, 'data', 'real'), join(root, 'data', 'alias'));
  assert.deepEqual(await collect(new FileStore(root).list()), [
    { key: 'data/alias', size: 3 },
    { key: 'data/real', size: 3 },
  ]);
});

test('a key that would need a file and a folder of the same name is a clear error', async () => {
  const store = new FileStore(join(base, 'clash'));
  await store.put('a', Buffer.from('file'));
  await assert.rejects(store.put('a/b', Buffer.from('x')), /a file and a folder of the store would have the same name/);
});

describe('no read or write follows a symbolic link out of the root', () => {
  let count = 0;
  /** A store folder and a folder beside it holding a file the store must never read or overwrite. */
  function setup() {
    const dir = join(base, `contained-${count++}`);
    const root = join(dir, 'store');
    const outside = join(dir, 'outside');
    mkdirSync(join(root, 'files', 'md5'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret'), 'precious\n');
    return { root, outside, store: new FileStore(root) };
  }
  const refused = (named: string) => (error: unknown) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    assert.match(error.message, new RegExp(`^file://.*${named.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: refused, `));
    assert.match(error.message, /never follows a symbolic link out of its folder/);
    return true;
  };

  test('an object that is a link to a file outside: not read, not listed, not written through', async () => {
    const { root, outside, store } = setup();
    symlinkSync(join(outside, 'secret'), join(root, 'files', 'md5', 'leak'));
    await assert.rejects(store.get('files/md5/leak'), refused('files/md5/leak'));
    await assert.rejects(store.head('files/md5/leak'), refused('files/md5/leak'));
    await assert.rejects(store.put('files/md5/leak', Buffer.from('pwned\n')), refused('files/md5/leak'));
    await assert.rejects(store.delete('files/md5/leak'), refused('files/md5/leak'));
    assert.deepEqual(await collect(store.list()), []);
    assert.equal(readFileSync(join(outside, 'secret'), 'utf8'), 'precious\n');
  });

  test('a linked folder on the way to a key: nothing is made or written outside, nothing read from there', async () => {
    const { root, outside, store } = setup();
    symlinkSync(outside, join(root, 'files', 'md5', 'ab'));
    await assert.rejects(store.put('files/md5/ab/new/cdef', Buffer.from('pwned\n')), refused('files/md5/ab/new/cdef'));
    await assert.rejects(store.get('files/md5/ab/secret'), refused('files/md5/ab/secret'));
    await assert.rejects(store.head('files/md5/ab/secret'), refused('files/md5/ab/secret'));
    assert.deepEqual(readdirSync(outside), ['secret'], 'no folder, file or temp file made outside');
  });

  test('a dangling link on the way is refused too: where it leads is not known until it is made', async () => {
    const { root, outside, store } = setup();
    symlinkSync(join(outside, 'not-yet'), join(root, 'files', 'md5', 'cd'));
    await assert.rejects(store.put('files/md5/cd/ef', Buffer.from('pwned\n')), refused('files/md5/cd/ef'));
    assert.equal(existsSync(join(outside, 'not-yet')), false);
  });

  test('links that stay inside the store, and a root that is itself a link, work as before', async () => {
    const { root, store } = setup();
    await store.put('files/md5/ab/real', Buffer.from('abc'));
    symlinkSync(join(root, 'files', 'md5', 'ab', 'real'), join(root, 'files', 'md5', 'alias'));
    assert.equal((await buffer(await store.get('files/md5/alias'))).toString(), 'abc');
    const viaLink = join(base, `root-link-${count}`);
    symlinkSync(root, viaLink);
    const linked = new FileStore(viaLink);
    await linked.put('files/md5/ab/more', Buffer.from('more'));
    assert.equal((await buffer(await linked.get('files/md5/ab/more'))).toString(), 'more');
    assert.deepEqual(
      (await collect(linked.list('files/md5/'))).map((object) => object.key),
      ['files/md5/ab/more', 'files/md5/ab/real', 'files/md5/alias'],
    );
  });
});
