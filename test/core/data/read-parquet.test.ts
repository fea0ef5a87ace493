import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { inspectTable } from '../../../core/data/inspect-table.ts';
import { readTable } from '../../../core/data/read-table.ts';
import { UserError } from '../../../core/errors.ts';
import { collect, tempFolder } from './helpers.ts';

const folder = tempFolder();
after(folder.cleanup);

// Ten rows in row groups of four, so batches of three straddle row-group boundaries.
const x = [0.5, -1.25, null, 3, 1e-300, 0.1, 2.5, -0, 7, 8];
const n = [1n, 2n, 3n, -4n, 5n, 9007199254740993n, 7n, 8n, 9n, 10n];
const s = ['a', null, 'é漢', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
const b = [true, false, true, false, true, false, true, false, true, false];
const path = folder.write(
  'data.parquet',
  new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'x', data: x, type: 'DOUBLE', nullable: true },
        { name: 'n', data: n, type: 'INT64', nullable: false },
        { name: 's', data: s, type: 'STRING', nullable: true },
        { name: 'b', data: b, type: 'BOOLEAN', nullable: false },
        { name: 'sn', data: ['1.5', '2', '', 'NA', '5', '6', '7', '8', '9', '10'], type: 'STRING', nullable: false },
      ],
      rowGroupSize: 4,
    }),
  ),
);

describe('readTable on Parquet', () => {
  test('inspectTable takes columns and kinds from the Parquet schema', async () => {
    assert.deepEqual(await inspectTable(path), {
      format: 'parquet',
      columns: ['x', 'n', 's', 'b', 'sn'],
      kinds: { x: 'number', n: 'number', s: 'string', b: 'string', sn: 'string' },
    });
  });

  test('reads every row group into batches that cross group boundaries; nulls are NaN / ""', async () => {
    const result = await collect(path, { numeric: ['x', 'n', 'b', 'sn'], text: ['s', 'n', 'b'], batchSize: 3 });
    assert.deepEqual(
      result.batches.map((batch) => [batch.firstRow, batch.length]),
      [
        [1, 3],
        [4, 3],
        [7, 3],
        [10, 1],
      ],
    );
    assert.deepEqual(result.numeric.x, [0.5, -1.25, NaN, 3, 1e-300, 0.1, 2.5, -0, 7, 8]);
    assert.deepEqual(
      result.numeric.n,
      [1, 2, 3, -4, 5, 9007199254740992, 7, 8, 9, 10],
      'int64 becomes the nearest double',
    );
    assert.deepEqual(result.numeric.b, [1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    assert.deepEqual(result.numeric.sn, [1.5, 2, NaN, NaN, 5, 6, 7, 8, 9, 10], 'numeric strings parse like CSV cells');
    assert.deepEqual(result.text.s, ['a', '', 'é漢', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    assert.deepEqual(result.text.n.slice(4, 6), ['5', '9007199254740993'], 'as text, int64 keeps every digit');
    assert.deepEqual(result.text.b.slice(0, 2), ['true', 'false']);
  });

  test('a null in a column that must have values, and text in a numeric column, name the row', async () => {
    await assert.rejects(
      collect(path, { numeric: ['x'], allowMissing: false }),
      /data\.parquet row 3, column "x": the value is missing, and this column must have a value/,
    );
    await assert.rejects(collect(path, { numeric: ['s'] }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(
        error.message,
        /data\.parquet row 1, column "s": "a" is not a number\. The column is read as numeric/,
      );
      return true;
    });
  });

  test('stopping after the first batch ends the read cleanly', async () => {
    const schema = await inspectTable(path);
    for await (const batch of readTable(path, schema, { batchSize: 2, numeric: ['x'], text: [] })) {
      assert.equal(batch.firstRow, 1);
      break;
    }
  });

  test('a file that is not Parquet, and one without rows, are UserErrors', async () => {
    await assert.rejects(inspectTable(folder.write('fake.parquet', 'not parquet at all')), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /fake\.parquet is not a readable Parquet file/);
      return true;
    });
    const empty = folder.write(
      'empty.parquet',
      new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'a', data: [], type: 'DOUBLE' }] })),
    );
    await assert.rejects(inspectTable(empty), /empty\.parquet has no data rows/);
    await assert.rejects(collect(path, { numeric: ['y'] }), /has no column "y"\. Its columns are: x, n, s, b, sn/);
  });
});
