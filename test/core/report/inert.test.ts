import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricsReport } from '../../../core/metrics/types.ts';
import { registryState } from '../../../core/registry/index.ts';
import {
  code,
  codeCell,
  inert,
  inertLines,
  renderComment,
  renderDeploymentReview,
  renderJobSummary,
  renderModelCard,
  renderModelsTable,
  renderRegistryView,
  renderReleaseNotes,
  repoLink,
  stickyMarker,
} from '../../../core/report/index.ts';
import { assertInert, HOSTILE, HOSTILE_LINE, HOSTILE_PARTS } from '../../support/inert-markdown.ts';
import { binaryBaseline, binaryReport, multiclassReport } from './sample-reports.ts';

const ZWSP = '\u200B';
const REPO = 'https://github.com/acme/churn';

/** A record whose every free-text field is hostile: what a tampered metrics.json or check run holds. */
function hostileReport(): MetricsReport {
  const base = multiclassReport(3);
  const labels = [`${HOSTILE_LINE} a`, `${HOSTILE_LINE} b`, `${HOSTILE_LINE} c`];
  return {
    ...base,
    name: HOSTILE,
    metrics: { ...base.metrics, [HOSTILE]: 0.5 },
    per_class: base.per_class!.map((item, i) => ({ ...item, label: labels[i] })),
    confusion_matrix: { ...base.confusion_matrix!, labels },
    runtime: { onnxruntime: HOSTILE, execution_provider: HOSTILE },
    model: {
      path: HOSTILE,
      sha256: HOSTILE,
      inputs: [{ name: HOSTILE, type: HOSTILE, shape: [null, 3] }],
      outputs: [],
    },
    data: { path: HOSTILE, sha256: HOSTILE, rows: 10 },
    git: { sha: HOSTILE, ref: HOSTILE },
    created_at: HOSTILE,
    gate: {
      expression: HOSTILE,
      passed: false,
      rules: [{ rule: HOSTILE, metric: HOSTILE, passed: false, actual: 0.5, threshold: 0.6, reason: HOSTILE }],
    },
  };
}

describe('inert', () => {
  test('the checker catches every attack when the text is not escaped (it is not vacuous)', () => {
    const inline = HOSTILE_PARTS.filter(
      (part) => !['|', '`', '``', '```', '~~~', '::warning::x', '##[warning]x'].includes(part),
    );
    for (const part of inline) assert.throws(() => assertInert(`text ${part} text`), `"${part}" should be caught`);
    for (const fence of ['```', '~~~']) assert.throws(() => assertInert(`text\n${fence}\n@team`), /fence/);
    assert.throws(() => assertInert(`| a | b |\n| - | - |\n| x|y | c |`), /cells/);
  });

  test('hostile text is inert: no mention, HTML, marker, link, autolink, reference, table breakout or control character', () => {
    assertInert(inert(HOSTILE));
    assertInert(`| a | b |\n| - | - |\n| ${inert(HOSTILE)} | ${inert('x|y')} |`);
    assertInert(inertLines(HOSTILE));
    assert.equal(inert(HOSTILE).includes('\n'), false);
    assert.equal(inertLines(HOSTILE).split('\n').length, HOSTILE.split('\n').length);
  });

  test('it reads the same once rendered: only the markdown source changes', () => {
    assert.equal(inert('@org/team'), `@${ZWSP}org/team`);
    assert.equal(inert('<img src=x onerror=1>'), '&lt;img src=x onerror=1&gt;');
    assert.equal(inert('![a](http://x)'), `!\\[a\\](http:${ZWSP}//x)`);
    assert.equal(inert('a|b'), 'a\\|b');
    assert.equal(inert('see #12 and GH-3 at www.x.org'), `see #${ZWSP}12 and GH${ZWSP}-3 at www${ZWSP}.x.org`);
    assert.equal(inert('line\none\u0007'), 'line one');
    assert.equal(inert('# title'), '\\# title');
    assert.equal(inert('1. first'), '1\\. first');
    // What names, metrics and dates look like is left alone.
    assert.equal(inert('f1_macro'), 'f1_macro');
    assert.equal(inert('2025-01-15T10:20:30Z'), '2025-01-15T10:20:30Z');
  });

  test('a code span shows its text verbatim and cannot be ended early', () => {
    assert.equal(code('a`b'), '``a`b``');
    assert.equal(code('churn@v1.2.0'), '`churn@v1.2.0`');
    const span = code(HOSTILE);
    assert.equal(span.includes('\n'), false);
    assert.doesNotMatch(span, /<!--|-->/);
    assertInert(span);
    assertInert(`| a |\n| - |\n| ${codeCell(HOSTILE)} |`);
  });
});

