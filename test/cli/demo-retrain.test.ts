/**
 * `cairn demo`'s retraining journey: a year of shifted fresh data (examples/churn/fresh, from make-data.mjs) checked
 * for drift against the production model's training data, the verdict shown, drift.json and the summary section
 * written to DIR/retrain; then a challenger retrained on the fresh data against the production model, decided by
 * `cairn challenge`'s engine, decision.json and its section written beside drift.md.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compareTables, driftReportSchema } from '../../core/drift/index.ts';
import { challengeDecisionSchema, type ChallengeDecision } from '../../core/metrics/index.ts';
import { renderChallengeSection } from '../../core/report/index.ts';
import { CHURN, runCli, tempDir } from '../support/cli.ts';

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;

describe('cairn demo: the retraining journey', () => {
  const cwd = tempDir();
  const demo = runCli(['demo', '--out', 'out', '-q'], { cwd });

  test('finds the drift in the fresh data, shows the verdict and writes drift.json and its report section', async () => {
    const result = await demo;
    assert.equal(result.code, 0, result.stderr);
    const folder = join(cwd, 'out', 'retrain');
    for (const file of ['train.csv', 'eval.csv'])
      assert.ok(
        readFileSync(join(folder, 'fresh', file)).equals(readFileSync(join(CHURN, 'fresh', file))),
        `fresh/${file} is the example's`,
      );

    const drift = driftReportSchema.parse(JSON.parse(readFileSync(join(folder, 'drift.json'), 'utf8')));
    assert.equal(drift.reference.path, join('out', 'workspace', 'data', 'train.csv'), "the production model's data");
    assert.equal(drift.current.path, join('out', 'retrain', 'fresh', 'train.csv'));
    const expected = await compareTables({
      reference: { path: join(CHURN, 'data', 'train.csv'), shown: 'train' },
      current: { path: join(CHURN, 'fresh', 'train.csv'), shown: 'fresh' },
    });
    assert.deepEqual(
      drift.columns.map(({ bins: _bins, ...column }) => column),
      expected.columns,
    );
    assert.equal(drift.dataset.drifted, true);
    const drifted = drift.columns.filter((column) => column.drifted).map((column) => column.name);
    for (const shifted of ['monthly_charges', 'support_calls', 'avg_session_minutes', 'contract_months'])
      assert.ok(drifted.includes(shifted), `${shifted} was shifted and drifts`);
    assert.ok(!drifted.includes('num_products'), 'num_products was not shifted');
    assert.ok(drift.columns.filter((column) => column.drifted).every((column) => column.bins));

    const section = readFileSync(join(folder, 'drift.md'), 'utf8');
    assert.match(section, /^### Data drift: the dataset drifted$/m);
    assert.equal(section.match(/```mermaid\nxychart-beta/g)?.length, drifted.length);
    assert.match(result.stdout, /^Retraining journey: a year of fresh data \(out\/retrain\/fresh\)/m);
    assert.match(
      result.stdout,
      new RegExp(
        `^Drift: the dataset drifted \\(${drifted.length} of 9 columns, share [\\d.]+ >= 0\\.5: ${drifted.join(', ')}\\); retraining is due\\.$`,
        'm',
      ),
    );
  });

  test('on drift, retrains a challenger on the fresh data and promotes it only because it is clearly better on the same fresh rows', async () => {
    const result = await demo;
    assert.equal(result.code, 0, result.stderr);
    const folder = join(cwd, 'out', 'retrain');
    const decision: ChallengeDecision = challengeDecisionSchema.parse(
      JSON.parse(readFileSync(join(folder, 'decision.json'), 'utf8')),
    );
    assert.equal(decision.metric, 'roc_auc');
    assert.equal(decision.data.path, join('out', 'retrain', 'fresh', 'eval.csv'), 'the fresh eval rows');
    assert.equal(decision.data.rows, 600);
    assert.deepEqual(decision.champion.registry, { name: 'churn', version: 'v1.0.0', stage: 'production' });
    assert.equal(decision.challenger.path, join('out', 'retrain', 'challenger', 'model.onnx'));
    assert.ok(existsSync(join(folder, 'challenger', 'training.json')), "the challenger's training record");
    assert.deepEqual([decision.bootstrap, decision.seed, decision.min_improvement], [200, 0, 0]);
    // make-data.mjs made churn far more price-sensitive a year on: the year-old model ranks fresh customers worse.
    assert.equal(decision.decision, 'promote');
    assert.ok(decision.interval[0] > 0 && decision.difference > decision.interval[0]);
    assert.equal(readFileSync(join(folder, 'challenge.md'), 'utf8'), renderChallengeSection(decision));

    // What the demo prints is what the file says.
    assert.match(
      result.stdout,
      /^Champion vs challenger: churn#production \(v1\.0\.0, trained earlier in this demo on the original data, standing in for a model trained before the data shifted\) against /m,
    );
    const printed = (label: string) => result.stdout.split('\n').find((line) => line.startsWith(label));
    assert.match(
      printed('champion ') ?? '',
      new RegExp(`^champion +churn#production \\(v1\\.0\\.0\\) +${decision.champion.value.toFixed(4)}$`),
    );
    assert.match(printed('challenger ') ?? '', new RegExp(` ${decision.challenger.value.toFixed(4)}$`));
    assert.equal(
      printed('difference '),
      `difference ${signed(decision.difference)} (positive: the challenger is better), 95% interval [${signed(decision.interval[0])}, ${signed(decision.interval[1])}] over 200 resamples, seed 0`,
    );
    assert.equal(
      printed('decision: '),
      `decision: promote: the interval's lower end ${signed(decision.interval[0])} is above 0`,
    );
    assert.match(result.stdout, /cairn challenge draws 1000 by default/);
    assert.match(
      result.stdout,
      /^Next, on a schedule .*: the challenger is clearly better, so the run opens the pull request on cairn\/retrain\/churn /m,
    );
  });

  test("the decision is cairn challenge's, seeded: the command on the same models and rows gives the same numbers", async () => {
    assert.equal((await demo).code, 0);
    const folder = join(cwd, 'out', 'retrain');
    const fromDemo = challengeDecisionSchema.parse(JSON.parse(readFileSync(join(folder, 'decision.json'), 'utf8')));
    const command = await runCli(
      [
        'challenge',
        ...['--champion', join('out', 'pr', 'model.onnx'), '--challenger', fromDemo.challenger.path],
        ...['--data', fromDemo.data.path, '--target', 'churned', '--metric', 'roc_auc', '--bootstrap', '200', '--json'],
        ...['--config', join(CHURN, '.github', 'cairn.yml'), '-q'],
      ],
      { cwd },
    );
    assert.equal(command.code, 0, command.stderr);
    const fromCommand = challengeDecisionSchema.parse(JSON.parse(command.stdout));
    const numbers = (decision: ChallengeDecision) => ({
      sha256: [decision.champion.sha256, decision.challenger.sha256],
      values: [decision.champion.value, decision.challenger.value],
      difference: decision.difference,
      interval: decision.interval,
      decision: decision.decision,
    });
    assert.deepEqual(numbers(fromCommand), numbers(fromDemo));
  });
});
