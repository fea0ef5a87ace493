import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driftCommand } from '../../cli/commands/drift.ts';
import { columnDrift, datasetDrift, driftReportSchema, type ColumnDrift } from '../../core/drift/index.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { assertCliRefusal, listTree } from '../support/refusals.ts';

/** 40 rows: `amount` moves up by 25 in the current data, `plan` keeps its mix, `note` is empty on both sides. */
function rows(shift: number): string[][] {
  return Array.from({ length: 40 }, (_, i) => [String(i + shift), ['free', 'pro', 'team'][i % 3]!, '']);
}

function writeData(dir: string) {
  const csv = (table: string[][]) => ['amount,plan,note', ...table.map((row) => row.join(','))].join('\n') + '\n';
  writeFileSync(join(dir, 'reference.csv'), csv(rows(0)));
  writeFileSync(join(dir, 'current.csv'), csv(rows(25)));
}

const cells = (column: number, shift: number) => rows(shift).map((row) => row[column]!);

describe('cairn drift', () => {
  test('drift.json: the shifted numeric column drifts, the stable one does not, the empty one is skipped', async () => {
    const cwd = tempDir();
    writeData(cwd);
    const result = await runCli(
      ['drift', '--reference', 'reference.csv', '--current', 'current.csv', '--out', 'drift.json'],
      {
        cwd,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const report = driftReportSchema.parse(JSON.parse(readFileSync(join(cwd, 'drift.json'), 'utf8')));
    assert.deepEqual(report.reference, { path: 'reference.csv', rows: 40 });
    assert.deepEqual(report.current, { path: 'current.csv', rows: 40 });
    const expected = [
      columnDrift('amount', cells(0, 0), cells(0, 25)),
      columnDrift('plan', cells(1, 0), cells(1, 25)),
    ] as ColumnDrift[];
    assert.deepEqual(
      report.columns.map(({ bins: _bins, ...column }) => column),
      expected,
    );
    assert.deepEqual(
      report.columns.map((c) => [c.name, c.kind, c.test, c.drifted]),
      [
        ['amount', 'num', 'ks', true],
        ['plan', 'cat', 'chisquare', false],
      ],
    );
    assert.deepEqual(report.skipped, [{ name: 'note', reason: 'no values left in the reference data' }]);
    assert.deepEqual(report.dataset, datasetDrift(expected));
    assert.deepEqual(report.dataset, { columns: 2, drifted_columns: 1, share: 0.5, threshold: 0.5, drifted: true });
    assert.match(result.stderr, /amount\s+num\s+ks\s+\S+\s+0\.05\s+DRIFT/);
    // The drifted column carries its reference-vs-current shares for a report's chart; the other does not.
    const [amount, plan] = report.columns;
    assert.ok(amount!.bins, 'the drifted column has chart bins');
    assert.equal(plan!.bins, undefined);
  });

  test('on a pipe without --out: the JSON on stdout; --test, --threshold and --share are applied', async () => {
    const cwd = tempDir();
    writeData(cwd);
    const args = ['drift', '--reference', 'reference.csv', '--current', 'current.csv', '--columns', 'amount,plan'];
    const result = await runCli([...args, '--test', 'plan=psi', '--threshold', 'amount=0.0000001', '--share', '0.6'], {
      cwd,
    });
    assert.equal(result.code, 0, result.stderr);
    const report = driftReportSchema.parse(JSON.parse(result.stdout));
    assert.deepEqual(
      report.columns.map(({ bins: _bins, ...column }) => column),
      [
        columnDrift('amount', cells(0, 0), cells(0, 25), { threshold: 0.0000001 }),
        columnDrift('plan', cells(1, 0), cells(1, 25), { test: 'psi' }),
      ],
    );
    assert.equal(report.columns[1]!.test, 'psi');
    assert.equal(report.dataset.threshold, 0.6);
    assert.equal(report.skipped.length, 0);
  });

  test('on a terminal without --out: a table of verdicts, not JSON', async () => {
    const cwd = tempDir();
    writeData(cwd);
    let stdout = '';
    const code = await driftCommand(['--reference', 'reference.csv', '--current', 'current.csv'], {
      stdout: (text) => void (stdout += text),
      stderr: () => {},
      env: {},
      cwd,
      stdoutIsTTY: true,
    });
    assert.equal(code, 0);
    assert.match(stdout, /^plan\s+cat\s+chisquare\s+\S+\s+0\.05\s+ok$/m);
    assert.match(stdout, /^skipped note: no values left in the reference data$/m);
    assert.match(stdout, /^dataset: DRIFT, 1 of 2 columns drifted/m);
  });

  test('--fail-on-drift: exit 1 naming the drifted columns, drift.json still written', async () => {
    const cwd = tempDir();
    writeData(cwd);
    const result = await runCli(
      ['drift', '--reference', 'reference.csv', '--current', 'current.csv', '--out', 'drift.json', '--fail-on-drift'],
      { cwd },
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /the dataset drifted: amount \(1 of 2 columns/);
    assert.equal(
      driftReportSchema.parse(JSON.parse(readFileSync(join(cwd, 'drift.json'), 'utf8'))).dataset.drifted,
      true,
    );
  });

  test('a column in only one file is skipped with the side that has it, and refused when named', async () => {
    const cwd = tempDir();
    writeData(cwd);
    const reference = readFileSync(join(cwd, 'reference.csv'), 'utf8').split('\n');
    writeFileSync(
      join(cwd, 'reference.csv'),
      reference.map((line, i) => (line === '' ? line : `${line},${i === 0 ? 'legacy' : i % 4}`)).join('\n'),
    );
    const result = await runCli(['drift', '--reference', 'reference.csv', '--current', 'current.csv'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    const report = driftReportSchema.parse(JSON.parse(result.stdout));
    assert.deepEqual(
      report.columns.map((column) => column.name),
      ['amount', 'plan'],
    );
    assert.deepEqual(report.skipped, [
      { name: 'note', reason: 'no values left in the reference data' },
      { name: 'legacy', reason: 'only in the reference data' },
    ]);
    assert.match(result.stderr, /^skipped legacy: only in the reference data$/m);
    const named = await runCli(
      ['drift', '--reference', 'reference.csv', '--current', 'current.csv', '--columns', 'amount,legacy'],
      { cwd },
    );
    assertCliRefusal(named, { message: /column "legacy" is not in the current data current\.csv/ }, 'named');
  });

  const refusals: [string, string[], RegExp][] = [
    ['unknown column in --columns', ['--columns', 'amount,plna'], /column "plna" is not in the reference data/],
    ['a column named twice', ['--columns', 'amount,plan,amount'], /column "amount" is named twice in --columns/],
    ['unknown column in --test', ['--test', 'ammount=ks'], /column "ammount" is not in the reference data/],
    ['unknown column in --threshold', ['--threshold', 'x=0.1'], /column "x" is not in the reference data/],
    ['unknown test', ['--test', 'amount=t-test'], /unknown test; choose ks, chisquare/],
    ['a threshold that is not a number', ['--threshold', 'amount=high'], /the threshold must be a number/],
    ['a negative threshold', ['--threshold', 'amount=-1'], /a threshold is 0 or more/],
    [
      'a p-value threshold above 1',
      ['--threshold', 'amount=2'],
      /uses the ks test, whose score is a p-value: a threshold of 2/,
    ],
    ['a share of 0', ['--share', '0'], /give a share above 0 and at most 1/],
    ['a share above 1', ['--share', '1.5'], /give a share above 0 and at most 1/],
    ['a text column with ks', ['--test', 'plan=ks'], /"plan" holds text, and the ks test needs numbers/],
    ['a missing file', ['--current', 'missing.csv'], /missing\.csv does not exist/],
    [
      '--out is a folder',
      ['--out', 'out'],
      /--out out is a folder; name a file to write \(for example out\/drift\.json\)/,
    ],
  ];
  for (const [label, extra, message] of refusals) {
    test(`refuses ${label}: exit 2, nothing written`, async () => {
      const cwd = tempDir();
      writeData(cwd);
      mkdirSync(join(cwd, 'out'));
      const before = listTree(cwd);
      const result = await runCli(
        ['drift', '--reference', 'reference.csv', '--current', 'current.csv', '--out', 'drift.json', ...extra],
        { cwd },
      );
      assertCliRefusal(result, { message }, label);
      assert.deepEqual(listTree(cwd), before, `${label}: nothing written`);
    });
  }
});
