import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDvcFile } from '../../../../core/store/internal/dvc/parse-dvc-file.ts';
import { formatDvcFile } from '../../../../core/store/internal/dvc/write-dvc-file.ts';
import { expected, FIXTURES, userError } from './helpers.ts';

const M = 'acbd18db4cc2f85cedef654fccc4a4d8';

describe('formatDvcFile writes what DVC 3 `dvc add` writes', () => {
  test('a file: md5, size, hash: md5, path (byte-identical to the fixture)', () => {
    const text = formatDvcFile([{ path: 'data.txt', md5: expected.outputs['data.txt'].md5, size: 12 }]);
    assert.equal(text, readFileSync(join(FIXTURES, 'repo/data.txt.dvc'), 'utf8'));
  });

  test('a folder: md5 .dir, size, nfiles, hash: md5, path', () => {
    const text = formatDvcFile([{ path: 'foobar', md5: '5ea40360f5b4ec688df672a4db9c17d1.dir', size: 6, nfiles: 2 }]);
    assert.equal(
      text,
      'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n  hash: md5\n  path: foobar\n',
    );
    assert.equal(text, readFileSync(join(FIXTURES, 'repo/foobar.dvc'), 'utf8'));
  });

  test('an executable file gets isexec: true before hash', () => {
    assert.equal(
      formatDvcFile([{ path: 'run.sh', md5: M, size: 3, isexec: true }]),
      `outs:\n- md5: ${M}\n  size: 3\n  isexec: true\n  hash: md5\n  path: run.sh\n`,
    );
  });

  test('paths YAML would misread are quoted, and every path reads back as written', () => {
    assert.match(formatDvcFile([{ path: 'true', md5: M, size: 1 }]), /path: 'true'\n/);
    assert.match(formatDvcFile([{ path: '2.0', md5: M, size: 1 }]), /path: '2\.0'\n/);
    const digits = '12345678901234567890123456789012';
    assert.match(formatDvcFile([{ path: 'x', md5: digits, size: 1 }]), new RegExp(`md5: '${digits}'\\n`));
    const paths = [
      'データ/ファイル.csv',
      'a: b',
      '#hash',
      "it's",
      'x"y',
      '@at',
      'null',
      '~',
      'with space/and more',
      `${'long/'.repeat(30)}end with spaces in it and more words to pass eighty`,
    ];
    for (const path of paths) {
      const [out] = parseDvcFile(formatDvcFile([{ path, md5: M, size: 1 }]), 'x.dvc');
      assert.equal(out.path, path);
      assert.equal(out.hashKind, 'md5');
    }
  });

  test('inconsistent outputs are refused', () => {
    assert.throws(() => formatDvcFile([{ path: 'd', md5: `${M}.dir`, size: 1 }]), userError(/needs nfiles/));
    assert.throws(
      () => formatDvcFile([{ path: 'f', md5: M, size: 1, nfiles: 1 }]),
      userError(/needs nfiles, and a file has none/),
    );
    assert.throws(() => formatDvcFile([{ path: 'f', md5: 'abc', size: 1 }]), userError(/is not an md5/));
    assert.throws(() => formatDvcFile([{ path: 'f', md5: M, size: 1.5 }]), userError(/not a whole number of bytes/));
    assert.throws(() => formatDvcFile([{ path: '/abs', md5: M, size: 1 }]), userError(/must be relative/));
    assert.throws(() => formatDvcFile([]), /at least one output/);
  });
});
