/** A merged metrics.json (`cairn evaluate merge`) reads back, and its `data.parts` must add up. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMetricsReport } from '../../../core/metrics/read-report.ts';
import { dataFiles } from '../../../core/metrics/types.ts';
import { userError } from '../../support/assertions.ts';
import { binaryReport } from '../report/sample-reports.ts';

const parse = (value: unknown) => parseMetricsReport(JSON.stringify(value), 'metrics.json');
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const merged = () => {
  const { latency: _latency, runtime: _runtime, ...report } = binaryReport();
  return {
    ...report,
    rows: 250,
    data: {
      rows: 250,
      parts: [
        { path: 'data/a.csv', sha256: A, rows: 50, shard: '1/2' },
        { path: 'data/a.csv', sha256: A, rows: 50, shard: '2/2' },
        { path: 'data/b.csv', sha256: B, rows: 150, shard: '1/1' },
      ],
      target: 'churned',
    },
  };
};

describe('a merged metrics.json', () => {
  test('reads back; its data files are the distinct files with their rows summed', () => {
    const report = parse(merged());
    assert.deepEqual(report, merged());
    assert.deepEqual(dataFiles(report.data!), [
      { path: 'data/a.csv', sha256: A, rows: 100 },
      { path: 'data/b.csv', sha256: B, rows: 150 },
    ]);
  });

  test('parts that do not add up to rows, a bad shard, no parts or an unknown key are refused', () => {
    const bad = (data: object) => parse({ ...merged(), data: { ...merged().data, ...data } });
    assert.throws(() => bad({ rows: 251 }), userError(/sum of the parts' rows/));
    assert.throws(
      () => bad({ parts: [{ path: 'a.csv', sha256: A, rows: 250, shard: '0/2' }] }),
      userError(/metrics\.json is not a valid/),
    );
    assert.throws(() => bad({ parts: [] }), userError(/metrics\.json is not a valid/));
    assert.throws(() => bad({ latency_ms: 3 }), userError(/metrics\.json is not a valid/));
  });
});
