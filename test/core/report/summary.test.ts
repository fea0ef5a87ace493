import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JOB_SUMMARY_MAX_BYTES, renderJobSummary, renderModelCard } from '../../../core/report/index.ts';
import { evaluateGate, parseGate } from '../../../core/metrics/gate.ts';
import type { MetricsReport } from '../../../core/metrics/types.ts';
import { binaryBaseline, binaryReport, multiclassReport } from './sample-reports.ts';
import { isBalanced, readTable, rowOf } from './markdown-table-reader.ts';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('renderJobSummary', () => {
  test('the full report under headings, no marker, nothing folded', () => {
    const report = { ...binaryReport(), gate: evaluateGate(parseGate('f1>=0.7'), binaryReport()) };
    const summary = renderJobSummary({ report, baseline: binaryBaseline(), modelCard: renderModelCard({ report }) });
    assert.equal(summary.split('\n')[0], '## ✅ churn: gate passed');
    assert.doesNotMatch(summary, /<!--|<details>/);
    for (const heading of [
      '### Metrics',
      '### Per class',
      '### Confusion matrix',
      '### Charts',
      '### Model card',
      '### Run details',
    ]) {
      assert.ok(summary.includes(`\n${heading}\n`), `has ${heading}`);
    }
    assert.equal(rowOf(summary, 'metric', 'roc_auc').change, '🔴 -0.0069 (-0.7%)');
    assert.equal(rowOf(summary, 'batch size', '1,024')['rows/s'], '412,346');
  });

  test('every one of 300 classes, and the largest confusions instead of a 300×300 matrix', () => {
    const summary = renderJobSummary({ report: multiclassReport(300) });
    assert.equal(readTable(summary, 'class').rows.length, 300);
    assert.equal(readTable(summary, 'true class').rows.length, 50);
    assert.doesNotMatch(summary, /Shortened/);
    assert.match(summary, /title "F1 by class \(50 of 300 classes, most support\)"/);
  });

  test('a 40-class matrix is printed in full', () => {
    const summary = renderJobSummary({ report: multiclassReport(40) });
    const matrix = readTable(summary, 'true ↓ · predicted →');
    assert.equal(matrix.rows.length, 40);
    assert.equal(matrix.header.length, 41);
  });

  test('stays under the byte limit, counting multi-byte characters as bytes', () => {
    const big = multiclassReport(2000);
    // 3-byte CJK characters: 1 character, 3 bytes each.
    const rename = (label: string) => `${label}-${'分类'.repeat(150)}`;
    const report: MetricsReport = {
      ...big,
      per_class: big.per_class!.map((item) => ({ ...item, label: rename(item.label) })),
      confusion_matrix: { ...big.confusion_matrix!, labels: big.confusion_matrix!.labels.map(rename) },
      gate: evaluateGate(parseGate('accuracy>=0.99'), big),
    };
    const modelCard = '说明 '.repeat(200_000);
    const summary = renderJobSummary({ report, modelCard });
    assert.ok(bytes(summary) <= JOB_SUMMARY_MAX_BYTES, `summary is ${bytes(summary)} bytes`);
    assert.ok(summary.length < bytes(summary), 'the input really was multi-byte');
    assert.equal(summary.split('\n')[0], '## ❌ iris-plus: gate failed');
    assert.match(summary, /> Shortened to fit the job summary size limit; left out: .*the model card/);
    assert.ok(isBalanced(summary));
  });

  test('a custom byte limit is honoured', () => {
    const summary = renderJobSummary({ report: multiclassReport(300), maxBytes: 10_000 });
    assert.ok(bytes(summary) <= 10_000);
    assert.match(summary, /left out: per-class numbers for \d+ of 300 classes/);
  });
});
