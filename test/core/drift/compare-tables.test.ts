/**
 * compareTables on files: the report does not depend on how the columns are grouped for reading, on the format, or on
 * a text cell showing up only after the rows core/data samples; a column in only one file is skipped with a reason.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnDrift, compareTables, type CompareTablesOptions } from '../../../core/drift/index.ts';
import { tempDir } from '../../support/cli.ts';

const ROWS = 1500; // above inspectTable's 1000-row sample, and in the n > 1000 regime

/** Columns by name: a shifted number, small integers, labels, and `late` whose only text cell is in the last row. */
function table(shift: number): Record<string, string[]> {
  const rows = Array.from({ length: ROWS }, (_, i) => i);
  return {
    amount: rows.map((i) => String(((i * 7919) % 1000) / 10 + shift)),
    visits: rows.map((i) => String((i + shift) % 4)),
    plan: rows.map((i) => ['free', 'pro', 'team'][(i + (shift ? i % 2 : 0)) % 3]!),
    late: rows.map((i) => (i === ROWS - 1 ? 'unknown' : String(i % 9))),
    gaps: rows.map((i) => (i % 3 === 0 ? '' : String(i * 0.5 + shift))),
  };
}

function writeCsv(path: string, columns: Record<string, string[]>) {
  const names = Object.keys(columns);
  const lines = Array.from({ length: ROWS }, (_, i) => names.map((name) => columns[name]![i]).join(','));
  writeFileSync(path, [names.join(','), ...lines].join('\n') + '\n');
}

function writeJsonl(path: string, columns: Record<string, string[]>) {
  const names = Object.keys(columns);
  const line = (i: number) => {
    const entries = names.map((name) => {
      const text = columns[name]![i]!;
      return [name, text === '' ? null : Number.isFinite(Number(text)) ? Number(text) : text];
    });
    return JSON.stringify(Object.fromEntries(entries));
  };
  writeFileSync(path, Array.from({ length: ROWS }, (_, i) => line(i)).join('\n') + '\n');
}

function options(dir: string, extension: string, more: Partial<CompareTablesOptions> = {}): CompareTablesOptions {
  return {
    reference: { path: join(dir, `reference.${extension}`), shown: 'reference' },
    current: { path: join(dir, `current.${extension}`), shown: 'current' },
    ...more,
  };
}

describe('compareTables', () => {
  const dir = tempDir();
  const [reference, current] = [table(0), table(3)];
  writeCsv(join(dir, 'reference.csv'), reference);
  writeCsv(join(dir, 'current.csv'), current);
  writeJsonl(join(dir, 'reference.jsonl'), reference);
  writeJsonl(join(dir, 'current.jsonl'), current);

  test('each column scores as columnDrift does on its cells, with a late text cell making the column categorical', async () => {
    const report = await compareTables(options(dir, 'csv'));
    const expected = Object.keys(reference).map((name) => columnDrift(name, reference[name]!, current[name]!));
    assert.deepEqual(report.columns, expected);
    assert.deepEqual(
      report.columns.map((column) => [column.name, column.kind, column.test]),
      [
        ['amount', 'num', 'wasserstein'],
        ['visits', 'num', 'jensenshannon'],
        ['plan', 'cat', 'jensenshannon'],
        ['late', 'cat', 'jensenshannon'],
        ['gaps', 'num', 'ks'], // 1000 values left after the empty cells: n <= 1000
      ],
    );
    assert.deepEqual([report.reference.rows, report.current.rows], [ROWS, ROWS]);
  });

  test('reading one column per pass gives the same report as reading them all at once', async () => {
    const whole = await compareTables(options(dir, 'csv', { bins: true }));
    const byColumn = await compareTables(options(dir, 'csv', { groupBudgetBytes: 1, bins: true }));
    assert.deepEqual(byColumn, whole);
    assert.ok(
      whole.columns.some((column) => column.bins),
      'the chart data comes along, whatever the grouping',
    );
  });

  test('a group whose text column holds an ID per row is read again a column at a time, with the same report', async () => {
    const ids = tempDir();
    // 3,000 distinct IDs outgrow what a 3-column group of 3,000 rows may hold (8 bytes a row a column, ~300 a text).
    const withIds = (columns: Record<string, string[]>, side: string) => ({
      amount: columns.amount!,
      id: Array.from({ length: ROWS }, (_, i) => `${side}-${i}`),
      plan: columns.plan!,
    });
    writeCsv(join(ids, 'reference.csv'), withIds(reference, 'r'));
    writeCsv(join(ids, 'current.csv'), withIds(current, 'c'));
    const grouped = await compareTables(options(ids, 'csv'));
    const byColumn = await compareTables(options(ids, 'csv', { groupBudgetBytes: 1 }));
    assert.deepEqual(grouped, byColumn);
    assert.deepEqual(
      grouped.columns.map((column) => [column.name, column.kind, column.drifted]),
      [
        ['amount', 'num', true],
        ['id', 'cat', true],
        ['plan', 'cat', false],
      ],
    );
  });

  test('JSONL with the same values gives the same verdicts and scores as CSV', async () => {
    const csv = await compareTables(options(dir, 'csv'));
    const jsonl = await compareTables(options(dir, 'jsonl'));
    assert.deepEqual(jsonl.columns, csv.columns);
    assert.deepEqual(jsonl.dataset, csv.dataset);
  });

  test('a column in only one file is skipped with the side that has it; the others are compared', async () => {
    const one = tempDir();
    writeCsv(join(one, 'reference.csv'), { amount: reference.amount!, legacy: reference.visits! });
    writeCsv(join(one, 'current.csv'), { fresh: current.plan!, amount: current.amount! });
    const report = await compareTables(options(one, 'csv'));
    assert.deepEqual(
      report.columns.map((column) => column.name),
      ['amount'],
    );
    assert.deepEqual(report.skipped, [
      { name: 'legacy', reason: 'only in the reference data' },
      { name: 'fresh', reason: 'only in the current data' },
    ]);
    await assert.rejects(
      compareTables(options(one, 'csv', { columns: ['amount', 'legacy'] })),
      /column "legacy" is not in the current data current/,
    );
  });
});
