/**
 * `cairn demo`'s retraining journey: a year of shifted fresh data (examples/churn/fresh, from make-data.mjs) checked
 * for drift against the production model's training data, the verdict shown, drift.json and the summary section
 * written to DIR/retrain.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compareTables, driftReportSchema } from '../../core/drift/index.ts';
import { CHURN, runCli, tempDir } from '../support/cli.ts';

describe('cairn demo: the retraining journey', () => {
  test('finds the drift in the fresh data, shows the verdict and writes drift.json and its report section', async () => {
    const cwd = tempDir();
    const result = await runCli(['demo', '--out', 'out', '-q'], { cwd });
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
    assert.match(result.stdout, /^Next, champion vs challenger: /m);
  });
});
