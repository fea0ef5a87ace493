import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { inspectTable } from '../../../core/data/inspect-table.ts';
import { UserError } from '../../../core/errors.ts';
import { tempFolder } from './helpers.ts';

const folder = tempFolder();
after(folder.cleanup);

test('CSV kinds: numeric when every sampled cell is a number or missing, text otherwise', async () => {
  const path = folder.write('kinds.csv', 'a,b,c,d,e,f\n1,x,,1e3,inf,True\n2.5,2,,NA,-1,False\n');
  assert.deepEqual(await inspectTable(path), {
    format: 'csv',
    columns: ['a', 'b', 'c', 'd', 'e', 'f'],
    // c has only empty cells: pandas makes that float64 (all NaN), and so do we.
    kinds: { a: 'number', b: 'string', c: 'number', d: 'number', e: 'number', f: 'string' },
  });
});

test('kinds come from the first sampleRows rows only', async () => {
  const path = folder.write('late.csv', `v\n${'1\n'.repeat(5)}oops\n`);
  assert.equal((await inspectTable(path, { sampleRows: 5 })).kinds.v, 'number');
  assert.equal((await inspectTable(path, { sampleRows: 6 })).kinds.v, 'string');
  assert.equal((await inspectTable(path)).kinds.v, 'string');
});

test('TSV is CSV with tabs', async () => {
  const schema = await inspectTable(folder.write('x.TSV', 'a b\tc\n1\tz\n'));
  assert.deepEqual(schema, { format: 'csv', columns: ['a b', 'c'], kinds: { 'a b': 'number', c: 'string' } });
});

test('bad sample sizes and header-only files are UserErrors', async () => {
  const path = folder.write('h.csv', 'a,b\n');
  await assert.rejects(
    inspectTable(path, { sampleRows: 0 }),
    (error: unknown) => error instanceof UserError && /at least 1/.test(error.message),
  );
  await assert.rejects(inspectTable(path), /has a header row but no data rows/);
});
