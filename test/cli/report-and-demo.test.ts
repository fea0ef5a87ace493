import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseTrainingRecord } from '../../core/train/index.ts';
import { CHURN, runCli, tempDir, trainChurn } from '../support/cli.ts';
import { assertCliRefusal, listTree } from '../support/refusals.ts';

describe('cairn report', () => {
  let dir: string;
  let metrics: string;
  before(async () => {
    dir = tempDir();
    const model = await trainChurn(dir);
    metrics = join(dir, 'metrics.json');
    const result = await runCli([
      'evaluate',
      '--model',
      model,
      '--data',
      join(CHURN, 'data', 'eval.csv'),
      '--target',
      'churned',
      '--name',
      'churn',
      '--out',
      metrics,
      '-q',
    ]);
    assert.equal(result.code, 0, result.stderr);
  });

  test('renders the PR comment and the model card from metrics.json and the repo config', async () => {
    const result = await runCli([
      'report',
      '--metrics',
      metrics,
      '--config',
      join(CHURN, '.github', 'cairn.yml'),
      '--comment-out',
      join(dir, 'comment.md'),
      '--card-out',
      join(dir, 'MODEL_CARD.md'),
    ]);
    assert.equal(result.code, 0, result.stderr);
    const comment = readFileSync(join(dir, 'comment.md'), 'utf8');
    const card = readFileSync(join(dir, 'MODEL_CARD.md'), 'utf8');
    assert.match(comment, /<!-- cairn:churn:metrics -->/);
    assert.match(comment, /roc_auc/);
    assert.ok(comment.length <= 65536);
    assert.match(card, /^---\n[\s\S]*model-index/);
    assert.match(card, /Intended use/i);
  });

  test('prints the comment to stdout without --comment-out', async () => {
    const result = await runCli(['report', '--metrics', metrics]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /<!-- cairn:churn:metrics -->/);
  });

  describe('bad input exits 2 before anything is written, with no stack trace', () => {
    /** `args(out)`: the options after `report`; `out` is an empty folder holding only `a-file`. */
    const cases: Array<{ name: string; args: (out: string) => string[]; message: RegExp }> = [
      { name: 'no --metrics', args: () => [], message: /--metrics is required/ },
      {
        name: '--metrics is a folder',
        args: (out) => ['--metrics', out],
        message: /is a folder; pass the metrics\.json file/,
      },
      {
        name: '--config is a folder',
        args: (out) => ['--metrics', metrics, '--config', out],
        message: /is a folder; the config is a file/,
      },
      { name: 'a missing metrics file', args: (out) => ['--metrics', join(out, 'nope.json')], message: /nope\.json/ },
      {
        name: 'a file that is not a metrics.json',
        args: (out) => (
          writeFileSync(join(dir, 'bogus.json'), '{"hello": 1}'),
          ['--metrics', join(dir, 'bogus.json'), '--comment-out', join(out, 'c.md'), '--card-out', join(out, 'card.md')]
        ),
        message: /cairn\.metrics\/v1/,
      },
      {
        name: 'an invalid repository config, naming the key',
        args: (out) => (
          writeFileSync(join(dir, 'cairn.yml'), 'models:\n  churn:\n    path: model.onnx\n    task: clustering\n'),
          ['--metrics', metrics, '--config', join(dir, 'cairn.yml'), '--comment-out', join(out, 'c.md')]
        ),
        message: /models\.churn\.task/,
      },
      {
        name: '--card-out is a folder',
        args: (out) => ['--metrics', metrics, '--card-out', out],
        message: /--card-out .* is a folder; name a file/,
      },
      {
        name: '--card-out is a folder, after a good --comment-out',
        args: (out) => ['--metrics', metrics, '--comment-out', join(out, 'c.md'), '--card-out', `${out}/`],
        message: /--card-out .* is a folder/,
      },
      {
        name: '--comment-out names a file over 255 bytes',
        args: (out) => ['--metrics', metrics, '--comment-out', join(out, `${'x'.repeat(260)}.md`)],
        message: /the file name is longer than 255 bytes/,
      },
      {
        name: '--comment-out under a file',
        args: (out) => ['--metrics', metrics, '--comment-out', join(out, 'a-file', 'c.md')],
        message: /cannot be written: .*a-file is a file, not a folder/,
      },
      {
        name: 'two outputs on one path',
        args: (out) => [
          '--metrics',
          metrics,
          '--comment-out',
          join(out, 'same.md'),
          '--card-out',
          join(out, 'same.md'),
        ],
        message: /--comment-out and --card-out both name/,
      },
      { name: 'an unknown option', args: () => ['--metrics', metrics, '--card'], message: /--card/ },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const out = tempDir();
        writeFileSync(join(out, 'a-file'), 'mine');
        const result = await runCli(['report', ...c.args(out)]);
        assertCliRefusal(result, { message: c.message }, c.name);
        assert.deepEqual(listTree(out), ['a-file'], 'nothing written');
        assert.equal(readFileSync(join(out, 'a-file'), 'utf8'), 'mine');
      });
    }
  });
});

