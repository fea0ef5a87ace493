import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, test } from 'node:test';
import { sha256File } from '../../../core/data/sha256-file.ts';
import { UserError } from '../../../core/errors.ts';
import { tempFolder } from './helpers.ts';

const folder = tempFolder();
after(folder.cleanup);

test('hex SHA-256 of the bytes: the FIPS 180-2 "abc" vector, an empty file and a multi-chunk file', async () => {
  assert.equal(
    await sha256File(folder.write('abc.txt', 'abc')),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
  assert.equal(
    await sha256File(folder.write('empty.bin', '')),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  const big = Buffer.alloc(3 * (1 << 20) + 17, 7);
  assert.equal(await sha256File(folder.write('big.bin', big)), createHash('sha256').update(big).digest('hex'));
});

test('a missing file or a folder is a UserError', async () => {
  await assert.rejects(
    sha256File(folder.path('missing.bin')),
    (error: unknown) => error instanceof UserError && /does not exist/.test(error.message),
  );
  await assert.rejects(
    sha256File(folder.path('')),
    (error: unknown) => error instanceof UserError && /is a folder/.test(error.message),
  );
});
