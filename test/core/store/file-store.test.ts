import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, test } from 'node:test';
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
  assert.deepEqual((await collect(store.list())).map((o) => o.key), ['model.onnx'], 'the temp file is not listed');
  const reading = await store.get('model.onnx'); // opened before the rename: keeps the old version
  release();
  await writing;
  assert.equal((await buffer(reading)).toString(), 'old version');
  assert.equal((await buffer(await store.get('model.onnx'))).toString(), 'new version');
  assert.deepEqual(readdirSync(join(base, 'atomic')), ['model.onnx'], 'no temp file left behind');
});

test('ifNoneMatch "*" stores only when the key is free, even with racing writers', async () => {
  const store = new FileStore(join(base, 'create-only'));
  const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => store.put('stages/prod', Buffer.from(`writer ${i}`), { ifNoneMatch: '*' })));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof PreconditionFailedError, String(r.reason));
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
