import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { CHURN, runCli, tempDir, trainChurn } from '../support/cli.ts';
import { assertNoWorkflowCommands } from '../support/inert-markdown.ts';
import { assertCliRefusal, listTree } from '../support/refusals.ts';

const evalCsv = join(CHURN, 'data', 'eval.csv');

describe('cairn evaluate', () => {
  let dir: string;
  let model: string;
  before(async () => {
    dir = tempDir();
    model = await trainChurn(dir);
  });

  test('writes cairn.metrics/v1 with every binary metric, and passes a gate it meets', async () => {
    const out = join(dir, 'metrics.json');
    const result = await runCli([
      'evaluate',
      '--model',
      model,
      '--data',
      evalCsv,
      '--target',
      'churned',
      '--gate',
      'roc_auc>=0.7',
      '--out',
      out,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(report.schema, 'cairn.metrics/v1');
    assert.equal(report.task, 'binary');
    assert.equal(report.rows, 600);
    for (const name of [
      'accuracy',
      'balanced_accuracy',
      'precision',
      'recall',
      'f1',
      'roc_auc',
      'average_precision',
      'log_loss',
      'brier_score',
    ]) {
      assert.equal(typeof report.metrics[name], 'number', name);
    }
    assert.equal(report.gate.passed, true);
    assert.match(report.model.sha256, /^[0-9a-f]{64}$/);
    assert.match(report.data.sha256, /^[0-9a-f]{64}$/);
    assert.equal(
      report.data.path,
      'examples/churn/data/eval.csv',
      'paths under the working folder are recorded relative to it',
    );
    assert.equal(report.model.path, model, 'a path outside it stays absolute');
    assert.equal(report.runtime.execution_provider, 'CPUExecutionProvider');
    assert.match(result.stderr, /roc_auc/);
  });

  test('records bootstrap intervals (200 resamples by default); --bootstrap 0 turns them off, and a bad count is exit 2', async () => {
    const out = join(dir, 'intervals.json');
    const args = ['evaluate', '--model', model, '--data', evalCsv, '--target', 'churned', '--no-gate', '-q'];
    assert.equal((await runCli([...args, '--out', out])).code, 0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(report.bootstrap, { resamples: 200, seed: 0, confidence: 0.95 });
    const [low, high] = report.intervals.roc_auc;
    assert.ok(low < report.metrics.roc_auc && report.metrics.roc_auc < high);
    assert.equal((await runCli([...args, '--bootstrap', '0', '--out', out])).code, 0);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).intervals, undefined);
  });

  test('a failed gate exits 1, names the rule, and still writes the metrics', async () => {
    const out = join(dir, 'failed-gate.json');
    const result = await runCli([
      'evaluate',
      '--model',
      model,
      '--data',
      evalCsv,
      '--target',
      'churned',
      '--gate',
      'roc_auc>=0.999',
      '--out',
      out,
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /gate failed: roc_auc>=0\.999/);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).gate.passed, false);
  });

  test('compares with a baseline file: baseline-relative rules resolve against it', async () => {
    const weak = await trainChurn(dir, 2);
    const baseline = join(dir, 'baseline.json');
    assert.equal(
      (await runCli(['evaluate', '--model', weak, '--data', evalCsv, '--target', 'churned', '--out', baseline, '-q']))
        .code,
      0,
    );
    const out = join(dir, 'vs-baseline.json');
    const result = await runCli([
      'evaluate',
      '--model',
      model,
      '--data',
      evalCsv,
      '--target',
      'churned',
      '--baseline',
      baseline,
      '--gate',
      'log_loss<=baseline*1.05',
      '--out',
      out,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const rule = JSON.parse(readFileSync(out, 'utf8')).gate.rules[0];
    const base = JSON.parse(readFileSync(baseline, 'utf8')).metrics.log_loss;
    assert.ok(Math.abs(rule.threshold - base * 1.05) < 1e-12);
  });

  test("without --gate, the model's gates.default and task come from .github/cairn.yml", async () => {
    const result = await runCli([
      'evaluate',
      '--model',
      model,
      '--data',
      evalCsv,
      '--target',
      'churned',
      '--name',
      'churn',
      '--config',
      join(CHURN, '.github', 'cairn.yml'),
    ]);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.gate.expression, 'f1>=0.60, roc_auc>=baseline-0.01');
    assert.match(result.stderr, /gate from .*cairn\.yml/);
    // roc_auc>=baseline-0.01 has no baseline here: it fails closed, and says why.
    assert.equal(report.gate.rules.find((r: { metric: string }) => r.metric === 'roc_auc').passed, false);
  });

  /** A repository (a `.git` folder) holding the model at models/latest.onnx and `.github/cairn.yml` with `config`. */
  function repository(config: string): string {
    const root = tempDir('cairn-repo-');
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'models'));
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, '.github'));
    copyFileSync(model, join(root, 'models', 'latest.onnx'));
    writeFileSync(join(root, '.github', 'cairn.yml'), config);
    return root;
  }

  test('without --name, the config model whose path (from the repository root) is --model gives the name, task and gate', async () => {
    const root = repository(
      'models:\n  churn:\n    path: models/latest.onnx\n    task: binary\n    gates:\n      default: roc_auc>=0.7\n  other:\n    path: models/other.onnx\n    gates:\n      default: f1>=0.99\n',
    );
    // Run from a subfolder: --model is relative to it, the config path to the root.
    const result = await runCli(
      ['evaluate', '--model', '../models/latest.onnx', '--data', evalCsv, '--target', 'churned'],
      { cwd: join(root, 'src') },
    );
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.name, 'churn');
    assert.equal(report.gate.expression, 'roc_auc>=0.7');
    assert.equal(report.gate.passed, true);
    assert.match(result.stderr, /models\.churn.*path models\/latest\.onnx/);
  });

  test('a config with two gated models and no path match warns, naming --name, instead of dropping the gate silently', async () => {
    const root = repository(
      'models:\n  churn:\n    path: model.onnx\n    gates:\n      default: roc_auc>=0.7\n  upsell:\n    path: upsell.onnx\n',
    );
    const result = await runCli(
      ['evaluate', '--model', 'models/latest.onnx', '--data', evalCsv, '--target', 'churned'],
      { cwd: root },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).gate, undefined);
    assert.match(
      result.stderr,
      /models\/latest\.onnx matches no models\.<m>\.path, so the gate configured for models\.churn was not applied; pass --name churn/,
    );
  });

  test('--no-gate evaluates without the configured gate, and the metrics and the comment say it was turned off', async () => {
    const root = repository('models:\n  churn:\n    path: models/latest.onnx\n    gates:\n      default: f1>=0.99\n');
    const out = join(root, 'metrics.json');
    const result = await runCli(
      [
        'evaluate',
        '--model',
        'models/latest.onnx',
        '--data',
        evalCsv,
        '--target',
        'churned',
        '--no-gate',
        '--out',
        out,
      ],
      { cwd: root },
    );
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(report.gate, undefined);
    assert.deepEqual(report.gate_disabled, { configured: 'f1>=0.99' });
    assert.match(result.stderr, /Gate turned off \(--no-gate\): f1>=0\.99 not checked/);
    const comment = await runCli(['report', '--metrics', out], { cwd: root });
    assert.equal(comment.code, 0, comment.stderr);
    assert.match(comment.stdout, /churn: evaluated \(gate turned off\)/);
    assert.match(comment.stdout, /Gate:\*\* turned off on purpose.*`f1>=0\.99` was not checked/);
  });

  test('prints the metrics JSON on stdout without --out', async () => {
    const result = await runCli(['evaluate', '--model', model, '--data', evalCsv, '--target', 'churned', '-q']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).rows, 600);
  });

  test('a name that carries workflow commands runs none in a step log, and the JSON on stdout keeps it exactly', async () => {
    const name = 'churn ##[warning]x\n::error::y';
    const result = await runCli([
      'evaluate',
      '--model',
      model,
      '--data',
      evalCsv,
      '--target',
      'churned',
      '--name',
      name,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).name, name);
    assert.match(result.stderr, /^churn ##\u200B\[warning\]x/m, 'the summary on stderr still shows the name');
    assertNoWorkflowCommands(result.stdout + result.stderr);
  });

  describe('bad input exits 2 with a message naming the fix, no stack trace, and writes nothing', () => {
    /** `out(outDir)` is the --out to pass (default outDir/metrics.json); `early`: refused before the model is opened. */
    const cases: Array<{
      name: string;
      args: () => string[];
      message: RegExp;
      setup?: () => void;
      out?: (outDir: string) => string;
      early?: boolean;
    }> = [
      {
        name: 'missing model file',
        args: () => ['--model', join(dir, 'nope.onnx'), '--data', evalCsv, '--target', 'churned'],
        message: /nope\.onnx/,
      },
      {
        name: 'missing target column',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churn'],
        message: /"?churn"?.*(tenure_months|columns)/s,
      },
      {
        name: 'non-numeric cell',
        setup: () =>
          writeFileSync(join(dir, 'bad-cell.csv'), readFileSync(evalCsv, 'utf8').replace(/\n(\d+),/, '\nabc,')),
        args: () => ['--model', model, '--data', join(dir, 'bad-cell.csv'), '--target', 'churned'],
        message: /bad-cell\.csv.*row 1.*tenure_months.*abc/s,
      },
      {
        name: 'wrong feature count',
        args: () => [
          '--model',
          model,
          '--data',
          evalCsv,
          '--target',
          'churned',
          '--features',
          'tenure_months,monthly_charges',
        ],
        message: /8.*2|2.*8/s,
      },
      {
        name: 'empty data file',
        setup: () => writeFileSync(join(dir, 'empty.csv'), ''),
        args: () => ['--model', model, '--data', join(dir, 'empty.csv'), '--target', 'churned'],
        message: /empty\.csv/,
      },
      {
        name: 'unknown metric in a gate',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned', '--gate', 'f2>=0.5'],
        message: /f2.*(accuracy|roc_auc)/s,
      },
      {
        name: 'an empty --gate (it would drop the configured gate)',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned', '--gate', ''],
        message: /--gate is empty.*--no-gate/,
      },
      {
        name: '--gate with --no-gate',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned', '--gate', 'f1>=0.5', '--no-gate'],
        message: /--gate and --no-gate/,
      },
      {
        name: 'a gate on a metric the task does not compute',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned', '--gate', 'rmse<=1'],
        message: /the gate \(--gate\) checks rmse, which binary models do not compute; use one of: accuracy.*roc_auc/,
      },
      {
        name: 'a gate on a metric the given task does not compute',
        args: () => [
          '--model',
          model,
          '--data',
          evalCsv,
          '--target',
          'churned',
          '--task',
          'binary',
          '--gate',
          'f1>=0.5, mae<=1',
        ],
        message: /checks mae, which binary/,
      },
      {
        name: 'a --bootstrap that is not a count',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned', '--bootstrap', 'many'],
        message: /--bootstrap must be/,
      },
      { name: 'unknown option', args: () => ['--model', model, '--bogus'], message: /--bogus/ },
      { name: 'missing --target', args: () => ['--model', model, '--data', evalCsv], message: /--target is required/ },
      {
        name: 'a CSV a million columns wide',
        setup: () =>
          writeFileSync(
            join(dir, 'wide.csv'),
            `churned,${Array.from({ length: 1_000_000 }, (_, index) => `c${index}`).join(',')}\n`,
          ),
        args: () => ['--model', model, '--data', join(dir, 'wide.csv'), '--target', 'churned'],
        message: /wide\.csv: the header names more than 100,000 columns/,
      },
      {
        name: 'a CSV row longer than 64 MiB',
        setup: () =>
          writeFileSync(
            join(dir, 'long-row.csv'),
            Buffer.concat([
              Buffer.from('churned,tenure_months\n1,'),
              Buffer.alloc((64 << 20) + 1024, 0x31),
              Buffer.from('\n'),
            ]),
          ),
        args: () => ['--model', model, '--data', join(dir, 'long-row.csv'), '--target', 'churned'],
        message: /long-row\.csv line 2: the record starting there is longer than 64\.0 MiB/,
      },
      {
        name: 'ref: baseline without GitHub credentials',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned', '--baseline', 'ref:main'],
        message: /GITHUB_TOKEN/,
      },
      {
        name: '--baseline is a folder',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned', '--baseline', dir],
        message: /is a folder; pass the metrics\.json file/,
      },
      {
        name: '--config is a folder',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned', '--config', dir],
        message: /is a folder; the config is a file/,
      },
      {
        name: '--out is a folder',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned'],
        out: (outDir) => outDir,
        message: /--out .* is a folder; name a file/,
        early: true,
      },
      {
        name: '--out names a file over 255 bytes',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned'],
        out: (outDir) => join(outDir, `${'m'.repeat(260)}.json`),
        message: /the file name is longer than 255 bytes/,
        early: true,
      },
      {
        name: '--out under a folder name over 255 bytes',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned'],
        out: (outDir) => join(outDir, 'd'.repeat(256), 'metrics.json'),
        message: /the folder name d+\.\.\. is longer than 255 bytes/,
        early: true,
      },
      {
        name: '--out under a file',
        args: () => ['--model', model, '--data', evalCsv, '--target', 'churned'],
        out: (outDir) => (writeFileSync(join(outDir, 'a-file'), 'mine'), join(outDir, 'a-file', 'metrics.json')),
        message: /a-file is a file, not a folder/,
        early: true,
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        c.setup?.();
        const outDir = tempDir();
        const out = c.out?.(outDir) ?? join(outDir, 'metrics.json');
        const before = listTree(outDir);
        const result = await runCli(['evaluate', ...c.args(), '--out', out]);
        assertCliRefusal(result, { message: c.message }, c.name);
        if (c.early) assert.doesNotMatch(result.stderr, /model inputs|rows\/s/, 'refused before the evaluation ran');
        assert.deepEqual(listTree(outDir), before, 'nothing written');
      });
    }
  });
});
