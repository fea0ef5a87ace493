/**
 * `cairn evaluate --shard I/N` and `cairn evaluate merge` as a user runs them: the merged file is
 * the one-run metrics.json (less latency), the gate is checked at the merge, the report renders
 * it, and every bad input is exit 2 with a message and nothing written.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli, tempDir } from '../support/cli.ts';
import { assertCliRefusal, listTree } from '../support/refusals.ts';
import { fixture } from '../core/evaluate/fixture-paths.ts';

const binary = ['--model', fixture('binary.onnx'), '--data', fixture('binary.csv'), '--target', 'churned'];
const regression = ['--model', fixture('regression.onnx'), '--data', fixture('regression.csv'), '--target', 'price'];
const sigmoid = ['--model', fixture('binary_sigmoid.onnx'), '--data', fixture('binary.csv'), '--target', 'churned'];

async function shard(dir: string, file: string, model: string[], spec: string): Promise<string> {
  const out = join(dir, file);
  const result = await runCli(['evaluate', ...model, '--name', 'churn', '--shard', spec, '--out', out, '-q']);
  assert.equal(result.code, 0, result.stderr);
  return out;
}

describe('cairn evaluate --shard / merge', () => {
  let dir: string;
  let parts: string[];
  let whole: Record<string, unknown>;
  before(async () => {
    dir = tempDir();
    parts = [];
    for (const i of [1, 2, 3]) parts.push(await shard(dir, `part-${i}.json`, binary, `${i}/3`));
    const out = join(dir, 'whole.json');
    const result = await runCli(['evaluate', ...binary, '--name', 'churn', '--bootstrap', '40', '--out', out, '-q']);
    assert.equal(result.code, 0, result.stderr);
    whole = JSON.parse(readFileSync(out, 'utf8'));
  });

  test('a shard writes its partial: the accumulator state of its rows, with model and data provenance', () => {
    const partial = JSON.parse(readFileSync(parts[1], 'utf8'));
    assert.equal(partial.format, 'cairn.metrics-accumulator/v1');
    assert.equal(partial.rows, 100);
    assert.equal(partial.name, 'churn');
    assert.deepEqual(partial.data.shard, { index: 2, count: 3, first_row: 101, last_row: 200 });
    assert.equal(partial.data.rows, 300);
    assert.equal(partial.model.sha256, (whole.model as { sha256: string }).sha256);
  });

  test('merge writes the one-run metrics (gate checked on all rows), without latency; the report renders it', async () => {
    const out = join(dir, 'metrics.json');
    const result = await runCli([
      'evaluate',
      'merge',
      ...[...parts].reverse(),
      '--bootstrap',
      '40',
      '--gate',
      'roc_auc>=0.9',
      '--out',
      out,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const merged = JSON.parse(readFileSync(out, 'utf8'));
    for (const key of ['task', 'rows', 'metrics', 'per_class', 'confusion_matrix', 'curves', 'intervals', 'bootstrap'])
      assert.deepEqual(merged[key], whole[key], key);
    assert.equal(merged.gate.passed, true);
    assert.equal(merged.latency, undefined);
    assert.deepEqual(
      merged.data.parts.map((part: { shard: string; rows: number }) => `${part.shard}:${part.rows}`),
      ['1/3:100', '2/3:100', '3/3:100'],
    );
    assert.equal(merged.data.rows, 300);

    const report = await runCli([
      'report',
      '--metrics',
      out,
      '--card-out',
      join(dir, 'card.md'),
      '--comment-out',
      join(dir, 'comment.md'),
    ]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(readFileSync(join(dir, 'comment.md'), 'utf8'), /merged from 3 shards/);
    assert.match(
      readFileSync(join(dir, 'card.md'), 'utf8'),
      /binary\.csv`, sha256 `[0-9a-f]{64}`, 300 rows \(merged from 3 shard partials/,
    );
  });

  test('a failed gate at the merge is exit 1, with metrics.json still written', async () => {
    const out = join(dir, 'failed.json');
    const result = await runCli(['evaluate', 'merge', ...parts, '--gate', 'roc_auc>=0.99', '--out', out, '-q']);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).gate.passed, false);
  });

  describe('refusals: exit 2, a message naming the problem, nothing written', () => {
    const cases: Array<[string, (d: string) => Promise<string[]> | string[], RegExp]> = [
      [
        '--shard 0/3',
        () => ['evaluate', ...binary, '--shard', '0/3', '--out', 'p.json'],
        /--shard "0\/3" is not a shard: write I\/N/,
      ],
      [
        '--shard 4/3',
        () => ['evaluate', ...binary, '--shard', '4/3', '--out', 'p.json'],
        /--shard "4\/3" is not a shard/,
      ],
      [
        '--shard 1/0',
        () => ['evaluate', ...binary, '--shard', '1/0', '--out', 'p.json'],
        /--shard "1\/0" is not a shard/,
      ],
      [
        '--shard x/y',
        () => ['evaluate', ...binary, '--shard', 'x/y', '--out', 'p.json'],
        /--shard "x\/y" is not a shard/,
      ],
      [
        'a --bootstrap no run could finish',
        () => ['evaluate', ...binary, '--bootstrap', '100001', '--out', 'm.json'],
        /--bootstrap must be a whole number of resamples from 0 to 100,000, got 100001/,
      ],
      ['--shard without --out', () => ['evaluate', ...binary, '--shard', '1/2'], /--out is required/],
      [
        '--shard with --gate',
        () => ['evaluate', ...binary, '--shard', '1/2', '--gate', 'f1>=0.5', '--out', 'p.json'],
        /--gate cannot be used with --shard.*cairn evaluate merge/,
      ],
      [
        '--shard with --baseline',
        () => ['evaluate', ...binary, '--shard', '1/2', '--baseline', 'b.json', '--out', 'p.json'],
        /--baseline cannot be used with --shard/,
      ],
      [
        '--shard with --no-gate',
        () => ['evaluate', ...binary, '--shard', '1/2', '--no-gate', '--out', 'p.json'],
        /--no-gate cannot be used with --shard/,
      ],
      [
        'more shards than rows',
        () => ['evaluate', ...binary, '--shard', '301/301', '--out', 'p.json'],
        /holds no rows: the file has 300 data rows/,
      ],
      ['merge with no partials', () => ['evaluate', 'merge', '--out', 'm.json'], /name the partial files to merge/],
      [
        'a missing shard',
        () => ['evaluate', 'merge', parts[0], parts[2], '--out', 'm.json'],
        /shard 2\/3 of .*binary\.csv .* is missing; given: 1\/3 .*part-1\.json.*, 3\/3/,
      ],
      [
        'a duplicated shard',
        () => ['evaluate', 'merge', ...parts, parts[1], '--out', 'm.json'],
        /shard 2\/3 of .*binary\.csv .* is given twice: .*part-2\.json and .*part-2\.json/,
      ],
      [
        'shards of one file split with different N',
        async (d) => ['evaluate', 'merge', await shard(d, 'half.json', binary, '1/2'), ...parts, '--out', 'm.json'],
        /part-1\.json is shard 1\/3 of .*binary\.csv.*but .*half\.json is shard 1\/2/,
      ],
      [
        'partials of different models',
        async (d) => ['evaluate', 'merge', ...parts, await shard(d, 'other.json', sigmoid, '1/1'), '--out', 'm.json'],
        /other\.json is a partial of model sha256 [0-9a-f]{12}, but .*part-\d\.json is of [0-9a-f]{12}/,
      ],
      [
        // The same model bytes evaluated as another task: only an edited file can do it.
        'partials of different tasks',
        async (d) => {
          const reg = await shard(d, 'task.json', regression, '1/1');
          const model = JSON.parse(readFileSync(parts[0], 'utf8')).model;
          return [
            'evaluate',
            'merge',
            parts[0],
            edited(d, reg, 'task.json', (p) => ({ ...p, model })),
            '--out',
            'm.json',
          ];
        },
        /task\.json is a partial of a regression evaluation, but .*part-1\.json is of a binary one/,
      ],
      [
        'partials of different class lists',
        (d) => [
          'evaluate',
          'merge',
          parts[0],
          edited(d, parts[0], 'classes.json', (p) => ({ ...p, classes: ['no', 'yes'] })),
          '--out',
          'm.json',
        ],
        /classes\.json is a partial of classes \[no, yes\], but .*part-1\.json is of \[0, 1\]/,
      ],
      [
        'a partial that is not an accumulator (a metrics.json)',
        (d) => [
          'evaluate',
          'merge',
          writeIn(d, 'metrics-in.json', JSON.stringify({ schema: 'cairn.metrics/v1', task: 'binary' })),
          '--out',
          'm.json',
        ],
        /metrics-in\.json is not a cairn metrics accumulator state \(cairn\.metrics-accumulator\/v1\)/,
      ],
      [
        'a MetricsAccumulator state without provenance',
        (d) => [
          'evaluate',
          'merge',
          edited(d, parts[0], 'bare.json', ({ format, task, classes, rows, y_true, y_pred, proba }) => ({
            format,
            task,
            classes,
            rows,
            y_true,
            y_pred,
            proba,
          })),
          '--out',
          'm.json',
        ],
        /bare\.json is a metrics accumulator state but not a shard's partial/,
      ],
      [
        'a truncated partial',
        (d) => [
          'evaluate',
          'merge',
          writeIn(d, 'cut.json', readFileSync(parts[0], 'utf8').slice(0, 500)),
          '--out',
          'm.json',
        ],
        /cut\.json is not valid JSON .*was it cut off/,
      ],
      [
        '--out naming one of the partials it merges',
        () => ['evaluate', 'merge', ...parts, '--out', parts[1]],
        /--out .*part-2\.json is also the partial file .*part-2\.json: writing there would replace what the command reads/,
      ],
      [
        "a shard's --out naming its own data",
        (d) => {
          const data = writeIn(d, 'copy.csv', readFileSync(fixture('binary.csv'), 'utf8'));
          const args = ['--model', fixture('binary.onnx'), '--data', data, '--target', 'churned'];
          return ['evaluate', ...args, '--shard', '1/2', '--out', data];
        },
        /--out .*copy\.csv is also --data .*copy\.csv: writing there would replace what the command reads/,
      ],
      [
        'a partial that does not exist',
        () => ['evaluate', 'merge', 'nope.json', '--out', 'm.json'],
        /cannot read the partial nope\.json: no such file/,
      ],
      [
        'a regression partial beside binary ones',
        async (d) => ['evaluate', 'merge', parts[0], await shard(d, 'reg.json', regression, '1/1'), '--out', 'm.json'],
        /reg\.json is a partial of model sha256/,
      ],
    ];
    for (const [label, args, message] of cases) {
      test(label, async () => {
        const setup = tempDir();
        const argv = await args(setup);
        const cwd = tempDir();
        mkdirSync(join(cwd, 'keep'));
        const before = listTree(cwd);
        const result = await runCli(argv, { cwd });
        assertCliRefusal(result, { message }, label);
        assert.deepEqual(listTree(cwd), before, `${label}: nothing written`);
      });
    }
  });
});

function writeIn(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A copy of the partial `from`, changed by `change`, as `dir/name`. */
function edited(
  dir: string,
  from: string,
  name: string,
  change: (partial: Record<string, unknown>) => Record<string, unknown>,
): string {
  return writeIn(dir, name, JSON.stringify(change(JSON.parse(readFileSync(from, 'utf8')))));
}
