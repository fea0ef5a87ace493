/**
 * ReadOptions.onNotANumber: a text cell in a numeric column is reported by column and reads as NaN instead of
 * stopping the read, in every format; without it the read still refuses the cell.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, tempFolder } from './helpers.ts';

describe('onNotANumber', () => {
  const folder = tempFolder();
  after(() => folder.cleanup());
  const csv = folder.write('t.csv', 'a,b\n1,x\n2,3\n,"4"\nfour,5\n');
  const jsonl = folder.write('t.jsonl', '{"a":1,"b":"x"}\n{"a":2,"b":3}\n{"a":null,"b":"4"}\n{"a":"four","b":5}\n');

  for (const [format, path] of [
    ['CSV', csv],
    ['JSONL', jsonl],
  ] as const) {
    test(`${format}: each text cell is reported with its column and reads as NaN; numbers and gaps as usual`, async () => {
      const reported: string[] = [];
      const read = await collect(path, { numeric: ['a', 'b'], onNotANumber: (column) => reported.push(column) });
      assert.deepEqual(reported, ['b', 'a']);
      assert.deepEqual(read.numeric.a, [1, 2, NaN, NaN]);
      assert.deepEqual(read.numeric.b, [NaN, 3, 4, 5]);
    });
    test(`${format}: without it, the text cell is a UserError naming the cell`, async () => {
      await assert.rejects(collect(path, { numeric: ['b'] }), /row 1, column "b": "x" is not a number/);
    });
  }
});