describe('cairn demo', () => {
  test('runs the pull-request journey on embedded defaults and shows the comment', async () => {
    const cwd = tempDir();
    const result = await runCli(['demo'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /<!-- cairn:churn:metrics -->/);
    assert.match(result.stdout, /Gate passed/);
    for (const file of ['comment.md', 'MODEL_CARD.md', 'metrics.json', 'main/metrics.json'])
      assert.ok(existsSync(join(cwd, 'cairn-demo', file)), file);
    const report = JSON.parse(readFileSync(join(cwd, 'cairn-demo', 'metrics.json'), 'utf8'));
    const baseline = JSON.parse(readFileSync(join(cwd, 'cairn-demo', 'main', 'metrics.json'), 'utf8'));
    assert.ok(
      report.metrics.log_loss < baseline.metrics.log_loss,
      'the PR model (more epochs) improves on the baseline',
    );

    // The data went through a store first: pushed with a .dvc pointer, pulled into a fresh workspace.
    const demo = join(cwd, 'cairn-demo');
    for (const file of ['train.csv', 'eval.csv']) {
      assert.deepEqual(
        readFileSync(join(demo, 'workspace', 'data', file)),
        readFileSync(join(CHURN, 'data', file)),
        `pulled ${file} matches`,
      );
    }
    assert.equal(
      readFileSync(join(demo, 'workspace', 'data.dvc'), 'utf8'),
      readFileSync(join(demo, 'project', 'data.dvc'), 'utf8'),
    );
    assert.match(readFileSync(join(demo, 'project', 'data.dvc'), 'utf8'), /^outs:\n- md5: [0-9a-f]{32}\.dir\n/);
    assert.ok(existsSync(join(demo, 'remote', 'files', 'md5')), 'the remote holds the DVC 3 layout');
    assert.equal(existsSync(join(CHURN, 'data.dvc')), false, 'examples/ gains no pointer file');
    assert.match(
      result.stdout,
      /Data: pushed cairn-demo\/project\/data \(2 files, .*\) to cairn-demo\/remote .* pulled 2 files .* into cairn-demo\/workspace\/data/,
    );
    assert.equal(
      report.data.path,
      join('cairn-demo', 'workspace', 'data', 'eval.csv'),
      'evaluation read the pulled CSV',
    );

    // The tag journey: annotated registry tags in a local git repository, the model in the remote, and the show table.
    const repo = join(demo, 'registry-repo');
    const tags = execFileSync('git', ['for-each-ref', '--format=%(refname:strip=2) %(objecttype)', 'refs/tags'], {
      cwd: repo,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .sort();
    assert.deepEqual(tags, ['churn#production#1 tag', 'churn@v1.0.0 tag']);
    assert.equal(
      execFileSync('git', ['config', '--local', 'user.email'], { cwd: repo, encoding: 'utf8' }).trim(),
      'demo@cairn.invalid',
    );
    assert.ok(
      existsSync(join(demo, 'remote', 'models', 'churn', 'versions', 'v1.0.0.json')),
      'the registered model was pushed to the remote',
    );
    assert.match(result.stdout, /^name +latest +#staging +#production\nchurn +v1\.0\.0 +- +v1\.0\.0$/m);
    assert.match(result.stdout, /Tags: churn@v1\.0\.0, churn#production#1;/);

    // Both models were trained through `cairn train`'s core: each has its record, the PR's is shown.
    for (const side of ['main', 'pr']) {
      const path = join(demo, side, 'training.json');
      const record = await parseTrainingRecord(JSON.parse(readFileSync(path, 'utf8')), path);
      assert.equal(record.status, 'succeeded', side);
      assert.equal(
        record.model?.sha256,
        createHash('sha256')
          .update(readFileSync(join(demo, side, 'model.onnx')))
          .digest('hex'),
        `${side}: the record names the model the demo evaluated`,
      );
    }
    // ...and it flows into the report, as actions/train's record-path does through training-record:.
    assert.match(readFileSync(join(demo, 'comment.md'), 'utf8'), /\*\*Training:\*\* succeeded in /);
    assert.match(readFileSync(join(demo, 'MODEL_CARD.md'), 'utf8'), /^#+ Training$/m);
    assert.match(
      result.stdout,
      /^Training record: cairn-demo\/pr\/training\.json \(cairn\.training\/v1\): succeeded in [\d.]+ s, peak RSS \d+ MiB, (no GPU|\d+ GPUs?), model sha256 [0-9a-f]{12}…\.$/m,
    );
  });

  describe('bad input exits 2 and touches nothing: --out never deletes what the demo did not make', () => {
    /** Run in a folder holding only notes.txt (the user's). */
    const cases: Array<{ name: string; args: string[]; message: RegExp }> = [
      {
        name: "--out . with a file of the user's in it",
        args: ['--out', '.'],
        message:
          /--out \. is not empty and was not made by cairn demo \(it has no \.cairn-demo\.json\), so nothing in it was touched/,
      },
      { name: '--out is a file', args: ['--out', 'notes.txt'], message: /--out notes\.txt is a file, not a folder/ },
      {
        name: '--out under a file',
        args: ['--out', 'notes.txt/demo'],
        message: /--out notes\.txt\/demo cannot be written: .*notes\.txt is a file, not a folder/,
      },
      {
        name: '--out names a folder over 255 bytes',
        args: ['--out', 'd'.repeat(256)],
        message: /--out d+: the folder name is longer than 255 bytes/,
      },
      { name: 'an unknown option', args: ['--outdir', 'x'], message: /--outdir/ },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const cwd = tempDir();
        writeFileSync(join(cwd, 'notes.txt'), 'mine');
        const result = await runCli(['demo', ...c.args], { cwd });
        assertCliRefusal(result, { message: c.message }, c.name);
        assert.deepEqual(listTree(cwd), ['notes.txt']);
        assert.equal(readFileSync(join(cwd, 'notes.txt'), 'utf8'), 'mine');
      });
    }
  });

  test('a rerun replaces only what its marker lists; a file the user added to the folder stays', async () => {
    const cwd = tempDir();
    const first = await runCli(['demo', '--out', 'out', '-q'], { cwd });
    assert.equal(first.code, 0, first.stderr);
    const marker = JSON.parse(readFileSync(join(cwd, 'out', '.cairn-demo.json'), 'utf8'));
    assert.deepEqual(
      marker.entries.slice().sort(),
      readdirSync(join(cwd, 'out'))
        .filter((name) => name !== '.cairn-demo.json')
        .sort(),
    );
    writeFileSync(join(cwd, 'out', 'my-notes.md'), 'keep me');
    writeFileSync(join(cwd, 'out', 'comment.md'), 'stale');
    const again = await runCli(['demo', '--out', 'out', '-q'], { cwd });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(join(cwd, 'out', 'my-notes.md'), 'utf8'), 'keep me');
    assert.match(readFileSync(join(cwd, 'out', 'comment.md'), 'utf8'), /<!-- cairn:churn:metrics -->/);
  });

  test('unknown command exits 2 with usage', async () => {
    const result = await runCli(['evaluat']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command "evaluat"[\s\S]*Commands:/);
  });
});
