import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { compareTables, driftReportSchema, type DriftReport } from '../../core/drift/index.ts';
import { inputEnv, runBundledAction, runnerFiles } from '../support/action-runner.ts';
import { assertInert, assertNoWorkflowCommands, HOSTILE, HOSTILE_LINE } from '../support/inert-markdown.ts';
import { assertStepRefusal, listTree } from '../support/refusals.ts';
import { readTable } from '../core/report/markdown-table-reader.ts';

const BUNDLE = resolve('dist/drift.js');
const RUNNER_FILES = /^(output|summary\.md|path|env|event\.json)$/;

/** 200 rows a side: `amount` moves up by half its range, `plan` changes its mix, `region` stays put. */
function tables(dir: string) {
  const row = (i: number, shifted: boolean) =>
    [
      (shifted ? 50 : 0) + (i % 100) + 0.5,
      shifted ? (i % 4 === 0 ? 'basic' : 'pro') : i % 4 === 0 ? 'pro' : 'basic',
      ['north', 'south', 'east'][i % 3],
    ].join(',');
  const write = (name: string, shifted: boolean) =>
    writeFileSync(
      join(dir, name),
      `amount,plan,region\n${Array.from({ length: 200 }, (_, i) => row(i, shifted)).join('\n')}\n`,
    );
  write('reference.csv', false);
  write('current.csv', true);
}

async function runStep(inputs: Record<string, string>, prepare: (dir: string) => void = tables) {
  const runner = runnerFiles({ repository: 'acme/churn', eventName: 'schedule' });
  prepare(runner.dir);
  const step = await runBundledAction(BUNDLE, { ...runner.env, ...inputEnv(inputs) }, { cwd: runner.dir });
  return { ...step, runner, outputs: runner.outputs() };
}

