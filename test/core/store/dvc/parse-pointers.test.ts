import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDvcFile } from '../../../../core/store/internal/dvc/parse-dvc-file.ts';
import { parseDvcLock } from '../../../../core/store/internal/dvc/parse-dvc-lock.ts';
import { isDvcPointerPath, readDvcPointers } from '../../../../core/store/internal/dvc/read-dvc-pointers.ts';
import { expected, FIXTURES, userError } from './helpers.ts';

const repo = (name: string) => join(FIXTURES, 'repo', name);
const M = 'acbd18db4cc2f85cedef654fccc4a4d8';

describe('.dvc files', () => {
  test('a DVC 3 file output', async () => {
    const path = repo('data.txt.dvc');
    assert.deepEqual(await readDvcPointers(path), [
      {
        path: 'data.txt',
        md5: expected.outputs['data.txt'].md5,
        size: 12,
        isDir: false,
        hashKind: 'md5',
        cache: true,
        role: 'out',
        origin: `${path}: outs[0]`,
      },
    ]);
  });

  test('a DVC 3 folder output', async () => {
    const [out] = await readDvcPointers(repo('foobar.dvc'));
    assert.equal(out.md5, '5ea40360f5b4ec688df672a4db9c17d1.dir');
    assert.deepEqual([out.isDir, out.nfiles, out.size, out.hashKind], [true, 2, 6, 'md5']);
  });

  test('a DVC 2 output (no hash: md5) is md5-dos2unix', async () => {
    const [out] = await readDvcPointers(repo('legacy.dvc'));
    assert.deepEqual(
      [out.path, out.md5, out.hashKind, out.nfiles],
      ['legacy', expected.outputs.legacy.md5, 'md5-dos2unix', 3],
    );
  });

  test('wdir, cache: false, remote and isexec are kept; paths are normalised', () => {
    const text = `wdir: sub\nouts:\n- md5: ${M}\n  path: ./a/../b.bin\n  isexec: true\n  cache: false\n  remote: backup\n  hash: md5\n`;
    assert.deepEqual(parseDvcFile(text, 'x.dvc'), [
      {
        path: 'sub/b.bin',
        md5: M,
        isDir: false,
        hashKind: 'md5',
        cache: false,
        remote: 'backup',
        isexec: true,
        role: 'out',
        origin: 'x.dvc: outs[0]',
      },
    ]);
    assert.equal(
      parseDvcFile(`outs:\n- md5: ${M}\n  path: ../up.bin\n`, 'x.dvc')[0].path,
      '../up.bin',
      'relative to the .dvc folder; the caller checks it stays in the repo',
    );
  });

  const broken: Array<[string, string, RegExp[]]> = [
    ['empty file', '', [/x\.dvc: the file is empty/, /dvc add/]],
    ['not YAML', 'outs: [\n', [/x\.dvc: invalid YAML/]],
    ['a list at the top', '- a\n', [/x\.dvc: expected a map with outs:, got a list/]],
    ['no outs', 'meta: 1\n', [/x\.dvc: outs: expected a list of outputs, got nothing/]],
    [
      'no md5',
      'outs:\n- path: a\n',
      [/x\.dvc: outs\[0\]\.md5: missing: the output was never committed/, /dvc commit/, /\(line 2\)/],
    ],
    [
      'bad md5',
      'outs:\n- md5: 12ab\n  path: a\n',
      [/outs\[0\]\.md5: expected 32 lowercase hex digits .*got "12ab" \(line 2\)/],
    ],
    [
      'numeric md5',
      'outs:\n- md5: 12345678901234567890123456789012\n  path: a\n',
      [/outs\[0\]\.md5: expected 32 lowercase hex digits/],
    ],
    [
      'unknown hash',
      `outs:\n- md5: ${M}\n  hash: sha256\n  path: a\n`,
      [/outs\[0\]\.hash: expected md5 \(DVC 3\) or no hash key \(DVC 2\), got "sha256" \(line 3\)/],
    ],
    [
      'bad size',
      `outs:\n- md5: ${M}\n  size: -1\n  path: a\n`,
      [/outs\[0\]\.size: expected a whole number of bytes, got -1/],
    ],
    [
      'nfiles on a file',
      `outs:\n- md5: ${M}\n  nfiles: 2\n  path: a\n`,
      [/outs\[0\]\.nfiles: a file output has no nfiles/],
    ],
    ['no path', `outs:\n- md5: ${M}\n`, [/outs\[0\]\.path: expected the path of the output, got nothing/]],
    [
      'external output',
      `outs:\n- md5: ${M}\n  path: s3://bucket/key\n`,
      [/outs\[0\]\.path: "s3:\/\/bucket\/key" is outside the repository/],
    ],
    ['absolute output', `outs:\n- md5: ${M}\n  path: /etc/passwd\n`, [/is outside the repository/]],
    ['cloud versioned', `outs:\n- files: []\n  path: d\n`, [/outs\[0\]\.files: cloud-versioned outputs/]],
    ['backslash path', `outs:\n- md5: ${M}\n  path: a\\\\b\n`, [/outs\[0\]\.path: .*backslash/]],
    ['duplicate key', `outs:\n- md5: ${M}\n  md5: ${M}\n  path: a\n`, [/invalid YAML/]],
  ];
  for (const [name, text, patterns] of broken) {
    test(`${name}: a UserError naming the file and the key`, () => {
      assert.throws(() => parseDvcFile(text, 'x.dvc'), userError(...patterns));
    });
  }
});

