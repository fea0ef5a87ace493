import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDirManifest } from '../../../../core/store/internal/dvc/dir-manifest.ts';
import { createDvcHasher, digestMatches } from '../../../../core/store/internal/dvc/dvc-hasher.ts';
import { layoutForHashKind, objectKey } from '../../../../core/store/internal/dvc/object-key.ts';
import { readDvcPointers } from '../../../../core/store/internal/dvc/read-dvc-pointers.ts';
import type { DvcHashKind, DvcOutput } from '../../../../core/store/internal/dvc/types.ts';
import { FIXTURES, userError } from './helpers.ts';

describe('objectKey', () => {
  test('3.x: files/md5/<xx>/<rest>; 2.x: <xx>/<rest>; .dir kept', () => {
    assert.equal(objectKey('acbd18db4cc2f85cedef654fccc4a4d8', '3.x'), 'files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8');
    assert.equal(objectKey('acbd18db4cc2f85cedef654fccc4a4d8', '2.x'), 'ac/bd18db4cc2f85cedef654fccc4a4d8');
    assert.equal(
      objectKey('5ea40360f5b4ec688df672a4db9c17d1.dir', '3.x'),
      'files/md5/5e/a40360f5b4ec688df672a4db9c17d1.dir',
    );
    assert.equal(objectKey('5ea40360f5b4ec688df672a4db9c17d1.dir', '2.x'), '5e/a40360f5b4ec688df672a4db9c17d1.dir');
  });

  test('the layout follows the hash kind, as DVC 3 keeps 2.x outputs at the remote root', () => {
    assert.equal(layoutForHashKind('md5'), '3.x');
    assert.equal(layoutForHashKind('md5-dos2unix'), '2.x');
  });

  test('anything but an object id is refused (no key can climb out of the remote)', () => {
    for (const bad of [
      '../../etc/passwd',
      'ACBD18DB4CC2F85CEDEF654FCCC4A4D8',
      'acbd18db',
      'acbd18db4cc2f85cedef654fccc4a4d8.DIR',
      '',
    ]) {
      assert.throws(() => objectKey(bad, '3.x'), userError(/is not a DVC object id/), bad);
    }
  });
});

/** What a pull of `output` from a local remote folder reads: every object, checked against its id. */
function pullFromFolder(remote: string, output: DvcOutput): Map<string, Buffer> {
  const read = (md5: string, kind: DvcHashKind) => {
    const bytes = readFileSync(join(remote, objectKey(md5, layoutForHashKind(kind))));
    const hasher = createDvcHasher(kind);
    hasher.update(bytes);
    assert.ok(digestMatches(hasher.digest(), md5), `object ${md5} verifies`);
    return bytes;
  };
  const files = new Map<string, Buffer>();
  if (!output.isDir) {
    files.set(output.path, read(output.md5, output.hashKind));
    return files;
  }
  const entries = parseDirManifest(read(output.md5, output.hashKind), output.md5);
  assert.equal(entries.length, output.nfiles);
  for (const entry of entries) files.set(`${output.path}/${entry.relpath}`, read(entry.md5, output.hashKind));
  return files;
}

describe('the fixture remotes hold what the pointers name, verified as DVC would', () => {
  const cases: Array<[string, string]> = [
    ['data.txt.dvc', 'remote-3x'],
    ['foobar.dvc', 'remote-3x'],
    ['legacy.dvc', 'remote-2x'],
  ];
  for (const [pointer, remote] of cases) {
    test(`${pointer} from ${remote}`, async () => {
      const [output] = await readDvcPointers(join(FIXTURES, 'repo', pointer));
      const files = pullFromFolder(join(FIXTURES, remote), output);
      let size = 0;
      for (const [path, bytes] of files) {
        assert.deepEqual(bytes, readFileSync(join(FIXTURES, 'workspace', path)), path);
        size += bytes.length;
      }
      assert.equal(size, output.size);
    });
  }

  test('dvc.lock outs: DVC 3 entries from the 3.x layout, the DVC 2 stage from the 2.x layout', async () => {
    const outs = (await readDvcPointers(join(FIXTURES, 'repo', 'dvc.lock'))).filter((o) => o.role === 'out');
    for (const output of outs) {
      const remote = join(FIXTURES, output.hashKind === 'md5' ? 'remote-3x' : 'remote-2x');
      for (const [path, bytes] of pullFromFolder(remote, output)) {
        assert.deepEqual(bytes, readFileSync(join(FIXTURES, 'workspace', path)), path);
      }
    }
    assert.deepEqual(
      outs.map((o) => o.path),
      ['prepared', 'model.bin', 'metrics.json'],
    );
  });

  test('the 2.x remote names a CRLF text file by its LF md5, and keeps its CRLF bytes', () => {
    const crlf = readFileSync(join(FIXTURES, 'workspace/legacy/crlf.txt'));
    assert.ok(crlf.includes('\r\n'));
    const hasher = createDvcHasher('md5-dos2unix');
    hasher.update(crlf);
    const { md5 } = hasher.digest();
    assert.deepEqual(readFileSync(join(FIXTURES, 'remote-2x', objectKey(md5, '2.x'))), crlf);
    const raw = createDvcHasher('md5');
    raw.update(crlf);
    assert.notEqual(raw.digest().md5, md5);
  });
});
