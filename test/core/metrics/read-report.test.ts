import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMetricsReport } from '../../../core/metrics/read-report.ts';
import { userError } from '../../support/assertions.ts';
import { binaryReport, multiclassReport } from '../report/sample-reports.ts';

const parse = (value: unknown) => parseMetricsReport(JSON.stringify(value), 'metrics.json');

describe('parseMetricsReport', () => {
  test('reads back what cairn evaluate writes, extra fields from a newer writer included', () => {
    const report = { ...binaryReport(), from_the_future: { x: 1 } };
    assert.deepEqual(parse(report), report);
    assert.deepEqual(parse(multiclassReport(5)), multiclassReport(5));
  });

  test('not JSON, or not a cairn.metrics/v1 document: a user error that says what to pass', () => {
    assert.throws(() => parseMetricsReport('{', 'm.json'), userError(/m\.json is not valid JSON/));
    assert.throws(() => parse({ hello: 1 }), userError(/expected "schema": "cairn\.metrics\/v1"/));
    assert.throws(
      () => parse({ ...binaryReport(), task: 'clustering' }),
      userError(/"task" must be binary, multiclass or regression/),
    );
  });

  test('bootstrap intervals and the latency batch count are read back; files without them still read', () => {
    const withNoise = binaryReport({
      intervals: { f1: [0.75, 0.78] },
      bootstrap: { resamples: 200, seed: 0, confidence: 0.95 },
      latency: { batch_size: 4096, batches: 1, rows_per_s: 1000 },
    });
    assert.deepEqual(parse(withNoise), withNoise);
    const old = binaryReport();
    assert.equal(old.intervals, undefined);
    assert.deepEqual(parse(old), old);
    assert.throws(() => parse({ ...old, intervals: { f1: [0.75] } }), userError(/intervals\.f1/));
    assert.throws(
      () => parse({ ...old, bootstrap: { resamples: 200, seed: 0, confidence: 95 } }),
      userError(/bootstrap\.confidence/),
    );
  });

  // A fork's pull-request run hands its metrics over as an artifact: what it contains is untrusted.
  test('wrongly typed fields are refused with their path, not rendered or crashed on', () => {
    assert.throws(
      () => parse({ ...binaryReport(), rows: '<img src=x onerror=alert(1)>' }),
      userError(/metrics\.json is not a valid cairn\.metrics\/v1 document \(rows: /),
    );
    assert.throws(
      () => parse({ ...binaryReport(), per_class: [{ label: 'a' }] }),
      userError(/per_class\.0\.precision/),
    );
    assert.throws(
      () => parse({ ...binaryReport(), confusion_matrix: { labels: ['a'], matrix: 'x' } }),
      userError(/confusion_matrix\.matrix/),
    );
    assert.throws(() => parse({ ...binaryReport(), metrics: { f1: '0.9' } }), userError(/metrics\.f1/));
    assert.throws(
      () => parse({ ...binaryReport(), gate: { expression: 'f1>=0.5', passed: true } }),
      userError(/gate\.rules/),
    );
  });
});
