import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli, tempDir } from '../support/cli.ts';
import { writeWideModel, type WideModel } from '../support/wide-model.ts';

/**
 * Issue 12: `--features` with 2,000 names made a 60 KB command line, on which onnxruntime-node
 * segfaulted (exit 139) while creating its environment. The data file holds the columns in reverse
 * order, so accuracy 1 shows the features were fed in the listed order (file order scores 0).
 */
describe('cairn evaluate: a 2,000-feature model', () => {
  let dir: string;
  let wide: WideModel;
  before(async () => {
    dir = tempDir('cairn-wide-');
    wide = await writeWideModel(dir, 2000);
    writeFileSync(join(dir, 'features.txt'), `${wide.features.join('\n')}\n`);
  });

  const accuracyIn = (json: string) => JSON.parse(json).metrics.accuracy as number;

  test('--features with 2,000 names on the command line (over 29 KB) runs and feeds the columns in that order', async () => {
    const list = wide.features.join(',');
    assert.ok(list.length > 29_000, `the command line must be as long as the one that crashed (${list.length} bytes)`);
    const result = await runCli(
      ['evaluate', '--model', wide.matrixModel, '--data', wide.data, '--target', 'label', '--features', list, '-q'],
      { cwd: dir },
    );
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.rows, 40);
    assert.equal(report.metrics.accuracy, 1);
    assert.deepEqual(report.model.inputs, [{ name: 'X', type: 'float32', shape: ['N', 2000] }]);
  });

  test('a model with 2,000 inputs, one per column, runs from the same long command line', async () => {
    const result = await runCli(
      [
        'evaluate',
        '--model',
        wide.perColumnModel,
        '--data',
        wide.data,
        '--target',
        'label',
        '--features',
        wide.features.join(','),
        '-q',
      ],
      { cwd: dir },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(accuracyIn(result.stdout), 1);
  });

  test('--features @FILE reads one name per line, relative to the working folder', async () => {
    const result = await runCli(
      [
        'evaluate',
        '--model',
        wide.matrixModel,
        '--data',
        wide.data,
        '--target',
        'label',
        '--features',
        '@features.txt',
        '-q',
      ],
      { cwd: dir },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(accuracyIn(result.stdout), 1);
    const fileOrder = await runCli(
      ['evaluate', '--model', wide.matrixModel, '--data', wide.data, '--target', 'label', '-q'],
      { cwd: dir },
    );
    assert.equal(
      accuracyIn(fileOrder.stdout),
      0,
      'without a list the file order is used, which this model reads backwards',
    );
  });

  test('models.<m>.features in .github/cairn.yml gives the order when no --features is given; --features overrides it', async () => {
    const root = tempDir('cairn-wide-repo-');
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, '.github'));
    const listed = (names: string[]) => names.map((name) => `      - ${name}\n`).join('');
    writeFileSync(
      join(root, '.github', 'cairn.yml'),
      `models:\n  wide:\n    path: wide.onnx\n    features:\n${listed(wide.features)}`,
    );
    const args = ['evaluate', '--model', wide.matrixModel, '--data', wide.data, '--target', 'label', '--name', 'wide'];
    const fromConfig = await runCli(args, { cwd: root });
    assert.equal(fromConfig.code, 0, fromConfig.stderr);
    assert.equal(accuracyIn(fromConfig.stdout), 1);
    assert.match(fromConfig.stderr, /features: the 2000 columns of models\.wide\.features in .*cairn\.yml/);

    writeFileSync(join(root, 'reversed.txt'), [...wide.features].reverse().join('\n'));
    const overridden = await runCli([...args, '--features', '@reversed.txt', '-q'], { cwd: root });
    assert.equal(overridden.code, 0, overridden.stderr);
    assert.equal(accuracyIn(overridden.stdout), 0, '--features wins over the config');
  });

  test('a wrong name in the config list is exit 2 naming the config key, not --features', async () => {
    const root = tempDir('cairn-wide-repo-');
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, '.github'));
    writeFileSync(
      join(root, '.github', 'cairn.yml'),
      'models:\n  wide:\n    path: wide.onnx\n    features: [feature_with_a_long_name_00000, age]\n',
    );
    const result = await runCli(
      ['evaluate', '--model', wide.matrixModel, '--data', wide.data, '--target', 'label', '--name', 'wide'],
      { cwd: root },
    );
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^cairn evaluate: models\.wide\.features in .*cairn\.yml names "age", not columns of /m,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  test('a missing or empty @FILE is exit 2 with the reason, and nothing is written', async () => {
    const out = join(dir, 'never.json');
    const missing = await runCli(
      [
        'evaluate',
        '--model',
        wide.matrixModel,
        '--data',
        wide.data,
        '--target',
        'label',
        '--features',
        '@missing.txt',
        '--out',
        out,
      ],
      { cwd: dir },
    );
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /cairn evaluate: --features @missing\.txt: cannot read .*missing\.txt: there is no such file\./,
    );
    writeFileSync(join(dir, 'empty.txt'), '\n');
    const empty = await runCli(
      [
        'evaluate',
        '--model',
        wide.matrixModel,
        '--data',
        wide.data,
        '--target',
        'label',
        '--features',
        '@empty.txt',
        '--out',
        out,
      ],
      { cwd: dir },
    );
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /--features @empty\.txt: .*empty\.txt lists no feature names/);
    assert.equal(existsSync(out), false);
    assert.equal(
      readFileSync(join(dir, 'features.txt'), 'utf8').split('\n').length,
      2001,
      'the list file is left as it was',
    );
  });
});