describe('every report surface renders hostile records inert', () => {
  const report = hostileReport();
  const baseline = { ...binaryBaseline(), name: HOSTILE, git: { sha: HOSTILE, ref: HOSTILE } };

  test('pull request comment (with the card folded in) and the check run summary it becomes', () => {
    const card = renderModelCard({ report, baseline, frontMatter: false });
    const comment = renderComment({
      report,
      baseline,
      modelCard: card,
      marker: stickyMarker(report.name),
      summaryUrl: `${REPO}/actions/runs/1`,
      labels: { current: HOSTILE, baseline: HOSTILE },
    });
    assert.ok(comment.startsWith(`${stickyMarker(report.name)}\n`));
    assertInert(comment, { markers: [stickyMarker(report.name)], links: [REPO] });
    assert.doesNotMatch(stickyMarker(HOSTILE), /-->.*-->|\n/);
  });

  test('job summary', () => {
    assertInert(renderJobSummary({ report, baseline, modelCard: renderModelCard({ report, baseline }) }));
  });

  test('model card, with and without front matter, with hostile config prose', () => {
    const model = {
      path: HOSTILE,
      type: HOSTILE,
      description: HOSTILE,
      labels: [HOSTILE, 'b', 'c'],
      card: { developers: HOSTILE, citation: HOSTILE, intended_use: HOSTILE, limitations: HOSTILE },
    };
    assertInert(renderModelCard({ report, baseline, model, frontMatter: false }));
    const card = renderModelCard({ report, baseline, model });
    // The front matter is YAML for the Hub, not markdown; the body after it is checked.
    assertInert(card.slice(card.indexOf('\n---\n') + 5));
  });

  test('release notes, with and without a record', () => {
    const notes = { model: HOSTILE, version: HOSTILE, tag: HOSTILE, sha: HOSTILE };
    assertInert(renderReleaseNotes({ ...notes, report, recordUrl: `${REPO}/runs/1` }), { links: [REPO] });
    assertInert(renderReleaseNotes(notes));
  });

  test('deployment review: reasons, environment, stage, version and the records', () => {
    const review = renderDeploymentReview({
      approved: false,
      environment: HOSTILE,
      stage: HOSTILE,
      model: HOSTILE,
      version: HOSTILE,
      reasons: [HOSTILE, `the deployment runs from ${HOSTILE}`],
      report,
      gate: report.gate,
      baseline: { version: HOSTILE, report: binaryReport({ name: HOSTILE }) },
      cardUrl: `${REPO}/releases/tag/x`,
    });
    assertInert(review, { links: [REPO] });
  });

  test('registry issue and the /cairn show table: tagger names, stages, dates and deployments', () => {
    const state = registryState([
      {
        tag: 'churn@v1.0.0',
        sha: 'a'.repeat(40),
        taggedAt: '2024-01-01T00:00:00Z',
        message: 'm',
        tagger: { name: HOSTILE_LINE, email: 'x@y.z' },
      },
      {
        tag: 'churn#production#1',
        sha: 'a'.repeat(40),
        taggedAt: '2024-01-01T00:01:00Z',
        message: 'm',
        tagger: { name: '@org/team', email: 'x@y.z' },
      },
    ]);
    const deployments = [
      { environment: HOSTILE, state: HOSTILE, ref: HOSTILE, sha: 'a'.repeat(40), at: HOSTILE, url: 'http://x/<img>' },
    ];
    const body = renderRegistryView({ state, stages: [HOSTILE, 'production'], repoUrl: REPO, deployments });
    assertInert(body, { markers: ['<!-- cairn:registry -->', /^<!-- cairn:deployments .* -->$/], links: [REPO] });
    assertInert(renderModelsTable(state, [HOSTILE]));
  });

  // A deployment status's target_url is anyone's with deployments: write, and the issue body keeps it.
  const FOREIGN_URLS = [
    'https://evil.example/phish',
    `${REPO}-evil/actions/runs/1`, // another repository whose name starts the same
    `${REPO}/../../evil/login`, // under the repository as text, elsewhere once a browser resolves it
    `${REPO}.evil.example/x`,
    `${REPO}/actions/runs/1)[x](https://evil.example`,
  ];

  test('a link to a URL from a payload only when it is a page of the repository; anything else is code', () => {
    assert.equal(repoLink('run', `${REPO}/actions/runs/1`, REPO), `[run](${REPO}/actions/runs/1)`);
    for (const url of FOREIGN_URLS) {
      assert.equal(repoLink('run', url, REPO), code(url), url);
      assertInert(`see ${repoLink('run', url, REPO)}`);
    }
    assert.equal(
      repoLink('run', `${REPO}/actions/runs/1`, undefined),
      code(`${REPO}/actions/runs/1`),
      'no repository, no link',
    );
  });

  test('registry issue: a deployment run URL outside the repository is not a link', () => {
    const state = registryState([
      {
        tag: 'churn@v1.0.0',
        sha: 'a'.repeat(40),
        taggedAt: '2024-01-01T00:00:00Z',
        message: 'm',
        tagger: { name: 'n', email: 'x@y.z' },
      },
    ]);
    const deployments = FOREIGN_URLS.map((url, i) => ({
      environment: `env${i}`,
      state: 'success',
      ref: 'churn#production#1',
      sha: 'a'.repeat(40),
      at: 't',
      url,
    }));
    const body = renderRegistryView({
      state,
      repoUrl: REPO,
      deployments: [...deployments, { ...deployments[0], environment: 'prod', url: `${REPO}/actions/runs/2` }],
    });
    assertInert(body, {
      markers: ['<!-- cairn:registry -->', /^<!-- cairn:deployments .* -->$/],
      links: [`${REPO}/commit/`, `${REPO}/releases/`, `${REPO}/actions/runs/2`],
    });
    assert.match(
      body,
      /\| prod \| ✅ success \| .* \| \[run\]\(https:\/\/github\.com\/acme\/churn\/actions\/runs\/2\) \|/,
    );
    assert.match(body, /\| env0 \| ✅ success \| .* \| `https:\/\/evil\.example\/phish` \|/);
  });
});
