import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLogger } from '../../../core/logger.ts';
import { createOctokit } from '../../../core/github/octokit.ts';
import { publishCheckRun, checkRunBody } from '../../../core/github/check-run.ts';
import { readRecordFromCheckRun, RECORD_MARKER } from '../../../core/github/eval-record.ts';
import { githubApi } from '../../support/github-api.ts';
import { fakeCheckRuns } from '../../support/github-fakes.ts';
import { sampleReport } from './sample-report.ts';

const SHA = 'c0ffee'.padEnd(40, '0');
const octokit = () => createOctokit({ auth: 'test-token', retries: 0, throttle: false });
const target = {
  owner: 'acme',
  repo: 'churn',
  headSha: SHA,
  summary: '## churn\n| metric | value |\n|---|---|\n| f1 | 0.673 |',
};

describe('publishCheckRun', () => {
  test('creates a completed "cairn: <model>" check run GitHub accepts, with the record readable back', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const checks = fakeCheckRuns(gh);
    const report = sampleReport();
    const result = await publishCheckRun(octokit(), {
      ...target,
      report,
      detailsUrl: 'https://github.com/acme/churn/actions/runs/1',
    });

    const [run] = checks.runs;
    assert.deepEqual(result, { id: run.id, url: run.html_url });
    assert.equal(run.name, 'cairn: churn');
    assert.equal(run.head_sha, SHA);
    assert.equal(run.status, 'completed');
    assert.equal(run.conclusion, 'success');
    assert.equal(run.details_url, 'https://github.com/acme/churn/actions/runs/1');
    assert.equal(run.output.summary, target.summary);
    assert.match(String(run.output.title), /gate passed/);
    assert.deepEqual(readRecordFromCheckRun(run), report);
  });

  test('a failed gate fails the check and names the failing rules; no gate is neutral', () => {
    const failing = sampleReport();
    failing.gate = {
      ...failing.gate!,
      passed: false,
      rules: [{ ...failing.gate!.rules[0], passed: false }, failing.gate!.rules[1]],
    };
    const body = checkRunBody({ ...target, report: failing });
    assert.equal(body.conclusion, 'failure');
    assert.equal(body.output.title, 'churn: gate failed: f1>=0.6');
    assert.equal(checkRunBody({ ...target, report: sampleReport({ gate: undefined }) }).conclusion, 'neutral');
  });

  test('the title is one line of plain text, whatever the record holds in the model name and the rules', () => {
    const hostile = sampleReport({ name: 'churn\n::warning::x\u0007\u202E' });
    hostile.gate = {
      ...hostile.gate!,
      passed: false,
      rules: [{ ...hostile.gate!.rules[0], rule: 'f1>=0.6\r\n# heading', passed: false }],
    };
    assert.equal(
      checkRunBody({ ...target, report: hostile }).output.title,
      'churn ::warning::x: gate failed: f1>=0.6 # heading',
    );
  });

  test('bulky curves are left out so the record fits in 65,535 characters, and GitHub accepts it', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const checks = fakeCheckRuns(gh);
    const points = Array.from({ length: 20_000 }, (_, i) => i / 20_000 + 1e-9);
    const report = sampleReport({ curves: { roc: { x: points, y: points }, pr: { x: points, y: points } } });
    await publishCheckRun(octokit(), { ...target, report });

    const text = String(checks.runs[0].output.text);
    assert.ok(text.length <= 65_535, `text is ${text.length} characters`);
    assert.match(text, /Omitted to fit .*: curves\./);
    const { curves: _curves, ...rest } = report;
    assert.deepEqual(readRecordFromCheckRun(checks.runs[0]), rest);
  });

  test('an over-long summary is cut to fit, at a whole character, with a note', async (t) => {
    const gh = githubApi(t);
    const checks = fakeCheckRuns(gh);
    const summary = '| 📈 | row |\n'.repeat(8000);
    await publishCheckRun(octokit(), { ...target, summary, report: sampleReport() });
    const sent = String(checks.runs[0].output.summary);
    assert.ok(sent.length <= 65_535 && sent.length > 60_000, `summary is ${sent.length} characters`);
    assert.match(sent, /truncated/);
    assert.doesNotMatch(sent, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone high surrogate');
  });
});

describe('readRecordFromCheckRun', () => {
  test('reads back a record whose strings hold backticks', () => {
    const report = sampleReport({
      name: 'odd```name',
      model: { path: 'a````b.onnx', sha256: 'x', inputs: [], outputs: [] },
    });
    assert.deepEqual(
      readRecordFromCheckRun({ output: { text: checkRunBody({ ...target, report }).output.text } }),
      report,
    );
  });

  test('a record with wrongly typed fields is ignored, naming the field', () => {
    const logger = memoryLogger();
    const forged = JSON.stringify({ ...sampleReport(), rows: '**2000**' });
    assert.equal(
      readRecordFromCheckRun({ output: { text: `${RECORD_MARKER}\n\`\`\`json\n${forged}\n\`\`\`` } }, logger),
      undefined,
    );
    assert.match(logger.lines[0].message, /not a cairn\.metrics\/v1 record \(rows: /);
  });

  test('a check run without a record, or with a broken one, gives undefined and says why', () => {
    const logger = memoryLogger();
    assert.equal(readRecordFromCheckRun({ output: { text: null } }, logger), undefined);
    assert.equal(readRecordFromCheckRun({ output: null }, logger), undefined);
    assert.equal(
      readRecordFromCheckRun(
        {
          id: 5,
          name: 'cairn: churn',
          output: { text: `${RECORD_MARKER}\n\`\`\`json\n{"schema": "cairn.metrics/v1",\n\`\`\`` },
        },
        logger,
      ),
      undefined,
    );
    assert.equal(
      readRecordFromCheckRun({ output: { text: `${RECORD_MARKER}\n\`\`\`json\n{"schema":"other"}\n\`\`\`` } }, logger),
      undefined,
    );
    assert.equal(logger.lines.length, 2);
    assert.match(logger.lines[0].message, /check run 5 "cairn: churn" holds a record that is not valid JSON/);
  });
});
