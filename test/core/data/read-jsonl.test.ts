import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { inspectTable } from '../../../core/data/inspect-table.ts';
import { UserError } from '../../../core/errors.ts';
import { CHUNK_SIZES, collect, tempFolder } from './helpers.ts';

const folder = tempFolder();
after(folder.cleanup);

const lines = [
  '{"tenure": 3, "plan": "basic", "churn": 0, "extra": {"a": [1]}}',
  '',
  '{"tenure": 1.5, "plan": "pro", "churn": 1, "note": "late key"}',
  '{"tenure": null, "plan": null, "churn": true}',
  '{"plan": "é\\"q\\"", "churn": false, "tenure": "7"}',
];
const path = folder.write('data.jsonl', `\ufeff${lines.join('\r\n')}`);

describe('readTable on JSONL', () => {
  test('inspectTable: keys in first-seen order; numbers (with nulls) are numeric, the rest text', async () => {
    const schema = await inspectTable(path);
    assert.equal(schema.format, 'jsonl');
    assert.deepEqual(schema.columns, ['tenure', 'plan', 'churn', 'extra', 'note']);
    // "7" is a string in JSON, true/false are labels: both make the column text.
    assert.deepEqual(schema.kinds, {
      tenure: 'string',
      plan: 'string',
      churn: 'string',
      extra: 'string',
      note: 'string',
    });
    const firstTwo = await inspectTable(path, { sampleRows: 2 });
    assert.deepEqual(firstTwo.kinds, {
      tenure: 'number',
      plan: 'string',
      churn: 'number',
      extra: 'string',
      note: 'string',
    });
  });

  for (const chunkSize of CHUNK_SIZES) {
    test(`values convert the same at any chunk size (chunk ${chunkSize ?? 'default'})`, async () => {
      const result = await collect(
        path,
        { numeric: ['tenure', 'churn'], text: ['plan', 'extra', 'note'], batchSize: 3 },
        chunkSize,
      );
      assert.deepEqual(result.numeric, { tenure: [3, 1.5, NaN, 7], churn: [0, 1, 1, 0] });
      assert.deepEqual(result.text, {
        plan: ['basic', 'pro', '', 'é"q"'],
        extra: ['{"a":[1]}', '', '', ''],
        note: ['', 'late key', '', ''],
      });
      assert.deepEqual(result.batches, [
        { firstRow: 1, length: 3 },
        { firstRow: 4, length: 1 },
      ]);
    });
  }

  test('a non-number names row, column, value and physical line', async () => {
    const bad = folder.write('bad.ndjson', '{"x": 1}\n\n{"x": "abc"}\n');
    await assert.rejects(collect(bad, { numeric: ['x'] }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /bad\.ndjson row 2, column "x": "abc" is not a number \(line 3 of the file\)/);
      return true;
    });
    const object = folder.write('object.jsonl', '{"x": {"y": 1}}\n');
    await assert.rejects(collect(object, { numeric: ['x'] }), /row 1, column "x": "\{\\"y\\":1\}" is not a number/);
  });

  test('null and absent values are errors when missing values are not allowed', async () => {
    await assert.rejects(
      collect(path, { numeric: ['tenure'], allowMissing: false }),
      /data\.jsonl row 3, column "tenure": the value is missing \(line 4 of the file\)/,
    );
  });

  test('invalid JSON, non-object lines, unknown columns and empty files are UserErrors', async () => {
    await assert.rejects(
      collect(folder.write('broken.jsonl', '{"a": 1}\n{"a": 2\n'), { numeric: ['a'] }),
      /broken\.jsonl line 2 is not valid JSON/,
    );
    await assert.rejects(
      collect(folder.write('array.jsonl', '[1, 2]\n'), {}),
      /array\.jsonl line 1 is not a JSON object/,
    );
    await assert.rejects(
      collect(path, { numeric: ['tenur'] }),
      /has no column "tenur"\. Its columns are: tenure, plan, churn, extra, note/,
    );
    await assert.rejects(
      collect(folder.write('blank.jsonl', '\n \n'), {}),
      (error: unknown) => error instanceof UserError && /has no data rows/.test(error.message),
    );
    await assert.rejects(collect(folder.write('keys.jsonl', '{}\n'), {}), /have no keys/);
  });
});
