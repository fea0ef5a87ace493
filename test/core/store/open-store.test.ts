import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { silentLogger } from '../../../core/logger.ts';
import {
  checkListPrefix,
  checkObjectKey,
  FileStore,
  openStore,
  parseStoreUri,
  S3Store,
} from '../../../core/store/index.ts';

const userError = (pattern: RegExp) => (error: unknown) => error instanceof UserError && pattern.test(error.message);

test('s3:// URIs give a bucket and a prefix without surrounding slashes', () => {
  assert.deepEqual(parseStoreUri('s3://data'), { kind: 's3', bucket: 'data', prefix: '' });
  assert.deepEqual(parseStoreUri('s3://data/'), { kind: 's3', bucket: 'data', prefix: '' });
  assert.deepEqual(parseStoreUri('s3://my.bucket-1/dvc/store/'), {
    kind: 's3',
    bucket: 'my.bucket-1',
    prefix: 'dvc/store',
  });
  assert.deepEqual(parseStoreUri('S3://data/a b/c'), { kind: 's3', bucket: 'data', prefix: 'a b/c' });
});

test('file:// URIs and plain paths give an absolute folder', () => {
  assert.deepEqual(parseStoreUri('file:///srv/remote/'), { kind: 'file', root: '/srv/remote' });
  assert.deepEqual(parseStoreUri('file:///srv/my%20remote'), { kind: 'file', root: '/srv/my remote' });
  assert.deepEqual(parseStoreUri('file://localhost/srv/remote'), { kind: 'file', root: '/srv/remote' });
  assert.deepEqual(parseStoreUri('/srv/remote'), { kind: 'file', root: '/srv/remote' });
  assert.deepEqual(parseStoreUri('remote/../store', '/work/repo'), { kind: 'file', root: '/work/repo/store' });
  assert.deepEqual(parseStoreUri('./.cairn/store/', '/work/repo'), { kind: 'file', root: '/work/repo/.cairn/store' });
});

test('a bad remote is a UserError that shows the accepted forms', () => {
  const forms = /s3:\/\/bucket\/prefix, file:\/\/\/absolute\/folder, or a local folder path/;
  assert.throws(() => parseStoreUri('gs://bucket/x'), userError(/gs:\/\/ stores are not supported/));
  assert.throws(() => parseStoreUri('gs://bucket/x'), userError(forms));
  assert.throws(() => parseStoreUri('https://example.com/data'), userError(forms));
  assert.throws(() => parseStoreUri(''), userError(forms));
  assert.throws(() => parseStoreUri('s3://'), userError(/expected s3:\/\/bucket or s3:\/\/bucket\/prefix/));
  assert.throws(() => parseStoreUri('s3:/bucket/x'), userError(/expected s3:\/\/bucket/));
  assert.throws(() => parseStoreUri('s3://bad_bucket!/x'), userError(/bucket name of letters, digits/));
  assert.throws(() => parseStoreUri('s3://data/a/../b'), userError(/"\." or "\.\." folder/));
  assert.throws(() => parseStoreUri('s3://data/a//b'), userError(/empty/));
  assert.throws(() => parseStoreUri('file:relative/x'), userError(/three slashes/));
  assert.throws(() => parseStoreUri('file://otherhost/x'), userError(/file:\/\/\/absolute\/folder on this machine/));
});

test('openStore picks the backend from the URI', () => {
  const s3 = openStore('s3://data/models', { env: { AWS_REGION: 'eu-west-1' }, logger: silentLogger });
  assert.ok(s3 instanceof S3Store);
  assert.equal(s3.uri, 's3://data/models');
  assert.equal(s3.uriOf('a/b'), 's3://data/models/a/b');
  s3.close();
  const file = openStore('/srv/remote', { env: {}, logger: silentLogger });
  assert.ok(file instanceof FileStore);
  assert.equal(file.uri, 'file:///srv/remote');
  assert.equal(file.uriOf('files/md5/ab/cd'), 'file:///srv/remote/files/md5/ab/cd');
});

test('object keys are relative and cannot climb out of the store', () => {
  for (const key of ['files/md5/ab/cdef', 'a', '.dir-like', 'a/b.c/d..e', 'x y/z'])
    assert.equal(checkObjectKey(key), key);
  const cases: Array<[string, RegExp]> = [
    ['', /is empty/],
    ['/etc/passwd', /is absolute/],
    ['C:/x', /is absolute/],
    ['a\\..\\b', /backslash/],
    ['../up', /"\." or "\.\." segment/],
    ['a/../../b', /"\." or "\.\." segment/],
    ['a/./b', /"\." or "\.\." segment/],
    ['a//b', /empty segment/],
    ['a/', /empty segment/],
    ['a\0b', /NUL/],
  ];
  for (const [key, why] of cases) assert.throws(() => checkObjectKey(key), userError(why), JSON.stringify(key));
  assert.equal(checkListPrefix(''), '');
  assert.equal(checkListPrefix('files/md5/'), 'files/md5/');
  assert.equal(checkListPrefix('files/md5/a'), 'files/md5/a');
  assert.throws(() => checkListPrefix('../'), UserError);
});
