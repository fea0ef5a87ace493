/**
 * `cairn challenge` end to end on the ONNX fixtures: binary_weak.onnx (one feature of four) against
 * binary.onnx on binary.csv, both written by test/fixtures/generate_challenge.py and
 * generate_models.py. The intervals themselves are checked against scikit-learn in
 * test/core/metrics/paired-bootstrap.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { challengeCommand } from '../../cli/commands/challenge.ts';
import { challengeDecisionSchema, type ChallengeDecision } from '../../core/metrics/index.ts';
import { fixture } from '../core/evaluate/fixture-paths.ts';
import { runCli, tempDir } from '../support/cli.ts';

const WEAK = fixture('binary_weak.onnx');
const STRONG = fixture('binary.onnx');
const DATA = fixture('binary.csv');

function challenge(champion: string, challenger: string, ...extra: string[]) {
  return runCli([
    'challenge',
    '--champion',
    champion,
    '--challenger',
    challenger,
    '--data',
    DATA,
    '--target',
    'churned',
    ...extra,
  ]);
}

async function decisionOf(champion: string, challenger: string, ...extra: string[]): Promise<ChallengeDecision> {
  const result = await challenge(champion, challenger, ...extra);
  assert.equal(result.code, 0, result.stderr);
  return challengeDecisionSchema.parse(JSON.parse(result.stdout));
}

/** binary.csv's header and the rows whose churned value is picked by `keep` (row order kept). */
function subset(dir: string, name: string, keep: (churned: string, index: number) => boolean): string {
  const [header, ...rows] = readFileSync(DATA, 'utf8').trim().split('\n');
  const seen = new Map<string, number>();
  const kept = rows.filter((row) => {
    const churned = row.slice(row.lastIndexOf(',') + 1);
    const index = seen.get(churned) ?? 0;
    seen.set(churned, index + 1);
    return keep(churned, index);
  });
  const path = join(dir, name);
  writeFileSync(path, `${[header, ...kept].join('\n')}\n`);
  return path;
}

