import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMENT_MAX_CHARS, renderComment, renderModelCard, stickyMarker } from '../../../core/report/index.ts';
import { evaluateGate, parseGate } from '../../../core/metrics/gate.ts';
import type { MetricsReport } from '../../../core/metrics/types.ts';
import { binaryReport, multiclassReport } from './sample-reports.ts';
import { isBalanced, readTable } from './markdown-table-reader.ts';

const SUMMARY = 'https://github.com/acme/species/actions/runs/77';

function withGate(report: MetricsReport, expression: string): MetricsReport {
  return { ...report, gate: evaluateGate(parseGate(expression), report) };
}

/** Long class names, as real label sets sometimes have. */
function longLabels(report: MetricsReport, length: number): MetricsReport {
  const rename = (label: string) => `${label}_${'x'.repeat(length)}`;
  return {
    ...report,
    per_class: report.per_class?.map((item) => ({ ...item, label: rename(item.label) })),
    confusion_matrix: report.confusion_matrix && {
      ...report.confusion_matrix,
      labels: report.confusion_matrix.labels.map(rename),
    },
  };
}

function assertKeepsVerdictAndGate(comment: string, title: string): void {
  const lines = comment.split('\n');
  assert.equal(lines[0], stickyMarker('iris-plus'));
  assert.equal(lines[2], title);
  assert.match(comment, /^(❌ \*\*Gate failed\*\*|✅ \*\*Gate passed\*\*) \(/m);
}

describe('renderComment stays within the comment limit', () => {
  test('300 classes: the 20 with most support, largest confusions, a pointer to the job summary', () => {
    const report = withGate(multiclassReport(300), 'f1_macro>=0.8, accuracy>=0.7');
    const comment = renderComment({ report, marker: stickyMarker('iris-plus'), summaryUrl: SUMMARY });
    assert.ok(comment.length <= COMMENT_MAX_CHARS);
    assertKeepsVerdictAndGate(comment, '## ❌ iris-plus: gate failed');
    const classes = readTable(comment, 'class').rows;
    assert.equal(classes.length, 20);
    const supports = report.per_class!.map((item) => item.support).sort((a, b) => b - a);
    for (const row of classes)
      assert.ok(Number(row.support.replace(/,/g, '')) >= supports[19], `${row.class} is among the 20 largest`);
    assert.match(
      comment,
      /left out: per-class numbers for 280 of 300 classes, the full confusion matrix\. The full report is in the \[job summary\]\(https:\/\/github\.com\/acme\/species\/actions\/runs\/77\)\./,
    );
    assert.equal(readTable(comment, 'true class').rows.length, 10);
    assert.ok(isBalanced(comment));
  });

  test('huge everything (300 long labels, a 300k-character card): still fits, verdict and gate first', () => {
    const report = withGate(longLabels(multiclassReport(300), 400), 'accuracy>=0.5');
    const modelCard = `${renderModelCard({ report })}\n${'Lorem ipsum dolor sit amet. '.repeat(11_000)}`;
    assert.ok(modelCard.length > 300_000);
    const comment = renderComment({
      report,
      modelCard,
      marker: stickyMarker('iris-plus'),
      summaryUrl: SUMMARY,
      options: { max_classes: 300 },
    });
    assert.ok(comment.length <= COMMENT_MAX_CHARS, `comment is ${comment.length} characters`);
    assertKeepsVerdictAndGate(comment, '## ✅ iris-plus: gate passed');
    assert.match(comment, /the model card/);
    assert.match(comment, /\[job summary\]\(https:\/\/github\.com/);
    assert.ok(isBalanced(comment));
  });

  test('detail is dropped in order: charts first, then the matrix, then the card', () => {
    const report = binaryReport();
    const input = { report, modelCard: renderModelCard({ report }), marker: stickyMarker('churn') };
    const full = renderComment(input);
    assert.match(full, /mermaid/);

    const noCharts = renderComment({ ...input, maxLength: full.length - 1 });
    assert.ok(noCharts.length < full.length);
    assert.doesNotMatch(noCharts, /mermaid/);
    assert.match(noCharts, /Confusion matrix/);
    assert.match(noCharts, /Model card/);
    assert.match(noCharts, /left out: charts\. The full report is in the job summary of this workflow run\./);

    const noCard = renderComment({ ...input, maxLength: noCharts.length - 500 });
    assert.doesNotMatch(noCard, /mermaid|Model card|Confusion matrix/);
    assert.match(noCard, /Most frequent confusions|left out: .*the confusion matrix/);
    assert.match(noCard, /left out: .*charts.*the model card/);
    assert.match(noCard, /^## 📊 churn: evaluated \(no gate\)$/m);
  });

  test('a gate with thousands of rules is cut at a line, keeping title and gate headline', () => {
    const expression = Array.from({ length: 3000 }, (_, i) => `accuracy>=0.9${String(i).padStart(4, '0')}`).join(', ');
    const report = withGate(multiclassReport(5), expression);
    const comment = renderComment({ report, marker: stickyMarker('iris-plus'), summaryUrl: SUMMARY });
    assert.ok(comment.length <= COMMENT_MAX_CHARS, `comment is ${comment.length} characters`);
    assertKeepsVerdictAndGate(comment, '## ❌ iris-plus: gate failed');
    assert.match(
      comment,
      /_… cut here to fit a pull request comment; the \[job summary\]\(https:\/\/github\.com\/acme\/species\/actions\/runs\/77\) has the full report\._\n$/,
    );
    assert.ok(isBalanced(comment));
  });

  test('any size of input fits any limit down to a small one', () => {
    for (const classes of [2, 13, 60, 600]) {
      for (const limit of [COMMENT_MAX_CHARS, 20_000, 3_000]) {
        const report = withGate(longLabels(multiclassReport(classes), 50), 'accuracy>=0.5, f1_macro>=0.9');
        const comment = renderComment({
          report,
          modelCard: 'x\n'.repeat(5_000),
          marker: stickyMarker('iris-plus'),
          maxLength: limit,
        });
        assert.ok(comment.length <= limit, `${classes} classes, limit ${limit}: ${comment.length}`);
        assertKeepsVerdictAndGate(comment, '## ❌ iris-plus: gate failed');
      }
    }
  });
});
