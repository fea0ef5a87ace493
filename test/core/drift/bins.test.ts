/**
 * The chart data a drifted column carries in drift.json (`bins`): from the values the tests held, missing cells dropped,
 * numbers in equal-width bins over both sides or one bar per value, text values most frequent first and capped.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareTables,
  driftReportSchema,
  MAX_BINS,
  MAX_LABEL_CHARS,
  MAX_LABELS,
  type DriftReport,
} from '../../../core/drift/index.ts';

function csv(dir: string, name: string, columns: Record<string, ReadonlyArray<string | number>>): string {
  const names = Object.keys(columns);
  const rows = columns[names[0]!]!.map((_, i) => names.map((column) => columns[column]![i]).join(','));
  const path = join(dir, name);
  writeFileSync(path, `${[names.join(','), ...rows].join('\n')}\n`);
  return path;
}

async function binned(
  reference: Record<string, Array<string | number>>,
  current: Record<string, Array<string | number>>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bins-'));
  const paths = { reference: csv(dir, 'reference.csv', reference), current: csv(dir, 'current.csv', current) };
  const report = await compareTables({
    reference: { path: paths.reference, shown: 'reference.csv' },
    current: { path: paths.current, shown: 'current.csv' },
    bins: true,
  });
  driftReportSchema.parse(report);
  return report;
}

const column = (report: DriftReport, name: string) => report.columns.find((item) => item.name === name)!;

describe('compareTables with bins', () => {
  test('a numeric column with many values: equal-width bins over both sides, shares of each side', async () => {
    const reference = Array.from({ length: 100 }, (_, i) => i);
    const current = Array.from({ length: 100 }, (_, i) => i + 100);
    const report = await binned({ x: reference }, { x: current });
    const bins = column(report, 'x').bins!;
    assert.ok('edges' in bins);
    assert.equal(bins.edges[0], 0);
    assert.equal(bins.edges.at(-1), 199);
    assert.ok(bins.reference.length <= MAX_BINS);
    assert.equal(bins.edges.length, bins.reference.length + 1);
    const sum = (shares: number[]) => shares.reduce((total, share) => total + share, 0);
    assert.ok(Math.abs(sum(bins.reference) - 1) < 1e-12 && Math.abs(sum(bins.current) - 1) < 1e-12);
    // The reference fills the lower half of the range, the current the upper half: a bin wholly on one side of
    // 99.5 holds rows of that side only.
    bins.reference.forEach((share, i) => {
      if (bins.edges[i + 1]! < 99.5) assert.ok(share > 0 && bins.current[i] === 0, `bin ${i}`);
      if (bins.edges[i]! > 99.5) assert.ok(share === 0 && bins.current[i]! > 0, `bin ${i}`);
    });
  });

  test('a numeric column with few values: one bar per value in numeric order, missing cells dropped', async () => {
    const reference = [...Array<number>(30).fill(1), ...Array<number>(10).fill(2), '', 'NA'];
    const current = [
      ...Array<number>(5).fill(1),
      ...Array<number>(30).fill(10),
      ...Array<number>(5).fill(2),
      'NaN',
      '',
    ];
    const report = await binned({ calls: reference }, { calls: current });
    assert.equal(column(report, 'calls').drifted, true);
    assert.deepEqual(column(report, 'calls').bins, {
      labels: ['1', '2', '10'],
      reference: [0.75, 0.25, 0],
      current: [0.125, 0.125, 0.75],
      more: 0,
    });
  });

  test('a text column: the most frequent values first, the rest counted, long values cut', async () => {
    const long = 'v'.repeat(500);
    const reference = Array.from({ length: 60 }, (_, i) => `city${i % 30}`);
    const current = [...Array<string>(40).fill(long), ...reference.slice(0, 20)];
    const report = await binned({ city: reference }, { city: current });
    const bins = column(report, 'city').bins!;
    assert.ok('labels' in bins);
    assert.equal(bins.labels.length, MAX_LABELS);
    assert.equal(bins.labels[0], `${'v'.repeat(MAX_LABEL_CHARS - 1)}…`);
    assert.deepEqual([bins.reference[0], bins.current[0]], [0, 40 / 60]);
    assert.equal(bins.more, 31 - MAX_LABELS);
  });

  test('only drifted columns get bins; a report with none drifted comes back unchanged', async () => {
    const same = Array.from({ length: 50 }, (_, i) => i % 7);
    const shifted = Array.from({ length: 50 }, (_, i) => (i % 7) + 5);
    const report = await binned({ a: same, b: same }, { a: same, b: shifted });
    assert.equal(column(report, 'a').bins, undefined);
    assert.ok(column(report, 'b').bins);
    const calm = await binned({ a: same }, { a: same });
    assert.equal(column(calm, 'a').bins, undefined);
  });
});
