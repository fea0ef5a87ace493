import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderComment, renderJobSummary, renderModelCard, stickyMarker } from '../../../core/report/index.ts';
import { evaluateGate, parseGate } from '../../../core/metrics/gate.ts';
import type { MetricsReport } from '../../../core/metrics/types.ts';
import { binaryBaseline, binaryReport, multiclassReport, regressionReport } from './sample-reports.ts';
import { isBalanced, readTable, rowOf } from './markdown-table-reader.ts';

const MARKER = stickyMarker('churn');
const SUMMARY = 'https://github.com/acme/churn/actions/runs/123';

function gated(report: MetricsReport, expression: string, baseline?: MetricsReport): MetricsReport {
  return { ...report, gate: evaluateGate(parseGate(expression), report, baseline) };
}

describe('stickyMarker', () => {
  test('is a hidden HTML comment naming the model', () => {
    assert.equal(stickyMarker('churn'), '<!-- cairn:churn:metrics -->');
    assert.equal(stickyMarker('team/churn-v2'), '<!-- cairn:team/churn-v2:metrics -->');
  });

  test('a name cannot end the comment early', () => {
    const marker = stickyMarker('evil --> <b>x</b>');
    assert.equal(marker.indexOf('-->'), marker.length - 3);
    assert.equal(stickyMarker('evil --> <b>x</b>'), marker, 'the same name gives the same marker');
  });
});

describe('renderComment with a baseline and a gate', () => {
  const report = gated(binaryReport(), 'f1>=0.75, roc_auc>=baseline-0.005, log_loss<=baseline*1.05', binaryBaseline());
  const comment = renderComment({ report, baseline: binaryBaseline(), marker: MARKER, summaryUrl: SUMMARY });

  test('starts with the marker, then the verdict in the title', () => {
    const lines = comment.split('\n');
    assert.equal(lines[0], MARKER);
    assert.equal(lines[2], '## ❌ churn: gate failed');
  });

  test('metric table: baseline, this PR and a direction-aware change', () => {
    assert.deepEqual(readTable(comment, 'metric').header, ['metric', 'baseline', 'this PR', 'change']);
    assert.deepEqual(rowOf(comment, 'metric', 'roc_auc'), {
      metric: 'roc_auc',
      baseline: '0.9201',
      'this PR': '0.9132',
      change: '🔴 -0.0069 (-0.7%)',
    });
    assert.deepEqual(rowOf(comment, 'metric', 'f1'), {
      metric: 'f1',
      baseline: '0.7502',
      'this PR': '0.7640',
      change: '🟢 +0.0138 (+1.8%)',
    });
    // log_loss went down: better, because lower is better.
    assert.deepEqual(rowOf(comment, 'metric', 'log_loss ↓'), {
      metric: 'log_loss ↓',
      baseline: '0.2950',
      'this PR': '0.2874',
      change: '🟢 -0.0076 (-2.6%)',
    });
    assert.equal(rowOf(comment, 'metric', 'average_precision').change, '⚪ ±0');
    assert.deepEqual(
      readTable(comment, 'metric').rows.map((row) => row.metric),
      [
        'accuracy',
        'balanced_accuracy',
        'precision',
        'recall',
        'f1',
        'roc_auc',
        'average_precision',
        'log_loss ↓',
        'brier_score ↓',
      ],
    );
  });

  test('gate section: headline and each rule with its value and resolved threshold', () => {
    assert.match(
      comment,
      /❌ \*\*Gate failed\*\* \(1 of 3 rules failed\): `f1>=0\.75, roc_auc>=baseline-0\.005, log_loss<=baseline\*1\.05`/,
    );
    assert.deepEqual(rowOf(comment, 'rule', '`roc_auc>=baseline-0.005`'), {
      rule: '`roc_auc>=baseline-0.005`',
      value: '0.9132',
      threshold: '0.9151',
      result: '❌ fail',
    });
    assert.deepEqual(rowOf(comment, 'rule', '`f1>=0.75`'), {
      rule: '`f1>=0.75`',
      value: '0.7640',
      threshold: '0.7500',
      result: '✅ pass',
    });
  });

  test('the run line says what was compared with what', () => {
    assert.match(
      comment,
      /\*\*binary\*\* · 2,000 rows · data `data\/churn-test\.csv` \(`a1b2c3d`\) · model `models\/churn\.onnx` \(`9f2c4e1`\) · compared with `main` \(`c0ffee0`\)/,
    );
  });

  test('per-class table with the f1 change, and the confusion matrix', () => {
    assert.deepEqual(rowOf(comment, 'class', 'yes'), {
      class: 'yes',
      precision: '0.7907',
      recall: '0.7391',
      f1: '0.7640',
      'change in f1': '🟢 +0.0138 (+1.8%)',
      support: '460',
    });
    assert.deepEqual(rowOf(comment, 'true ↓ · predicted →', '**no**'), {
      'true ↓ · predicted →': '**no**',
      no: '**1,450**',
      yes: '90',
    });
    assert.deepEqual(rowOf(comment, 'true ↓ · predicted →', '**yes**'), {
      'true ↓ · predicted →': '**yes**',
      no: '120',
      yes: '**340**',
    });
  });

  test('ROC and PR curves as Mermaid xychart blocks', () => {
    const charts = comment.match(/```mermaid\nxychart-beta\n[\s\S]*?```/g) ?? [];
    assert.equal(charts.length, 2);
    assert.match(charts[0], /title "ROC curve \(AUC 0\.9132\)"/);
    assert.match(charts[1], /title "Precision-recall curve \(AP 0\.8421\)"/);
  });

  test('nothing was left out, so there is no pointer', () => {
    assert.doesNotMatch(comment, /Shortened/);
    assert.ok(isBalanced(comment));
  });
});

