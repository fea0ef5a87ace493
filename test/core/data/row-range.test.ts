import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { countRows } from '../../../core/data/read-table.ts';
import { inspectTable } from '../../../core/data/inspect-table.ts';
import { CHUNK_SIZES, collect, tempFolder } from './helpers.ts';

const folder = tempFolder();
after(folder.cleanup);

// Eleven rows; a quoted line break and a blank line inside, so a row is not a line.
const values = Array.from({ length: 11 }, (_, i) => i * 1.5);
const labels = values.map((_, i) => (i === 4 ? 'two\nlines' : `r${i}`));
const csv = folder.write(
  'rows.csv',
  `x,label\n${values.map((v, i) => `${v},"${labels[i]}"${i === 6 ? '\n' : ''}`).join('\n')}\n`,
);
const jsonl = folder.write('rows.jsonl', values.map((v, i) => JSON.stringify({ x: v, label: labels[i] })).join('\n'));
const parquet = folder.write(
  'rows.parquet',
  new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'x', data: values, type: 'DOUBLE' },
        { name: 'label', data: labels, type: 'STRING' },
      ],
      rowGroupSize: 4,
    }),
  ),
);

const RANGES = [
  [0, 11],
  [0, 3],
  [3, 7],
  [4, 5],
  [8, 11],
  [10, 11],
  [5, 5],
] as const;

describe('readTable with a row range (sharded evaluation)', () => {
  for (const [format, path] of [
    ['CSV', csv],
    ['JSONL', jsonl],
    ['Parquet', parquet],
  ] as const) {
    test(`${format}: rows start..end are exactly those rows of the whole file, numbered as in it`, async () => {
      assert.equal(await countRows(path, await inspectTable(path)), 11);
      for (const chunkSize of format === 'Parquet' ? [undefined] : CHUNK_SIZES) {
        for (const batchSize of [1, 3, 100]) {
          for (const [start, end] of RANGES) {
            const got = await collect(
              path,
              { batchSize, numeric: ['x'], text: ['label'], rows: { start, end } },
              chunkSize,
            );
            const where = `${start}..${end} batch ${batchSize} chunk ${chunkSize}`;
            assert.deepEqual(got.numeric.x, values.slice(start, end), where);
            assert.deepEqual(got.text.label, labels.slice(start, end), where);
            if (end > start) assert.equal(got.batches[0].firstRow, start + 1, where);
            assert.ok(
              got.batches.every((batch) => batch.length <= batchSize),
              where,
            );
          }
        }
      }
    });
  }

  test('rows before the range are not read: a bad cell there does not stop the range', async () => {
    const path = folder.write('bad-early.csv', 'x\noops\n2\n3\n');
    const got = await collect(path, { numeric: ['x'], allowMissing: false, rows: { start: 1, end: 3 } });
    assert.deepEqual(got.numeric.x, [2, 3]);
  });
});
