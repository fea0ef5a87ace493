import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { inspectTable } from '../../../core/data/inspect-table.ts';
import { CHUNK_SIZES, collect } from './helpers.ts';

// Fixture and expected values come from test/fixtures/data/generate.py (pandas.read_csv, round_trip floats).
const fixture = new URL('../../fixtures/data/tricky.csv', import.meta.url).pathname;
const expected = JSON.parse(
  readFileSync(new URL('../../fixtures/data/tricky.expected.json', import.meta.url), 'utf8'),
) as {
  columns: string[];
  numeric: Record<string, Array<number | string>>;
  text: Record<string, string[]>;
};
const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

test('inspectTable finds the same columns as pandas, BOM stripped, with numeric and text kinds', async () => {
  const schema = await inspectTable(fixture);
  assert.deepEqual(schema.columns, expected.columns);
  assert.deepEqual(schema.kinds, {
    id: 'number',
    amount: 'number',
    score: 'number',
    label: 'string',
    comment: 'string',
  });
});

for (const chunkSize of CHUNK_SIZES) {
  test(`readTable gives exactly the doubles and strings pandas.read_csv gives (chunk ${chunkSize ?? 'default'})`, async () => {
    const numeric = Object.keys(expected.numeric);
    const text = Object.keys(expected.text);
    const result = await collect(fixture, { numeric, text, batchSize: 3 }, chunkSize);
    for (const name of numeric) {
      const want = expected.numeric[name].map((value) => (typeof value === 'string' ? special[value] : value));
      assert.equal(result.numeric[name].length, want.length);
      result.numeric[name].forEach((value, i) =>
        assert.ok(Object.is(value, want[i]), `${name}[${i}]: got ${value}, pandas ${want[i]}`),
      );
    }
    assert.deepEqual(result.text, expected.text);
  });
}
