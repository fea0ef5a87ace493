/**
 * What every ObjectStore must do, run against each backend (file-store.test.ts, s3-store.test.ts)
 * so that the pull engine can treat them alike.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { compareKeys, ObjectNotFoundError, type ListedObject, type ObjectStore } from '../../../core/store/index.ts';

/**
 * `open(root)` opens a store at a fresh root, e.g. a folder or a bucket prefix named `root`.
 * `listsInOrder`: whether the backend lists in key byte order (AWS S3 and the file store do; s3rver does not).
 */
export function storeContract(open: (root: string) => ObjectStore, options: { listsInOrder: boolean }): void {
  test('put, head and get round-trip bytes; a missing key is undefined / ObjectNotFoundError', async () => {
    const store = open('roundtrip');
    const bytes = Buffer.from('hello, store\n');
    const put = await store.put('files/md5/ab/cdef', bytes);
    const info = await store.head('files/md5/ab/cdef');
    assert.equal(info?.size, bytes.length);
    assert.ok(info?.etag, 'an etag');
    assert.equal(put.etag, info.etag);
    assert.deepEqual(await buffer(await store.get('files/md5/ab/cdef')), bytes);
    assert.equal(await store.head('files/md5/ab/missing'), undefined);
    assert.equal(await store.head('files'), undefined, 'a "folder" is not an object');
    await assert.rejects(
      store.get('files/md5/ab/missing'),
      (error: unknown) =>
        error instanceof ObjectNotFoundError && error.message.includes(store.uriOf('files/md5/ab/missing')),
    );
  });

  test('a streamed body of many chunks is stored whole; empty objects work', async () => {
    const store = open('stream');
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(1000 + i, i));
    await store.put('s.bin', Readable.from(chunks), { size: chunks.reduce((n, c) => n + c.length, 0) });
    assert.deepEqual(await buffer(await store.get('s.bin')), Buffer.concat(chunks));
    await store.put('empty', Buffer.alloc(0));
    assert.equal((await store.head('empty'))?.size, 0);
    assert.equal((await buffer(await store.get('empty'))).length, 0);
    await store.put('empty-stream', Readable.from([]));
    assert.equal((await store.head('empty-stream'))?.size, 0);
  });

  test('ranged gets are inclusive, may be open-ended, clamp at the end, and refuse a start past it', async () => {
    const store = open('range');
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    await store.put('r', bytes);
    assert.deepEqual(await buffer(await store.get('r', { range: { start: 10, end: 19 } })), bytes.subarray(10, 20));
    assert.deepEqual(await buffer(await store.get('r', { range: { start: 990 } })), bytes.subarray(990));
    assert.deepEqual(await buffer(await store.get('r', { range: { start: 0, end: 0 } })), bytes.subarray(0, 1));
    assert.deepEqual(await buffer(await store.get('r', { range: { start: 995, end: 5000 } })), bytes.subarray(995));
    await assert.rejects(store.get('r', { range: { start: 1000 } }), RangeError);
    await assert.rejects(store.get('r', { range: { start: 5, end: 4 } }), RangeError);
  });

  test('overwriting replaces the object and changes its etag', async () => {
    const store = open('overwrite');
    const first = await store.put('k', Buffer.from('one'));
    const second = await store.put('k', Buffer.from('second'));
    assert.notEqual(first.etag, second.etag);
    assert.equal((await buffer(await store.get('k'))).toString(), 'second');
  });

  test('list: string prefixes as S3 has them, key byte order, sizes, only this root', async () => {
    const store = open('list');
    const keys = ['a/b', 'a/b/c', 'a/bc', 'a-b', 'a/b-c/d', 'b', 'a/é', 'a/z'];
    for (const [i, key] of keys.entries()) {
      if (key === 'a/b') continue; // "a/b" and "a/b/c" cannot both be files; the prefix cases do not need it
      await store.put(key, Buffer.alloc(i));
    }
    await open('list-sibling').put('a/x', Buffer.from('not ours'));
    const ordered = (objects: ListedObject[]) =>
      options.listsInOrder ? objects : [...objects].sort((a, b) => compareKeys(a.key, b.key));
    const all = ordered(await collect(store.list()));
    assert.deepEqual(
      all.map((o) => o.key),
      ['a-b', 'a/b-c/d', 'a/b/c', 'a/bc', 'a/z', 'a/é', 'b'],
    );
    assert.deepEqual(
      all.find((o) => o.key === 'a/bc'),
      { key: 'a/bc', size: 2 },
    );
    assert.deepEqual(
      ordered(await collect(store.list('a/b'))).map((o) => o.key),
      ['a/b-c/d', 'a/b/c', 'a/bc'],
    );
    assert.deepEqual(
      (await collect(store.list('a/b/'))).map((o) => o.key),
      ['a/b/c'],
    );
    assert.deepEqual(
      (await collect(store.list('nothing/'))).map((o) => o.key),
      [],
    );
    assert.deepEqual(await collect(open('never-written').list()), []);
  });

  test('a body of the wrong size, or one that fails mid-way, stores nothing', async () => {
    const store = open('partial');
    await assert.rejects(
      store.put('sized', Buffer.from('12345'), { size: 4 }),
      (error: unknown) => error instanceof UserError && /5 bytes but 4/.test(error.message),
    );
    await assert.rejects(
      store.put('sized', Readable.from([Buffer.from('123'), Buffer.from('45')]), { size: 6 }),
      /5 bytes but 6/,
    );
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 1));
        this.destroy(new Error('disk went away'));
      },
    });
    await assert.rejects(store.put('failing', failing), /disk went away/);
    assert.equal(await store.head('sized'), undefined);
    assert.equal(await store.head('failing'), undefined);
    assert.deepEqual(await collect(store.list()), []);
  });

  test('bad keys are refused before anything is read or written', async () => {
    const store = open('keys');
    for (const key of ['../escape', '/abs', 'a/../../b', 'a//b']) {
      await assert.rejects(store.put(key, Buffer.from('x')), UserError);
      await assert.rejects(store.get(key), UserError);
      await assert.rejects(store.head(key), UserError);
    }
    await assert.rejects(collect(store.list('../')), UserError);
  });
}

export async function collect(objects: AsyncIterable<ListedObject>): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  for await (const object of objects) out.push(object);
  return out;
}