describe('renderComment variants', () => {
  test('no gate, no baseline: a neutral verdict and a two-column table', () => {
    const comment = renderComment({ report: regressionReport(), marker: stickyMarker('house-prices') });
    assert.match(comment, /^## 📊 house-prices: evaluated \(no gate\)$/m);
    assert.match(comment, /\*\*Gate:\*\* none configured\./);
    assert.deepEqual(readTable(comment, 'metric').header, ['metric', 'this PR']);
    assert.equal(rowOf(comment, 'metric', 'mse ↓')['this PR'], '912,345,678.25');
    assert.equal(rowOf(comment, 'metric', 'mae ↓')['this PR'], '21,034.50');
    assert.equal(rowOf(comment, 'metric', 'r2')['this PR'], '0.8123');
    assert.match(comment, /no baseline to compare with/);
    assert.doesNotMatch(comment, /mermaid|Per class|Confusion/);
  });

  test('a baseline without git facts is named by its model file', () => {
    const comment = renderComment({
      report: binaryReport(),
      baseline: binaryBaseline({ git: undefined }),
      marker: MARKER,
    });
    assert.match(comment, /compared with the baseline model `models\/churn\.onnx` \(`9f2c4e1`\)/);
  });

  test('a passing gate', () => {
    const comment = renderComment({ report: gated(binaryReport(), 'f1>=0.7'), marker: MARKER });
    assert.match(comment, /^## ✅ churn: gate passed$/m);
  });

  test('an undefined metric shows n/a and is explained', () => {
    const report = binaryReport({ metrics: { ...binaryReport().metrics, roc_auc: null } });
    const comment = renderComment({ report, baseline: binaryBaseline(), marker: MARKER });
    assert.deepEqual(rowOf(comment, 'metric', 'roc_auc'), {
      metric: 'roc_auc',
      baseline: '0.9201',
      'this PR': 'n/a',
      change: 'n/a',
    });
    assert.match(comment, /n\/a: undefined for this data/);
  });

  test('comment options turn charts, card and matrix off without a pointer', () => {
    const card = renderModelCard({ report: binaryReport() });
    const comment = renderComment({
      report: binaryReport(),
      modelCard: card,
      marker: MARKER,
      options: { charts: false, card: false, confusion_matrix: false },
    });
    assert.doesNotMatch(comment, /mermaid|Model card|Confusion matrix/);
    assert.doesNotMatch(comment, /Shortened/);
  });

  test('the model card is folded in, without its front matter and title', () => {
    const card = renderModelCard({ report: binaryReport() });
    const comment = renderComment({ report: binaryReport(), modelCard: card, marker: MARKER });
    assert.match(comment, /<details><summary>Model card<\/summary>\n\n[\s\S]*#### Intended use[\s\S]*<\/details>/);
    assert.doesNotMatch(comment, /model-index|# Model card: churn/);
  });

  test('column labels can be renamed (champion vs challenger)', () => {
    const comment = renderComment({
      report: binaryReport(),
      baseline: binaryBaseline(),
      marker: MARKER,
      labels: { current: 'challenger', baseline: 'champion' },
    });
    assert.deepEqual(readTable(comment, 'metric').header, ['metric', 'champion', 'challenger', 'change']);
  });

  test('table cells cannot be broken by class labels', () => {
    const report = binaryReport({
      per_class: [
        { label: 'a|b', precision: 1, recall: 1, f1: 1, support: 1 },
        { label: '<img src=x>', precision: 1, recall: 1, f1: 1, support: 1 },
      ],
    });
    const comment = renderComment({ report, marker: MARKER });
    assert.equal(readTable(comment, 'class').rows.length, 2);
    assert.equal(rowOf(comment, 'class', 'a\\|b').support, '1');
    assert.doesNotMatch(comment, /<img/);
  });
});

/** How many tables in `markdown` have a header row starting with `firstHeader`. */
function tablesStartingWith(markdown: string, firstHeader: string): number {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && line.slice(1).split('|')[0].trim() === firstHeader).length;
}

describe('renderComment with the model card', () => {
  const card = renderModelCard({ report: binaryReport(), baseline: binaryBaseline() });
  const comment = renderComment({
    report: binaryReport(),
    baseline: binaryBaseline(),
    modelCard: card,
    marker: MARKER,
  });

  test('shows each table once: the folded card points to the report instead of repeating them', () => {
    assert.equal(tablesStartingWith(card, 'metric'), 1, 'the card file itself keeps its tables');
    assert.equal(tablesStartingWith(comment, 'metric'), 1);
    assert.equal(tablesStartingWith(comment, 'class'), 1);
    assert.equal(tablesStartingWith(comment, 'batch size'), 1);
    assert.match(
      comment,
      /#### Quantitative analyses\n\n_The card's tables \(metrics, per class, run details\) are this report's own sections\._\n\n#### Ethical considerations/,
    );
  });

  test('the job summary does not repeat them either', () => {
    const summary = renderJobSummary({ report: binaryReport(), baseline: binaryBaseline(), modelCard: card });
    assert.equal(tablesStartingWith(summary, 'metric'), 1);
    assert.equal(tablesStartingWith(summary, 'class'), 1);
  });
});

describe('class names from the config (models.<m>.labels)', () => {
  const names = ['stays', 'churns'];

  test('name the rows of the per-class table and the confusion matrix, with the f1 change kept', () => {
    const comment = renderComment({
      report: binaryReport(),
      baseline: binaryBaseline(),
      classNames: names,
      marker: MARKER,
    });
    assert.deepEqual(
      readTable(comment, 'class').rows.map((row) => row.class),
      ['stays', 'churns'],
    );
    assert.equal(rowOf(comment, 'class', 'churns')['change in f1'], '🟢 +0.0138 (+1.8%)');
    assert.deepEqual(readTable(comment, 'true ↓ · predicted →').header, ['true ↓ · predicted →', 'stays', 'churns']);
    assert.equal(rowOf(comment, 'true ↓ · predicted →', '**churns**').stays, '120');
  });

  test('name the largest confusions of a matrix too large to print, and the class chart', () => {
    const report = multiclassReport(15);
    const comment = renderComment({ report, classNames: report.per_class!.map((_, i) => `kind ${i}`), marker: MARKER });
    const top = readTable(comment, 'true class').rows[0];
    assert.match(`${top['true class']} ${top['predicted as']}`, /^kind \d+ kind \d+$/);
    assert.match(comment, /x-axis \["kind /);
    assert.doesNotMatch(comment, /species_/);
  });

  test('are made inert like any config text, and ignored when they count other classes', () => {
    const comment = renderComment({ report: binaryReport(), classNames: ['<b>x</b>', 'a|b'], marker: MARKER });
    assert.deepEqual(
      readTable(comment, 'class').rows.map((row) => row.class),
      ['&lt;b&gt;x&lt;/b&gt;', 'a\\|b'],
    );
    const wrongCount = renderComment({ report: binaryReport(), classNames: ['one', 'two', 'three'], marker: MARKER });
    assert.deepEqual(
      readTable(wrongCount, 'class').rows.map((row) => row.class),
      ['no', 'yes'],
    );
  });

  test('name the model card per-class table', () => {
    const config = { path: 'm.onnx', labels: names };
    const card = renderModelCard({ report: binaryReport(), baseline: binaryBaseline(), model: config });
    assert.equal(rowOf(card, 'class', 'churns').support, '460');
  });
});

describe('latency in the run details', () => {
  test('percentiles from fewer than 30 timed batches are not shown; the count says why', () => {
    const latency = { batch_size: 4096, batches: 1, rows_per_s: 600_000, p50_ms: 1, p95_ms: 1, p99_ms: 1 };
    const comment = renderComment({ report: binaryReport({ latency }), marker: MARKER });
    assert.deepEqual(readTable(comment, 'batch size').header, ['batch size', 'rows/s']);
    assert.match(comment, /_1 timed batch, too few for percentiles \(30 needed\)\._/);
    assert.doesNotMatch(comment, /p99/);
  });

  test('from 30 timed batches on they are', () => {
    const latency = { batch_size: 256, batches: 30, rows_per_s: 600_000, p50_ms: 1.5, p95_ms: 2, p99_ms: 2.5 };
    const comment = renderComment({ report: binaryReport({ latency }), marker: MARKER });
    assert.equal(rowOf(comment, 'batch size', '256').p99, '2.50 ms');
  });
});

describe('noise: changes inside the baseline bootstrap interval', () => {
  const bootstrap = { resamples: 200, seed: 0, confidence: 0.95 };
  // This PR: roc_auc 0.9132, f1 0.7640, log_loss 0.2874 (baseline 0.9201, 0.7502, 0.2950).
  const baseline = binaryBaseline({
    bootstrap,
    intervals: { roc_auc: [0.905, 0.935], f1: [0.74, 0.76], log_loss: [0.28, 0.31] },
  });

  test('are neutral, with the size still shown; changes outside it keep their mark', () => {
    const comment = renderComment({ report: binaryReport(), baseline, marker: MARKER });
    assert.equal(rowOf(comment, 'metric', 'roc_auc').change, '⚪ -0.0069 (-0.7%)');
    assert.equal(rowOf(comment, 'metric', 'log_loss ↓').change, '⚪ -0.0076 (-2.6%)');
    assert.equal(rowOf(comment, 'metric', 'f1').change, '🟢 +0.0138 (+1.8%)', 'f1 0.7640 is above the interval');
    assert.equal(
      rowOf(comment, 'metric', 'accuracy').change,
      '🟢 +0.0075 (+0.8%)',
      'no interval for accuracy: marked as before',
    );
  });

  test('per-class f1 changes are judged by the baseline class f1 interval the same way', () => {
    const perClass = binaryBaseline().per_class!.map((item) => ({
      ...item,
      f1_interval: (item.label === 'yes' ? [0.74, 0.77] : [0.9, 0.92]) as [number, number],
    }));
    const comment = renderComment({
      report: binaryReport(),
      baseline: { ...baseline, per_class: perClass },
      marker: MARKER,
    });
    assert.equal(rowOf(comment, 'class', 'yes')['change in f1'], '⚪ +0.0138 (+1.8%)');
    assert.equal(rowOf(comment, 'class', 'no')['change in f1'], '🟢 +0.0050 (+0.5%)');
  });

  test('the comment says in one line how noise is judged', () => {
    const comment = renderComment({ report: binaryReport(), baseline, marker: MARKER });
    const lines = comment.split('\n').filter((line) => line.includes('Noise:'));
    assert.deepEqual(lines, [
      "<sub>Noise: a change is 🟢 or 🔴 only when this value lies outside the baseline's 95% bootstrap interval (200 resamples of its evaluation rows, seed 0); inside it, ⚪.</sub>",
    ]);
  });

  test('a baseline from before intervals were recorded marks every change, and says so', () => {
    const comment = renderComment({ report: binaryReport(), baseline: binaryBaseline(), marker: MARKER });
    assert.equal(rowOf(comment, 'metric', 'roc_auc').change, '🔴 -0.0069 (-0.7%)');
    assert.match(
      comment,
      /Noise: the baseline records no bootstrap intervals \(an older metrics\.json\), so every change is marked/,
    );
  });
});