describe('cairn challenge', () => {
  test('a clearly better challenger is promoted: positive difference, the whole interval above 0', async () => {
    const decision = await decisionOf(WEAK, STRONG, '--metric', 'roc_auc');
    assert.equal(decision.decision, 'promote');
    assert.equal(decision.task, 'binary');
    assert.equal(decision.data.rows, 300);
    assert.equal(decision.lower_is_better, false);
    assert.equal(decision.difference, decision.challenger.value - decision.champion.value);
    assert.ok(decision.challenger.value > decision.champion.value + 0.1);
    assert.ok(
      decision.interval[0] > 0 &&
        decision.interval[0] < decision.difference &&
        decision.difference < decision.interval[1],
    );
    assert.deepEqual(
      [decision.bootstrap, decision.seed, decision.skipped, decision.min_improvement, decision.confidence],
      [1000, 0, 0, 0, 0.95],
    );
    assert.equal(decision.champion.path, WEAK);
  });

  test('the same seed gives the same decision.json, byte for byte; another seed, another interval', async () => {
    const dir = tempDir();
    const args = ['--metric', 'f1', '--bootstrap', '300', '-q'];
    for (const name of ['a.json', 'b.json'])
      assert.equal((await challenge(WEAK, STRONG, ...args, '--seed', '7', '--out', join(dir, name))).code, 0);
    assert.equal(readFileSync(join(dir, 'a.json'), 'utf8'), readFileSync(join(dir, 'b.json'), 'utf8'));
    const other = await decisionOf(WEAK, STRONG, ...args, '--seed', '8');
    const first = challengeDecisionSchema.parse(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')));
    assert.notDeepEqual(other.interval, first.interval);
    assert.equal(other.difference, first.difference);
  });

  test('a model against itself is kept: difference 0, interval [0, 0]; --fail-on-keep exits 1', async () => {
    for (const metric of ['roc_auc', 'log_loss', 'accuracy']) {
      const decision = await decisionOf(STRONG, STRONG, '--metric', metric, '--bootstrap', '200');
      assert.equal(decision.decision, 'keep', metric);
      assert.equal(decision.difference, 0, metric);
      assert.deepEqual(decision.interval, [0, 0], metric);
    }
    const failed = await challenge(STRONG, STRONG, '--metric', 'roc_auc', '--bootstrap', '50', '--fail-on-keep');
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(
      failed.stderr,
      /keep the champion: the challenger's roc_auc interval \[\+0\.0000, \+0\.0000\] does not clear the minimum improvement 0/,
    );
    assert.equal(
      challengeDecisionSchema.parse(JSON.parse(failed.stdout)).decision,
      'keep',
      'the decision is still printed',
    );
  });

  test('lower-is-better metrics are flipped: a lower log_loss is a positive difference', async () => {
    const decision = await decisionOf(WEAK, STRONG, '--metric', 'log_loss', '--bootstrap', '300');
    assert.equal(decision.lower_is_better, true);
    assert.ok(decision.challenger.value < decision.champion.value);
    assert.equal(decision.difference, decision.champion.value - decision.challenger.value);
    assert.equal(decision.decision, 'promote');
    const reversed = await decisionOf(STRONG, WEAK, '--metric', 'log_loss', '--bootstrap', '300');
    assert.ok(reversed.difference < 0 && reversed.interval[1] < 0);
    assert.equal(reversed.decision, 'keep');
  });

  test('--min-improvement above what the interval guarantees keeps the champion', async () => {
    const base = await decisionOf(WEAK, STRONG, '--metric', 'roc_auc', '--bootstrap', '300');
    const strict = await decisionOf(
      WEAK,
      STRONG,
      '--metric',
      'roc_auc',
      '--bootstrap',
      '300',
      '--min-improvement',
      String(base.interval[0] + 0.001),
    );
    assert.equal(base.decision, 'promote');
    assert.equal(strict.decision, 'keep');
    assert.deepEqual(strict.interval, base.interval);
  });

  test('roc_auc undefined in some resamples: skipped and counted; more than 5% is exit 2 and nothing is written', async () => {
    const dir = tempDir();
    // 4 positives in 64 rows: about 1.6% of resamples draw none.
    const few = subset(dir, 'few.csv', (churned, index) => (churned === '1' ? index < 4 : index < 60));
    const decision = await decisionOf(WEAK, STRONG, '--data', few, '--metric', 'roc_auc');
    assert.ok(decision.skipped > 0 && decision.skipped <= 50, `skipped ${decision.skipped}`);
    // 1 positive in 21 rows: about 37% draw none.
    const one = subset(dir, 'one.csv', (churned, index) => (churned === '1' ? index < 1 : index < 20));
    const result = await challenge(
      WEAK,
      STRONG,
      '--data',
      one,
      '--metric',
      'roc_auc',
      '--out',
      join(dir, 'decision.json'),
    );
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /roc_auc is undefined in \d+ of 1000 resamples \(more than 5%\)/);
    assert.throws(() => readFileSync(join(dir, 'decision.json')), /ENOENT/);
  });

  test("each side scores what cairn evaluate gives it; the config's threshold applies to both", async () => {
    const dir = tempDir();
    const f1Of = async (model: string, ...extra: string[]) => {
      const result = await runCli(
        ['evaluate', '--model', model, '--data', DATA, '--target', 'churned', '--json', '-q', ...extra],
        { cwd: dir },
      );
      assert.equal(result.code, 0, result.stderr);
      return (JSON.parse(result.stdout) as { metrics: { f1: number } }).metrics.f1;
    };
    const plain = await decisionOf(WEAK, STRONG, '--metric', 'f1', '--bootstrap', '50');
    assert.equal(plain.champion.value, await f1Of(WEAK));
    assert.equal(plain.challenger.value, await f1Of(STRONG));

    mkdirSync(join(dir, '.github'));
    writeFileSync(
      join(dir, '.github', 'cairn.yml'),
      'models:\n  churn:\n    path: churn.onnx\n    task: binary\n    threshold: 0.8\n',
    );
    const result = await runCli(
      [
        'challenge',
        '--champion',
        WEAK,
        '--challenger',
        STRONG,
        '--data',
        DATA,
        '--target',
        'churned',
        '--metric',
        'f1',
        '--bootstrap',
        '50',
      ],
      { cwd: dir },
    );
    assert.equal(result.code, 0, result.stderr);
    const configured = challengeDecisionSchema.parse(JSON.parse(result.stdout));
    const withThreshold = ['--config', '.github/cairn.yml', '--name', 'churn'];
    assert.equal(configured.champion.value, await f1Of(WEAK, ...withThreshold));
    assert.equal(configured.challenger.value, await f1Of(STRONG, ...withThreshold));
    assert.notEqual(configured.challenger.value, plain.challenger.value, 'the threshold changed the decisions');
  });

  test('--summary-out writes the markdown section; --out the decision', async () => {
    const dir = tempDir();
    const result = await challenge(
      WEAK,
      STRONG,
      '--metric',
      'roc_auc',
      '--bootstrap',
      '100',
      '--out',
      join(dir, 'decision.json'),
      '--summary-out',
      join(dir, 'challenge.md'),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '', 'with --out, nothing on stdout');
    challengeDecisionSchema.parse(JSON.parse(readFileSync(join(dir, 'decision.json'), 'utf8')));
    assert.match(
      readFileSync(join(dir, 'challenge.md'), 'utf8'),
      /^### Champion vs challenger: ✅ promote the challenger/,
    );
  });

  test('on a terminal without --out: a table, not JSON', async () => {
    let stdout = '';
    const code = await challengeCommand(
      [
        '--champion',
        WEAK,
        '--challenger',
        STRONG,
        '--data',
        DATA,
        '--target',
        'churned',
        '--metric',
        'roc_auc',
        '--bootstrap',
        '100',
      ],
      { stdout: (text) => void (stdout += text), stderr: () => {}, env: {}, cwd: tempDir(), stdoutIsTTY: true },
    );
    assert.equal(code, 0);
    assert.match(stdout, /^roc_auc \(higher is better\) on 300 rows of /);
    assert.match(stdout, /^champion {4}\S+binary_weak\.onnx {2}0\.6667$/m);
    assert.match(stdout, /^decision: promote: the interval's lower end \+0\.\d{4} is above 0$/m);
  });
});
