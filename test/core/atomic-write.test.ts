import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { copyAtomic, tempPathBeside, writeFileAtomic } from '../../core/atomic-write.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import { tempDir } from '../support/cli.ts';
import { userError } from '../support/assertions.ts';

describe('the atomic writer', () => {
  test('writes a file whose name takes all 255 bytes a file system allows (its temporary name is shortened)', async () => {
    const dir = tempDir();
    const path = join(dir, `${'é'.repeat(125)}.csv`); // 250 + 4 bytes of UTF-8
    await writeFileAtomic(path, 'a,b\n');
    assert.equal(readFileSync(path, 'utf8'), 'a,b\n');
    assert.deepEqual(readdirSync(dir), [basename(path)], 'no temporary file left');
    assert.ok(Buffer.byteLength(basename(tempPathBeside(path, '.123456789abc.tmp'))) <= 255);
    assert.equal(
      basename(tempPathBeside(join(dir, 'm.json'), '.x.tmp')),
      '.m.json.x.tmp',
      'a short name stays readable in the temporary name',
    );
  });

  test('copies a folder file by file', async () => {
    const from = tempDir();
    mkdirSync(join(from, 'sub'));
    writeFileSync(join(from, 'a.txt'), 'a');
    writeFileSync(join(from, 'sub', 'b.txt'), 'b');
    const to = join(tempDir(), 'copy');
    await copyAtomic(from, to);
    assert.deepEqual(readdirSync(to, { recursive: true }).sort(), ['a.txt', 'sub', join('sub', 'b.txt')]);
    assert.equal(readFileSync(join(to, 'sub', 'b.txt'), 'utf8'), 'b');
  });
});

describe('checkOutputPaths', () => {
  test('a name the atomic writer can write passes; one over 255 bytes, a file where a folder goes, and the reverse are refused', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a-file'), 'mine');
    await checkOutputPaths([{ path: join(dir, 'x'.repeat(255)), option: '--out', shown: 'x' }]);
    await checkOutputPaths([
      { path: join(dir, 'new', 'cache'), option: '--cache', shown: 'new/cache', kind: 'folder' },
    ]);
    await assert.rejects(
      checkOutputPaths([{ path: join(dir, 'x'.repeat(256)), option: '--out', shown: 'x' }]),
      userError(/--out x: the file name is longer than 255 bytes/),
    );
    await assert.rejects(
      checkOutputPaths([{ path: join(dir, 'a-file'), option: '--cache', shown: 'a-file', kind: 'folder' }]),
      userError(/--cache a-file is a file, not a folder/),
    );
    await assert.rejects(
      checkOutputPaths([{ path: dir, shown: 'data.dvc' }]),
      userError(/^data\.dvc is a folder, where a file is to be written; move the folder away\.$/),
    );
    assert.deepEqual(readdirSync(dir), ['a-file'], 'checking writes nothing');
  });
});
