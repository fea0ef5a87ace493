/**
 * The drift section a job summary and a PR comment show: verdict against the share threshold, each column's test,
 * score, threshold and verdict (drifted first), skipped columns, a reference-vs-current chart per drifted column,
 * capped and saying so; every name from the data inert.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DriftReport } from '../../../core/drift/index.ts';
import { renderDriftSection } from '../../../core/report/index.ts';
import { assertInert, HOSTILE, HOSTILE_LINE } from '../../support/inert-markdown.ts';
import { readTable, rowOf } from './markdown-table-reader.ts';

type Column = DriftReport['columns'][number];

function driftColumn(name: string, drifted: boolean, extra: Partial<Column> = {}): Column {
  return { name, kind: 'num', test: 'wasserstein', score: drifted ? 0.31 : 0.02, threshold: 0.1, drifted, ...extra };
}

function driftReport(columns: Column[], skipped: DriftReport['skipped'] = []): DriftReport {
  const drifted = columns.filter((column) => column.drifted).length;
  return {
    schema: 'cairn.drift/v1',
    reference: { path: 'data/train.csv', rows: 2000 },
    current: { path: 'fresh/train.csv', rows: 1500 },
    columns,
    skipped,
    dataset: {
      columns: columns.length,
      drifted_columns: drifted,
      share: drifted / columns.length,
      threshold: 0.5,
      drifted: drifted / columns.length >= 0.5,
    },
  };
}

const histogram = { edges: [0, 10, 20, 30], reference: [0.5, 0.3, 0.2], current: [0.1, 0.3, 0.6] };

describe('renderDriftSection', () => {
  test('the verdict, one row per column (drifted first), skipped columns and a chart of each drifted one', () => {
    const markdown = renderDriftSection(
      driftReport(
        [
          driftColumn('age', false),
          driftColumn('tenure', true, { bins: histogram }),
          driftColumn('plan', true, {
            kind: 'cat',
            test: 'chisquare',
            score: 0,
            threshold: 0.05,
            bins: { labels: ['basic', 'pro'], reference: [0.6, 0.3], current: [0.2, 0.3], more: 3 },
          }),
        ],
        [{ name: 'notes', reason: 'no values left in the reference data' }],
      ),
    );
    assert.match(markdown, /^### Data drift: the dataset drifted$/m);
    assert.match(markdown, /^\*\*Dataset:\*\* 🔴 drifted: 2 of 3 columns drifted, share 0\.6667 ≥ threshold 0\.5\.$/m);
    assert.match(
      markdown,
      /Reference `data\/train\.csv` \(2,000 rows\) against current `fresh\/train\.csv` \(1,500 rows\)/,
    );
    assert.deepEqual(
      readTable(markdown, 'Column').rows.map((row) => row.Column),
      ['tenure', 'plan', 'age'],
    );
    assert.deepEqual(rowOf(markdown, 'Column', 'plan'), {
      Column: 'plan',
      Kind: 'cat',
      Test: 'chisquare',
      Score: '0',
      Threshold: '0.0500',
      Verdict: '🔴 drifted',
    });
    assert.equal(rowOf(markdown, 'Column', 'age').Verdict, '🟢 no drift');
    assert.match(markdown, /^- notes: no values left in the reference data$/m);
    assert.equal(markdown.match(/```mermaid\nxychart-beta/g)?.length, 2);
    assert.match(
      markdown,
      /title "tenure: reference vs current"\n {2}x-axis \["0", "10", "20"\]\n.*\n {2}bar \[0\.5, 0\.3, 0\.2\]\n {2}line \[0\.1, 0\.3, 0\.6\]/,
    );
    // The values not shown are one more bar, so a new category in the long tail still shows.
    assert.match(
      markdown,
      /x-axis \["basic", "pro", "\(3 others\)"\][\s\S]*?bar \[0\.6, 0\.3, 0\.1\]\n {2}line \[0\.2, 0\.3, 0\.5\]/,
    );
    assert.match(markdown, /bars are the reference data, the line the current data/);
  });

  test('no dataset drift: the verdict says so against the threshold; no chart without a drifted column', () => {
    const markdown = renderDriftSection(
      driftReport([driftColumn('a', false), driftColumn('b', true, { bins: histogram }), driftColumn('c', false)]),
    );
    assert.match(markdown, /^### Data drift: no dataset drift$/m);
    assert.match(markdown, /^\*\*Dataset:\*\* 🟢 no drift: 1 of 3 columns drifted, share 0\.3333 < threshold 0\.5\.$/m);
    assert.equal(markdown.match(/```mermaid/g)?.length, 1, 'the drifted column is still charted');
    const calm = renderDriftSection(driftReport([driftColumn('a', false), driftColumn('b', false)]));
    assert.match(calm, /\*\*Dataset:\*\* 🟢 no drift: 0 of 2 columns drifted, share 0 < threshold 0\.5\./);
    assert.doesNotMatch(calm, /mermaid/);
  });

  test('rows and charts are capped, and the section says how many it left out and where they are', () => {
    const columns = Array.from({ length: 30 }, (_, i) => driftColumn(`c${i}`, i % 2 === 0, { bins: histogram }));
    const markdown = renderDriftSection(driftReport(columns), {
      maxRows: 10,
      maxCharts: 3,
      source: 'drift.json',
      foldCharts: true,
    });
    assert.equal(readTable(markdown, 'Column').rows.length, 10);
    assert.match(markdown, /_20 more columns \(5 drifted\) are in `drift\.json`; drifted columns are listed first\._/);
    assert.equal(markdown.match(/```mermaid/g)?.length, 3);
    assert.match(markdown, /_Charts for 3 of 15 drifted columns: at most 3 are drawn/);
    assert.match(markdown, /^<details><summary>Drift charts<\/summary>$/m);
  });

  test('hostile and very long column names, values and paths stay inert, in the table and in the charts', () => {
    const long = `${'@long '.repeat(400)}end`;
    const report = driftReport(
      [
        driftColumn(HOSTILE, true, {
          kind: 'cat',
          test: 'chisquare',
          bins: {
            labels: [HOSTILE_LINE, '```', '"quoted" #1 <b>'],
            reference: [0.2, 0.3, 0.5],
            current: [0.5, 0.3, 0.2],
            more: 0,
          },
        }),
        driftColumn(long, true, { bins: histogram }),
        driftColumn('fine', false),
      ],
      [{ name: HOSTILE_LINE, reason: HOSTILE }],
    );
    report.reference.path = HOSTILE_LINE;
    const markdown = renderDriftSection(report);
    assertInert(markdown);
    assert.equal(readTable(markdown, 'Column').rows.length, 3);
    assert.ok(!markdown.includes('end'), 'a very long name is cut');
    assert.ok(markdown.length < 12_000, `${markdown.length} characters`);
  });

  test('a long name is cut before an emoji, never inside it', () => {
    const name = `${'a'.repeat(98)}😀😀`;
    const markdown = renderDriftSection(driftReport([driftColumn(name, true, { bins: histogram })]));
    assert.equal(readTable(markdown, 'Column').rows[0]!.Column, `${'a'.repeat(98)}…`);
    assert.doesNotMatch(markdown, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
