/**
 * Bounded input: at most 100,000 columns and 64 MiB per record (CSV row, JSONL line). Past either,
 * a UserError naming the file and the limit, where the reader used to run V8 out of memory or string
 * length and the process died without a message. The files are made on the fly.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { UserError } from '../../../core/errors.ts';
import { inspectTable } from '../../../core/data/inspect-table.ts';
import { MAX_COLUMNS, MAX_RECORD_BYTES } from '../../../core/data/internal/record-bounds.ts';
import { collect, tempFolder } from './helpers.ts';

const folder = tempFolder();
after(folder.cleanup);

const refused = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
  assert.match(error.message, pattern);
  return true;
};

const names = (count: number, prefix = 'c') => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

/** `before`, then `size` bytes of `fill`, then `after`, written in 1 MiB pieces (no string that long is made). */
function writeLong(name: string, before: string, size: number, fill: number, afterText: string): string {
  const path = folder.path(name);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, before);
    const piece = Buffer.alloc(1 << 20, fill);
    for (let left = size; left > 0; left -= piece.length) writeSync(fd, piece, 0, Math.min(left, piece.length));
    writeSync(fd, afterText);
  } finally {
    closeSync(fd);
  }
  return path;
}

describe('at most 100,000 columns', () => {
  test(`a CSV header of exactly ${MAX_COLUMNS} columns is read`, async () => {
    const header = names(MAX_COLUMNS);
    const path = folder.write('widest.csv', `${header.join(',')}\n${header.map(() => '1').join(',')}\n`);
    const schema = await inspectTable(path);
    assert.equal(schema.columns.length, MAX_COLUMNS);
    assert.deepEqual((await collect(path, { numeric: ['c99999'] })).numeric.c99999, [1]);
  });

  test('a CSV header one column wider, or a million columns wide, is refused naming the limit', async () => {
    const one = folder.write('too-wide.csv', `${names(MAX_COLUMNS + 1).join(',')}\n${'1,'.repeat(MAX_COLUMNS)}1\n`);
    await assert.rejects(inspectTable(one), refused(/too-wide\.csv: the header names more than 100,000 columns/));
    const million = folder.write('million.csv', `${names(1_000_000).join(',')}\n`);
    await assert.rejects(inspectTable(million), refused(/million\.csv: the header names more than 100,000 columns/));
    await assert.rejects(collect(million, { numeric: ['c0'] }), refused(/more than 100,000 columns/));
  });

  test('a header of nothing but separators (60 million empty names) is refused before it makes the names', async () => {
    const path = writeLong('commas.csv', '', 60 << 20, 44, 'x\n1\n');
    await assert.rejects(inspectTable(path), refused(/commas\.csv: the header names more than 100,000 columns/));
  });

  test('a JSONL object with more than 100,000 keys is refused naming its line', async () => {
    const wide = `{${names(MAX_COLUMNS + 1, 'k')
      .map((key) => `"${key}":1`)
      .join(',')}}`;
    const path = folder.write('wide.jsonl', `{"a": 1}\n${wide}\n`);
    await assert.rejects(inspectTable(path), refused(/wide\.jsonl line 2: the object has more than 100,000 columns/));
    // commas inside strings and nested values are not keys
    const nested = `{"a": [${'1,'.repeat(MAX_COLUMNS + 10)}1], "b": "${','.repeat(MAX_COLUMNS + 10)}"}`;
    const fine = folder.write('nested.jsonl', `${nested}\n`);
    assert.deepEqual((await inspectTable(fine)).columns, ['a', 'b']);
  });

  test('JSONL rows whose keys add up to more than 100,000 columns are refused', async () => {
    const rows = Array.from(
      { length: 3 },
      (_, row) =>
        `{${names(40_000, `r${row}_`)
          .map((key) => `"${key}":1`)
          .join(',')}}`,
    );
    const path = folder.write('sparse.jsonl', `${rows.join('\n')}\n`);
    await assert.rejects(
      inspectTable(path),
      refused(/sparse\.jsonl: the first 3 objects have more than 100,000 columns/),
    );
  });

  test('a Parquet schema with more than 100,000 columns is refused', async () => {
    const columnData = names(MAX_COLUMNS + 1).map((name) => ({ name, data: [1], type: 'INT32' as const }));
    const path = folder.write('wide.parquet', new Uint8Array(parquetWriteBuffer({ columnData })));
    await assert.rejects(inspectTable(path), refused(/wide\.parquet: the schema has more than 100,000 columns/));
  });
});

describe('at most 64 MiB per record', () => {
  const over = MAX_RECORD_BYTES + 1024;

  test('a CSV row just over 64 MiB is refused naming its line; the rows before it were fine', async () => {
    const path = writeLong('long-row.csv', 'id,text\n1,short\n2,', over, 120, '\n3,after\n');
    await assert.rejects(
      collect(path, { text: ['text'] }),
      refused(/long-row\.csv line 3: the record starting there is longer than 64\.0 MiB/),
    );
  });

  test('a CSV header just over 64 MiB (one quoted name) is refused', async () => {
    const path = writeLong('long-header.csv', '"', over, 120, '"\n1\n');
    await assert.rejects(
      inspectTable(path),
      refused(/long-header\.csv line 1: the record starting there is longer than 64\.0 MiB/),
    );
  });

  test('a JSONL line just over 64 MiB is refused naming its line', async () => {
    const path = writeLong('long.jsonl', '{"a": 1}\n{"a": "', over, 120, '"}\n');
    await assert.rejects(
      inspectTable(path),
      refused(/long\.jsonl line 2: the record starting there is longer than 64\.0 MiB/),
    );
  });

  test('a record of a few MiB, longer than one read, still reads', async () => {
    const path = writeLong('three-mib.csv', 'id,text\n1,', 3 << 20, 120, '\n');
    const { text } = await collect(path, { text: ['text'] });
    assert.equal(text.text[0].length, 3 << 20);
  });
});
