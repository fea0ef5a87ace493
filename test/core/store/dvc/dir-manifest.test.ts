import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  buildDirManifest,
  parseDirManifest,
  serializeDirManifest,
} from '../../../../core/store/internal/dvc/dir-manifest.ts';
import { compareCodePoints, pythonJsonDumps } from '../../../../core/store/internal/dvc/python-json.ts';
import { expected, userError } from './helpers.ts';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('.dir manifests, byte for byte as DVC writes them', () => {
  test('a folder with foo="foo" and bar="bar" has id 5ea40360f5b4ec688df672a4db9c17d1.dir', () => {
    const { id, text } = buildDirManifest([
      { relpath: 'foo', md5: md5('foo') },
      { relpath: 'bar', md5: md5('bar') },
    ]);
    assert.equal(id, '5ea40360f5b4ec688df672a4db9c17d1.dir');
    assert.equal(
      text,
      '[{"md5": "37b51d194a7513e45b56f6524f2d51f2", "relpath": "bar"}, {"md5": "acbd18db4cc2f85cedef654fccc4a4d8", "relpath": "foo"}]',
    );
  });

  test("escapes and order match Python's json.dumps (ensure_ascii, code point order)", () => {
    const { entries, text, id } = expected.manifest_escapes;
    const built = buildDirManifest(Object.entries(entries).map(([relpath, hash]) => ({ relpath, md5: hash })));
    assert.equal(built.text, text);
    assert.equal(built.id, id);
  });

  test('an empty folder is "[]"', () => {
    assert.deepEqual(buildDirManifest([]), { id: `${md5('[]')}.dir`, text: '[]' });
  });

  test('parse reads back what serialise wrote, sorted, ignoring extra keys', () => {
    const text = serializeDirManifest([
      { relpath: 'b/c.txt', md5: md5('c') },
      { relpath: 'a.txt', md5: md5('a') },
    ]);
    assert.deepEqual(parseDirManifest(text, 'm.dir'), [
      { relpath: 'a.txt', md5: md5('a') },
      { relpath: 'b/c.txt', md5: md5('c') },
    ]);
    const withMeta = JSON.stringify([{ md5: md5('x'), relpath: 'x', size: 1, isexec: true }]);
    assert.deepEqual(parseDirManifest(Buffer.from(withMeta), 'm.dir'), [{ relpath: 'x', md5: md5('x') }]);
  });

  test('malformed manifests are UserErrors naming the manifest and the entry', () => {
    const m = md5('x');
    assert.throws(
      () => parseDirManifest('{', 'ab.dir'),
      userError(/ab\.dir is not a DVC \.dir manifest: invalid JSON/),
    );
    assert.throws(() => parseDirManifest('{"md5": "x"}', 'ab.dir'), userError(/expected a JSON list/));
    assert.throws(() => parseDirManifest('[1]', 'ab.dir'), userError(/entry \[0\] is not an object/));
    assert.throws(() => parseDirManifest(`[{"md5": "${m}"}]`, 'ab.dir'), userError(/entry \[0\]\.relpath is missing/));
    assert.throws(
      () => parseDirManifest('[{"relpath": "a", "md5": "XYZ"}]', 'ab.dir'),
      userError(/"a" has md5 "XYZ"; expected 32 lowercase hex/),
    );
    assert.throws(
      () => parseDirManifest(`[{"relpath": "a", "md5": "${m}.dir"}]`, 'ab.dir'),
      userError(/expected 32 lowercase hex/),
    );
    assert.throws(
      () => parseDirManifest(`[{"relpath": "a", "md5": "${m}"}, {"relpath": "a", "md5": "${m}"}]`, 'ab.dir'),
      userError(/"a" is listed twice/),
    );
    assert.throws(
      () => parseDirManifest(`[{"relpath": "a/b", "md5": "${m}"}, {"relpath": "a", "md5": "${m}"}]`, 'ab.dir'),
      userError(/"a" is listed as a file and as the folder of "a\/b"/),
    );
  });

  test('traversal and absolute paths in a manifest are refused', () => {
    const m = md5('x');
    for (const relpath of [
      '../escape',
      'a/../../escape',
      '/etc/passwd',
      'C:/Windows/x',
      'a\\..\\..\\x',
      'a//b',
      'a/',
      './a',
      'a\u0000b',
      '',
    ]) {
      const text = JSON.stringify([{ relpath, md5: m }]);
      assert.throws(() => parseDirManifest(text, 'evil.dir'), userError(/refused path .* in evil\.dir/), relpath);
    }
  });
});

describe('Python-compatible JSON', () => {
  test('compareCodePoints orders like Python str, not like UTF-16', () => {
    const names = ['😀', '\uffff', 'a', 'B', 'é'];
    assert.deepEqual([...names].sort(compareCodePoints), ['B', 'a', 'é', '\uffff', '😀']);
    assert.deepEqual(
      [...names].sort(),
      ['B', 'a', 'é', '😀', '\uffff'],
      'the default sort differs: why compareCodePoints exists',
    );
    assert.equal(compareCodePoints('a', 'ab') < 0, true);
    assert.equal(compareCodePoints('same', 'same'), 0);
  });

  test('dumps with sort_keys and default separators', () => {
    assert.equal(
      pythonJsonDumps({ relpath: 'x', md5: 'y', n: 3, ok: true, none: null }),
      '{"md5": "y", "n": 3, "none": null, "ok": true, "relpath": "x"}',
    );
    assert.equal(pythonJsonDumps(['\\"\u0001\u001f\u007f\u2028']), '["\\\\\\"\\u0001\\u001f\\u007f\\u2028"]');
    assert.throws(() => pythonJsonDumps(0.5), /only integers/);
  });
});
