import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatRecordText } from '../../../core/github/index.ts';
import { renderComment, renderModelCard, stickyMarker } from '../../../core/report/index.ts';
import { assertInert, HOSTILE_LINE } from '../../support/inert-markdown.ts';
import { binaryReport, sampleTrainingRecord as trainingRecord } from './sample-reports.ts';

describe('the training record in reports', () => {
  test('the model card has a Training section: outcome, hardware, peaks, data versions, params, metrics', () => {
    const card = renderModelCard({ report: binaryReport({ training: trainingRecord() }) });
    const section = card.slice(card.indexOf('## Training\n'));
    assert.ok(card.includes('## Training\n'), card);
    assert.match(section, /succeeded, 12 min 3 s/);
    assert.match(section, /2 x NVIDIA H100 80GB HBM3 \(driver 550\.54\.15, CUDA 12\.4\), on gpu-box-1 \(Linux, X64\)/);
    assert.match(section, /2,049 MB RSS/);
    assert.match(section, /GPU 0: 40,000 MiB peak, 88 % mean utilisation/);
    assert.match(section, /`data\/train\.csv` md5 `b{32}`/);
    assert.match(section, /\| `train\.epochs` \| 3 \|/);
    assert.match(section, /\| `loss` \| 0\\?\.21 \|/); // rendered: 0.21
  });

  test('the PR comment has one line for it', () => {
    const comment = renderComment({
      report: binaryReport({ training: trainingRecord({ status: 'timed_out', exit_code: null, signal: 'SIGTERM' }) }),
      marker: stickyMarker('churn'),
    });
    assert.match(comment, /\*\*Training:\*\* timed out in 12 min 3 s on 2 x NVIDIA H100 80GB HBM3/);
  });

  test('every string from the record is inert, in the card and the comment', () => {
    const hostile = trainingRecord({
      command: [HOSTILE_LINE],
      runner: { name: HOSTILE_LINE, os: HOSTILE_LINE, arch: 'X64', labels: null },
      gpu: { count: 0, driver_version: null, cuda_version: null, devices: [], labels: [], reason: HOSTILE_LINE },
      params: { [HOSTILE_LINE]: HOSTILE_LINE },
      metrics: { nested: { [HOSTILE_LINE]: 1 } },
      data: [{ path: HOSTILE_LINE, md5: HOSTILE_LINE }],
      git: { sha: HOSTILE_LINE, ref: HOSTILE_LINE },
      started_at: '2026-12-07T10:00:00.000Z',
      status: 'failed',
      exit_code: null,
      signal: HOSTILE_LINE,
    });
    const report = binaryReport({ training: hostile });
    assertInert(renderModelCard({ report, frontMatter: false }));
    assertInert(renderComment({ report, marker: stickyMarker('churn') }), { markers: [stickyMarker('churn')] });
  });

  test('params beyond 30 entries are counted, not listed', () => {
    const params = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, i]));
    const card = renderModelCard({ report: binaryReport({ training: trainingRecord({ params }) }) });
    assert.match(card, /\| `p29` \| 29 \|/);
    assert.doesNotMatch(card, /`p30`/);
    assert.match(card, /10 more not shown; the training record has them all/);
  });

  test('a 100 KB command and param value are cut to 300 characters in the card, which stays small and inert', () => {
    const long = `${HOSTILE_LINE} ${'x'.repeat(100_000)}`;
    const record = trainingRecord({ command: ['python', long], params: { notes: long }, metrics: { [long]: 1 } });
    const card = renderModelCard({ report: binaryReport({ training: record }), frontMatter: false });
    const section = card.slice(card.indexOf('## Training\n'));
    assert.ok(section.length < 10_000, `the Training section is ${section.length} characters`);
    assert.doesNotMatch(section, /x{301}/);
    assert.equal(section.split('…').length - 1, 3, 'each cut (command, param, metric) is marked');
    assertInert(card);
  });

  test("a check run's record over its size budget drops `training` first", () => {
    const big = trainingRecord({ params: { notes: 'x'.repeat(70_000) } });
    const { text, omitted } = formatRecordText(binaryReport({ training: big }));
    assert.deepEqual(omitted, ['training']);
    assert.doesNotMatch(text, /cairn\.training\/v1/);
    assert.match(text, /"metrics"/);
  });
});