function readReport(path: string): DriftReport {
  return driftReportSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

describe('actions/drift (dist/drift.js, run as the runner runs it)', () => {
  test('writes drift.json with chart data, sets the outputs, and shows the verdict, the table and charts', async () => {
    const step = await runStep({ reference: 'reference.csv', current: 'current.csv' });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    const path = join(step.runner.dir, 'drift.json');
    assert.equal(step.outputs['report-path'], path);
    const report = readReport(path);
    const expected = await compareTables({
      reference: { path: join(step.runner.dir, 'reference.csv'), shown: 'reference.csv' },
      current: { path: join(step.runner.dir, 'current.csv'), shown: 'current.csv' },
    });
    assert.deepEqual(
      report.columns.map(({ bins: _bins, ...column }) => column),
      expected.columns,
      'the same verdicts as cairn drift',
    );
    assert.deepEqual(report.dataset, expected.dataset);
    assert.deepEqual(
      report.columns.map((column) => [column.name, column.drifted, column.bins !== undefined]),
      [
        ['amount', true, true],
        ['plan', true, true],
        ['region', false, false],
      ],
    );
    assert.deepEqual(step.outputs.drifted, 'true');
    assert.equal(Number(step.outputs.share), 2 / 3);
    assert.deepEqual(JSON.parse(step.outputs['drifted-columns']), ['amount', 'plan']);

    const summary = step.runner.summary();
    assert.match(summary, /^### Data drift: the dataset drifted$/m);
    assert.match(summary, /\*\*Dataset:\*\* 🔴 drifted: 2 of 3 columns drifted, share 0\.6667 ≥ threshold 0\.5\./);
    assert.deepEqual(
      readTable(summary, 'Column').rows.map((row) => [row.Column, row.Test, row.Verdict]),
      [
        ['amount', 'ks', '🔴 drifted'],
        ['plan', 'z', '🔴 drifted'],
        ['region', 'chisquare', '🟢 no drift'],
      ],
    );
    assert.equal(summary.match(/```mermaid\nxychart-beta/g)?.length, 2, 'one chart per drifted column');
    assert.match(summary, /title "plan: reference vs current"\n {2}x-axis \["basic", "pro"\]/);
    assert.match(step.stdout, /dataset: drifted, 2 of 3 columns drifted/);
  });

  test('tests, thresholds, columns and share change the verdict; out puts the report elsewhere', async () => {
    const step = await runStep({
      reference: 'reference.csv',
      current: 'current.csv',
      columns: 'amount\nregion',
      tests: 'amount=psi\n\nregion=jensenshannon',
      thresholds: 'amount=100',
      share: '0.4',
      out: 'reports/drift.json',
    });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    const report = readReport(join(step.runner.dir, 'reports', 'drift.json'));
    assert.deepEqual(
      report.columns.map((column) => [column.name, column.test, column.threshold, column.drifted]),
      [
        ['amount', 'psi', 100, false],
        ['region', 'jensenshannon', 0.1, false],
      ],
    );
    assert.equal(report.dataset.threshold, 0.4);
    assert.equal(step.outputs.drifted, 'false');
    assert.equal(step.outputs['drifted-columns'], '[]');
    assert.match(step.runner.summary(), /### Data drift: no dataset drift/);
    assert.ok(!existsSync(join(step.runner.dir, 'drift.json')));
  });

  test('fail-on-drift: true fails the step when the dataset drifted, after writing the report, outputs and summary', async () => {
    const step = await runStep({ reference: 'reference.csv', current: 'current.csv', 'fail-on-drift': 'true' });
    assert.equal(step.code, 1);
    assert.match(step.stdout, /^::error::the dataset drifted: 2 of 3 columns .*: amount, plan\. fail-on-drift: true/m);
    assert.equal(step.outputs.drifted, 'true');
    assert.ok(existsSync(step.outputs['report-path']));
    assert.match(step.runner.summary(), /### Data drift: the dataset drifted/);

    const calm = await runStep({
      reference: 'reference.csv',
      current: 'reference.csv',
      'fail-on-drift': 'true',
    });
    assert.equal(calm.code, 0, calm.stdout);
    assert.equal(calm.outputs.drifted, 'false');
  });

  test('hostile and very long column names stay inert in the summary and the log, and the summary stays small', async () => {
    const long = `@owner ${'x'.repeat(5000)}`;
    const names = [HOSTILE, HOSTILE_LINE, '@octocat', '<img src=x onerror=alert(1)>', '](http://evil)', long];
    const step = await runStep({ reference: 'reference.jsonl', current: 'current.jsonl' }, (dir) => {
      const rows = (shift: number) =>
        Array.from({ length: 120 }, (_, i) =>
          JSON.stringify(Object.fromEntries(names.map((name, j) => [name, j % 2 ? `v${(i + shift) % 7}` : i + shift]))),
        ).join('\n');
      writeFileSync(join(dir, 'reference.jsonl'), `${rows(0)}\n`);
      writeFileSync(join(dir, 'current.jsonl'), `${rows(60)}\n`);
    });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    const report = readReport(step.outputs['report-path']);
    assert.deepEqual(
      report.columns.map((column) => column.name),
      names,
      'drift.json keeps every name whole',
    );
    const summary = step.runner.summary();
    assertInert(summary);
    assertNoWorkflowCommands(step.stdout);
    assert.equal(readTable(summary, 'Column').rows.length, names.length);
    assert.ok(!summary.includes('x'.repeat(200)), 'a very long name is cut');
    assert.ok(summary.length < 40_000, `${summary.length} characters`);
  });
});

describe('actions/drift refuses bad input, naming the input, before reading a table', () => {
  const base = { reference: 'reference.csv', current: 'current.csv' };
  const cases: Array<[Record<string, string>, RegExp, string]> = [
    [{ current: 'current.csv' }, /input reference is required: set `reference:`/, 'no reference'],
    [{ reference: 'reference.csv' }, /input current is required: set `current:`/, 'no current'],
    [{ ...base, tests: 'amount=ttest' }, /tests: amount=ttest: unknown test; choose ks, chisquare/, 'unknown test'],
    [{ ...base, tests: 'amount' }, /tests: amount: write it as COLUMN=VALUE/, 'test without a column'],
    [
      { ...base, thresholds: 'amount=high' },
      /thresholds: amount=high: the threshold must be a number/,
      'bad threshold',
    ],
    [{ ...base, share: '2' }, /share: 2: give a share above 0 and at most 1/, 'share above 1'],
    [{ ...base, share: '0' }, /share: 0: give a share above 0 and at most 1/, 'share of 0'],
    [
      { ...base, 'fail-on-drift': 'yes' },
      /input fail-on-drift must be one of true, false; got "yes"/,
      'bad fail-on-drift',
    ],
    [
      { ...base, columns: 'plan', tests: 'amount=ks' },
      /input tests: column "amount" is not in columns:; add it there/,
      'a test for a column not compared',
    ],
    [
      { ...base, columns: 'plan', thresholds: 'amount=0.2' },
      /input thresholds: column "amount" is not in columns:/,
      'a threshold for a column not compared',
    ],
    [
      { ...base, columns: 'amount,plna' },
      /column "plna" is not in the reference data reference\.csv/,
      'unknown column',
    ],
    [{ ...base, current: 'missing.csv' }, /missing\.csv/, 'missing current file'],
    [{ ...base, tests: 'plan=ks' }, /column "plan" holds text, and the ks test needs numbers/, 'ks on text'],
    [{ ...base, out: 'reference.csv/drift.json' }, /out: reference\.csv\/drift\.json cannot be written/, 'bad out'],
  ];
  for (const [inputs, message, label] of cases)
    test(label, async () => {
      const step = await runStep(inputs);
      assertStepRefusal(step, message, label);
      assert.deepEqual(step.outputs, {}, `${label}: no outputs`);
      assert.deepEqual(
        listTree(step.runner.dir).filter((path) => !RUNNER_FILES.test(path)),
        ['current.csv', 'reference.csv'],
        `${label}: nothing written`,
      );
      assert.equal(step.runner.summary(), '', `${label}: no summary`);
    });
});
