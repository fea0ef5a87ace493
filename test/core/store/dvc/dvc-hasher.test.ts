import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  createDvcHasher,
  digestMatches,
  hashDvcFile,
  type DvcDigest,
} from '../../../../core/store/internal/dvc/dvc-hasher.ts';
import { dos2unix, isTextBlock } from '../../../../core/store/internal/dvc/text-detection.ts';
import type { DvcHashKind } from '../../../../core/store/internal/dvc/types.ts';
import { expected, FIXTURES, userError } from './helpers.ts';

const MiB = 1 << 20;

/** The big inputs generate.py describes by recipe (same bytes as its HASHING_RECIPES). */
const RECIPES: Record<string, () => Buffer> = {
  'crlf-across-block': () =>
    Buffer.concat([Buffer.alloc(MiB - 1, 'a'), Buffer.from('\r\n'), Buffer.from('b\r\n'.repeat(4))]),
  'text-then-binary': () =>
    Buffer.concat([
      Buffer.from('line\r\n'.repeat(Math.floor(MiB / 6) + 1)).subarray(0, MiB),
      Buffer.from('\0\r\n'.repeat(1000), 'latin1'),
    ]),
  'binary-then-text': () =>
    Buffer.concat([Buffer.from([0]), Buffer.alloc(MiB - 1, 'x'), Buffer.from('y\r\n'.repeat(100))]),
};

function hashInChunks(bytes: Uint8Array, kind: DvcHashKind, chunk: number): DvcDigest {
  const hasher = createDvcHasher(kind);
  for (let at = 0; at < bytes.length; at += chunk) hasher.update(bytes.subarray(at, at + chunk));
  return hasher.digest();
}

describe('DVC hashing matches DVC 3 (md5) and DVC 2 (md5-dos2unix)', () => {
  const names = readdirSync(join(FIXTURES, 'hashing')).sort();

  test('every fixture file has an expected record', () => {
    assert.deepEqual(names, Object.keys(expected.hashing).sort());
  });

  for (const name of names) {
    test(`${name}: md5 of raw bytes, md5-dos2unix as DVC 2 wrote it`, async () => {
      const want = expected.hashing[name];
      const path = join(FIXTURES, 'hashing', name);
      const raw = await hashDvcFile(path, 'md5');
      assert.deepEqual(raw, { kind: 'md5', md5: want.md5, accepted: [want.md5], size: want.size });
      const legacy = await hashDvcFile(path, 'md5-dos2unix');
      assert.equal(legacy.md5, want.md5_dos2unix_2x);
      assert.equal(legacy.size, want.size, 'size counts the bytes on disk, not the normalised ones');
      assert.ok(digestMatches(legacy, want.md5_dos2unix_3x));
    });
  }

  test('a CRLF text file hashes as its LF twin under md5-dos2unix, and differently under md5', async () => {
    const crlf = await hashDvcFile(join(FIXTURES, 'hashing/crlf.txt'), 'md5-dos2unix');
    const lf = await hashDvcFile(join(FIXTURES, 'hashing/lf.txt'), 'md5-dos2unix');
    assert.equal(crlf.md5, lf.md5);
    assert.notEqual((await hashDvcFile(join(FIXTURES, 'hashing/crlf.txt'), 'md5')).md5, lf.md5);
  });

  for (const [name, make] of Object.entries(RECIPES)) {
    test(`${name} (over 1 MiB): the same digest however the stream is chunked`, () => {
      const bytes = make();
      const want = expected.recipes[name];
      assert.equal(bytes.length, want.size);
      for (const chunk of [1 << 16, 7919, MiB, MiB + 3, bytes.length]) {
        const raw = hashInChunks(bytes, 'md5', chunk);
        assert.equal(raw.md5, want.md5, `md5, chunk ${chunk}`);
        const legacy = hashInChunks(bytes, 'md5-dos2unix', chunk);
        assert.equal(legacy.md5, want.md5_dos2unix_2x, `md5-dos2unix (2.x), chunk ${chunk}`);
        const both = [...new Set([want.md5_dos2unix_2x, want.md5_dos2unix_3x])];
        assert.deepEqual(legacy.accepted, both, `accepted values, chunk ${chunk}`);
      }
    });
  }

  test('a byte-at-a-time stream gives the same md5-dos2unix as one write', () => {
    const bytes = readFileSync(join(FIXTURES, 'hashing/lone-cr.txt'));
    assert.equal(hashInChunks(bytes, 'md5-dos2unix', 1).md5, expected.hashing['lone-cr.txt'].md5_dos2unix_2x);
  });

  test('a digest with one flipped byte does not match', async () => {
    const bytes = Buffer.from(readFileSync(join(FIXTURES, 'hashing/crlf.txt')));
    bytes[3] ^= 1;
    const digest = hashInChunks(bytes, 'md5-dos2unix', 64);
    assert.ok(!digestMatches(digest, expected.hashing['crlf.txt'].md5_dos2unix_2x));
  });

  test('a missing file or a folder is a UserError', async () => {
    await assert.rejects(hashDvcFile(join(FIXTURES, 'no-such-file'), 'md5'), userError(/does not exist/));
    await assert.rejects(hashDvcFile(join(FIXTURES, 'hashing'), 'md5'), userError(/is a folder/));
  });
});

describe('istextblock and dos2unix as DVC has them', () => {
  test('empty is text, a NUL in the first 512 bytes is binary, after them it is not looked at', () => {
    assert.equal(isTextBlock(new Uint8Array()), true);
    assert.equal(isTextBlock(Buffer.from('abc\0')), false);
    assert.equal(isTextBlock(Buffer.concat([Buffer.alloc(512, 'a'), Buffer.from([0])])), true);
  });

  test('up to 30% non-text bytes is text', () => {
    const block = (nonText: number) => Buffer.concat([Buffer.alloc(nonText, 0x80), Buffer.alloc(100 - nonText, 'a')]);
    assert.equal(isTextBlock(block(30)), true);
    assert.equal(isTextBlock(block(31)), false);
    assert.equal(isTextBlock(Buffer.from('\n\r\t\f\b')), true);
    assert.equal(isTextBlock(Buffer.from([0x7f, 0x7f, 0x7f, 0x41])), false, 'DEL is not text');
  });

  test('dos2unix replaces CRLF only, left to right', () => {
    assert.equal(Buffer.from(dos2unix(Buffer.from('a\rb\r\r\nc\n\r\r\n'))).toString(), 'a\rb\r\nc\n\r\n');
    // Against String.replaceAll on random runs of CR, LF and text, the shapes where a loop could slip.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 3;
    for (let round = 0; round < 200; round++) {
      const text = Array.from({ length: 1 + (round % 40) }, () => '\r\na'[next()]).join('');
      assert.equal(
        Buffer.from(dos2unix(Buffer.from(text, 'latin1'))).toString('latin1'),
        text.replaceAll('\r\n', '\n'),
        JSON.stringify(text),
      );
    }
    const untouched = Buffer.from('no crlf\n');
    assert.equal(dos2unix(untouched), untouched);
  });
});