describe('dvc.lock', () => {
  test('stages, outs and deps of the fixture lock; DVC 2 entries are md5-dos2unix', async () => {
    const path = repo('dvc.lock');
    const entries = await readDvcPointers(path);
    const summary = entries.map(
      (e) => `${e.stage} ${e.role} ${e.path} ${e.hashKind}${e.isDir ? ` dir:${e.nfiles}` : ''}`,
    );
    assert.deepEqual(summary, [
      'prepare dep data.txt md5',
      'prepare dep src/prepare.py md5',
      'prepare out prepared md5 dir:2',
      'train dep prepared md5 dir:2',
      'train out model.bin md5',
      'evaluate dep model.bin md5-dos2unix',
      'evaluate out metrics.json md5-dos2unix',
    ]);
    const metrics = entries.find((e) => e.path === 'metrics.json')!;
    assert.equal(metrics.md5, expected.outputs['metrics.json'].md5);
    assert.equal(metrics.origin, `${path}: stages.evaluate.outs[0]`);
  });

  test('deps that are params, URLs or outside paths are left out; outs must be in the repo', () => {
    const text = `schema: '2.0'\nstages:\n  s:\n    cmd: x\n    deps:\n    - path: s3://b/k\n      etag: abc\n    - path: /abs/file\n      md5: ${M}\n    - path: params.yaml\n    params:\n      params.yaml:\n        a: 1\n`;
    assert.deepEqual(parseDvcLock(text, 'dvc.lock'), []);
    const bad = `schema: '2.0'\nstages:\n  s:\n    cmd: x\n    outs:\n    - path: https://x/y\n      md5: ${M}\n`;
    assert.throws(
      () => parseDvcLock(bad, 'dvc.lock'),
      userError(/dvc\.lock: stages\.s\.outs\[0\]\.path: .* is outside the repository.*\(line 6\)/),
    );
  });

  test('the DVC 1 form (stages at the top) reads as DVC 2 hashes', () => {
    const [out] = parseDvcLock(`train:\n  cmd: x\n  outs:\n  - path: m.bin\n    md5: ${M}\n`, 'dvc.lock');
    assert.deepEqual([out.stage, out.path, out.hashKind], ['train', 'm.bin', 'md5-dos2unix']);
  });

  test('a stage wdir from dvc.yaml can be passed in', () => {
    const [out] = parseDvcLock(
      `schema: '2.0'\nstages:\n  t:\n    cmd: x\n    outs:\n    - path: m.bin\n      hash: md5\n      md5: ${M}\n`,
      'dvc.lock',
      { t: 'models' },
    );
    assert.equal(out.path, 'models/m.bin');
  });

  test('an unknown schema, a bad stage or bad outs are UserErrors naming the key', () => {
    assert.throws(
      () => parseDvcLock("schema: '3.0'\nstages: {}\n", 'dvc.lock'),
      userError(/dvc\.lock: schema: unsupported lock file schema "3\.0"/),
    );
    assert.throws(
      () => parseDvcLock("schema: '2.0'\nstages: []\n", 'dvc.lock'),
      userError(/dvc\.lock: stages: expected a map of stage names/),
    );
    assert.throws(
      () => parseDvcLock("schema: '2.0'\nstages:\n  s: 3\n", 'dvc.lock'),
      userError(/dvc\.lock: stages\.s: expected a stage/),
    );
    assert.throws(
      () => parseDvcLock("schema: '2.0'\nstages:\n  s:\n    outs: x\n", 'dvc.lock'),
      userError(/stages\.s\.outs: expected a list/),
    );
    assert.deepEqual(parseDvcLock('', 'dvc.lock'), []);
  });
});

describe('readDvcPointers', () => {
  test('names other than *.dvc and dvc.lock, missing files and folders are UserErrors', async () => {
    assert.equal(isDvcPointerPath('a/b.dvc'), true);
    assert.equal(isDvcPointerPath('dvc.lock'), true);
    assert.equal(isDvcPointerPath('dvc.yaml'), false);
    assert.equal(isDvcPointerPath('.dvc'), false);
    await assert.rejects(readDvcPointers(repo('dvc.yaml')), userError(/not a DVC pointer file/));
    await assert.rejects(readDvcPointers(repo('missing.dvc')), userError(/missing\.dvc does not exist/));
    assert.ok(readFileSync(repo('foobar.dvc'), 'utf8').includes('hash: md5'));
  });
});
