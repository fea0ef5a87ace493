import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  renderClassF1Chart,
  renderRocChart,
  sampleRoc,
  samplePrecisionRecall,
} from '../../../core/report/internal/mermaid-charts.ts';
import { binaryReport } from './sample-reports.ts';

describe('curve sampling for xychart lines (evenly spaced x)', () => {
  test('ROC: linear between points, top of a vertical run, endpoints kept', () => {
    const curve = { x: [0, 0, 0.5, 1], y: [0, 0.5, 0.75, 1] };
    const values = sampleRoc(curve, 4); // x = 0, .25, .5, .75, 1
    assert.deepEqual(values, [0.5, 0.625, 0.75, 0.875, 1]);
  });

  test('ROC points in any order give the same samples', () => {
    assert.deepEqual(sampleRoc({ x: [1, 0.5, 0, 0], y: [1, 0.75, 0.5, 0] }, 4), [0.5, 0.625, 0.75, 0.875, 1]);
  });

  test('PR: best precision at that recall or more, in scikit-learn order (recall decreasing)', () => {
    const curve = { x: [1, 0.75, 0.5, 0.25, 0], y: [0.4, 0.6, 0.5, 0.9, 1] };
    assert.deepEqual(samplePrecisionRecall(curve, 4), [1, 0.9, 0.6, 0.6, 0.4]);
  });

  test('PR beyond the largest recall reached is 0', () => {
    assert.deepEqual(samplePrecisionRecall({ x: [0.5, 0], y: [0.8, 1] }, 2), [1, 0.8, 0]);
  });
});

describe('Mermaid chart blocks', () => {
  test('ROC chart: axes 0..1, 21 samples, the chance diagonal', () => {
    const chart = renderRocChart(binaryReport())!;
    assert.match(chart, /^_ROC curve of the positive class/);
    assert.match(chart, /```mermaid\nxychart-beta\n/);
    assert.match(chart, /x-axis "False positive rate" 0 --> 1/);
    const lines = [...chart.matchAll(/line \[([^\]]*)\]/g)].map((match) => match[1].split(', ').map(Number));
    assert.equal(lines.length, 2);
    assert.equal(lines[0].length, 21);
    assert.equal(lines[0][0], 0);
    assert.equal(lines[0][20], 1);
    assert.deepEqual(
      lines[1],
      Array.from({ length: 21 }, (_, i) => Math.round((i / 20) * 1000) / 1000),
    );
  });

  test('no curve, no chart', () => {
    assert.equal(renderRocChart(binaryReport({ curves: undefined })), undefined);
  });

  test('F1 bars: class names quoted, quotes inside names cannot break the block', () => {
    const chart = renderClassF1Chart(
      [
        { label: 'cat "big"', precision: 1, recall: 1, f1: 0.9123, support: 5 },
        { label: 'dog', precision: 1, recall: 1, f1: 0.5, support: 9 },
      ],
      10,
    )!;
    assert.match(chart, /x-axis \["cat 'big'", "dog"\]/);
    assert.match(chart, /bar \[0\.912, 0\.5\]/);
  });

  test('F1 bars beyond the limit keep the classes with most support', () => {
    const perClass = ['a', 'b', 'c'].map((label, i) => ({
      label,
      precision: 1,
      recall: 1,
      f1: 1,
      support: [5, 1, 9][i],
    }));
    const chart = renderClassF1Chart(perClass, 2)!;
    assert.match(chart, /x-axis \["a", "c"\]/);
    assert.match(chart, /title "F1 by class \(2 of 3 classes, most support\)"/);
  });
});
