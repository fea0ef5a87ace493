/**
 * The retraining flow as the reusable workflow runs it, step after step, on the churn example's
 * data shifted a year on: `cairn drift` against the production model's training data, training,
 * `cairn evaluate` and `cairn report` for the report, the champion-vs-challenger verdict, then
 * actions/propose against a GitHub whose every request is checked against @octokit/openapi. The
 * first run opens the pull request; the second, on fresher data, updates the same one.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { run as runPropose } from '../../actions/propose/run.ts';
import { createOctokit } from '../../core/github/index.ts';
import { inputEnv, runnerFiles, withEnv } from '../support/action-runner.ts';
import { CHURN, runCli, tempDir, trainChurn } from '../support/cli.ts';
import { fakeGitData } from '../support/fake-git-data.ts';
import { githubApi } from '../support/github-api.ts';

const REPO = 'acme/churn';

/** The churn table a year on: prices up by `rise`, everyone on month-to-month contracts, calling support more and using the service less. */
function shifted(rise: number): string {
  const [header, ...lines] = readFileSync(join(CHURN, 'data/train.csv'), 'utf8').trimEnd().split('\n');
  const columns = header.split(',');
  const at = (name: string) => columns.indexOf(name);
  const rows = lines.map((line) => {
    const cells = line.split(',');
    cells[at('monthly_charges')] = (Number(cells[at('monthly_charges')]) * rise).toFixed(2);
    cells[at('contract_months')] = '1';
    cells[at('support_calls')] = String(Number(cells[at('support_calls')]) + 2);
    cells[at('total_charges')] = (Number(cells[at('total_charges')]) * rise).toFixed(2);
    cells[at('avg_session_minutes')] = (Number(cells[at('avg_session_minutes')]) / rise).toFixed(1);
    return cells.join(',');
  });
  return [header, ...rows].join('\n') + '\n';
}

async function cli(args: string[], cwd: string) {
  const result = await runCli(args, { cwd });
  assert.equal(result.code, 0, `cairn ${args.join(' ')}: ${result.stderr}`);
  return result;
}

/** One scheduled run in `workspace`, up to the verdict: what the workflow's jobs leave for actions/propose. */
async function retrain(workspace: string, rise: number) {
  mkdirSync(join(workspace, 'data'), { recursive: true });
  mkdirSync(join(workspace, 'reference/data'), { recursive: true });
  mkdirSync(join(workspace, '.cairn/retrain/churn'), { recursive: true });
  // The production model's training data (what `cairn pull --training-data churn#prod` puts here).
  writeFileSync(join(workspace, 'reference/data/train.csv'), readFileSync(join(CHURN, 'data/train.csv')));
  writeFileSync(join(workspace, 'data/train.csv'), shifted(rise));
  writeFileSync(join(workspace, 'data/eval.csv'), readFileSync(join(CHURN, 'data/eval.csv')));

  await cli(
    [
      'drift',
      '--reference',
      'reference/data/train.csv',
      '--current',
      'data/train.csv',
      '--out',
      '.cairn/retrain/churn/drift.json',
    ],
    workspace,
  );
  const drift = JSON.parse(readFileSync(join(workspace, '.cairn/retrain/churn/drift.json'), 'utf8'));
  const champion = await trainChurn(workspace, 5);
  const challenger = await trainChurn(workspace, 300);
  await cli(
    [
      'evaluate',
      '--model',
      challenger,
      '--data',
      'data/eval.csv',
      '--target',
      'churned',
      '--no-gate',
      '--out',
      'metrics.json',
    ],
    workspace,
  );
  await cli(['report', '--metrics', 'metrics.json', '--comment-out', '.cairn/retrain/churn/report.md'], workspace);
  const decision = await challenge(workspace, champion, challenger);
  return { workspace, drift, decision };
}

/** Champion vs challenger on the same rows, the paired bootstrap deciding. */
async function challenge(workspace: string, champion: string, challenger: string) {
  await cli(
    [
      'challenge',
      '--champion',
      champion,
      '--challenger',
      challenger,
      '--data',
      'data/eval.csv',
      '--target',
      'churned',
      '--metric',
      'roc_auc',
      '--bootstrap',
      '200',
      '--out',
      '.cairn/retrain/churn/decision.json',
    ],
    workspace,
  );
  return JSON.parse(readFileSync(join(workspace, '.cairn/retrain/churn/decision.json'), 'utf8'));
}

async function propose(workspace: string) {
  const runner = runnerFiles({ repository: REPO, eventName: 'schedule' });
  const dir = '.cairn/retrain/churn';
  const restore = withEnv({
    ...runner.env,
    GITHUB_WORKSPACE: workspace,
    ...inputEnv({
      decision: join(workspace, dir, 'decision.json'),
      model: 'churn',
      files: `${dir}/decision.json\n${dir}/drift.json\n${dir}/report.md`,
      report: join(workspace, dir, 'report.md'),
      drift: join(workspace, dir, 'drift.json'),
      token: 'ghs_app_token',
    }),
  });
  try {
    await runPropose({
      client: (token, baseUrl) => createOctokit({ auth: token, baseUrl, retries: 0, throttle: false }),
    });
  } finally {
    restore();
  }
  return runner.outputs();
}

describe('the retraining flow: drift, train, evaluate, report, challenge, propose', () => {
  test('the first scheduled run opens the pull request, the second updates it', async (t) => {
    const gh = githubApi(t);
    const git = fakeGitData(gh, { repo: REPO, writer: 'cairn-retrain[bot]' });

    const first = await retrain(tempDir('cairn-retrain-1-'), 1.3);
    assert.equal(first.drift.dataset.drifted, true, 'the shifted data drifted');
    assert.equal(first.decision.decision, 'promote', JSON.stringify(first.decision));
    const opened = await propose(first.workspace);
    assert.equal(opened.action, 'opened');
    assert.equal(git.pulls.length, 1);
    const body = git.pulls[0].body;
    assert.match(body, /## Retrained `churn`: promote/);
    assert.match(body, /\| champion \| `[^`]*churn-5\.onnx` \| 0\.\d+ \|/, "cairn challenge's champion and its value");
    assert.match(body, /### Drift: \d+ of \d+ columns drifted/);
    assert.match(body, /\| monthly_charges \| wasserstein \|/, 'the drifted columns');
    assert.match(body, /\| roc_auc \| 0\.\d+ \|/, "the challenger's report (cairn report)");

    const second = await retrain(tempDir('cairn-retrain-2-'), 1.6);
    const updated = await propose(second.workspace);
    assert.equal(updated.action, 'updated');
    assert.equal(updated['pull-request-number'], opened['pull-request-number']);
    assert.equal(git.pulls.length, 1);
    assert.notEqual(updated.commit, opened.commit);
    assert.deepEqual(gh.violations, []);
  });
});
