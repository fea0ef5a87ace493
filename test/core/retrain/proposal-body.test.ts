import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMMENT_BODY_LIMIT } from '../../../core/report/index.ts';
import { assertInertDocument } from '../../support/inert-markdown.ts';
import {
  parseChallengeDecision,
  proposalBody,
  proposalTitle,
  retrainBranch,
  retrainMarker,
  type ChallengeDecision,
} from '../../../core/retrain/index.ts';

const decision: ChallengeDecision = parseChallengeDecision(
  JSON.stringify({
    schema: 'cairn.challenge/v1',
    metric: 'log_loss',
    lower_is_better: true,
    task: 'binary',
    data: { path: 'data/eval.csv', sha256: 'b'.repeat(64), rows: 600, target: 'churned' },
    champion: { path: 'churn#prod', sha256: 'c'.repeat(64), value: 0.52 },
    challenger: { path: 'model.onnx', sha256: 'd'.repeat(64), value: 0.47 },
    difference: 0.05,
    interval: [0.02, 0.08],
    confidence: 0.95,
    bootstrap: 1000,
    skipped: 3,
    seed: 7,
    min_improvement: 0.01,
    decision: 'promote',
  }),
  'decision.json',
);
const marker = retrainMarker('churn');
const body = (report: string) =>
  proposalBody({ model: 'churn', decision, report, files: ['data/train.csv.dvc'], marker });

describe('the retraining pull request', () => {
  test('the branch and marker name a monorepo model as its tags do', () => {
    assert.equal(retrainBranch('churn'), 'cairn/retrain/churn');
    assert.equal(retrainBranch('models/churn:clf'), 'cairn/retrain/models/churn=clf');
    assert.equal(retrainMarker('models/churn:clf'), '<!-- cairn:models/churn=clf:retrain -->');
    assert.throws(() => retrainBranch('a..b:c'), /invalid model name/);
  });

  test('title and body say the verdict, the interval and the bootstrap behind it', () => {
    assert.equal(proposalTitle('churn', decision), 'Retrained churn: log_loss 0.52 → 0.47');
    const text = body('report');
    assert.ok(text.startsWith(`${marker}\n`));
    assert.match(
      text,
      /lower bound 0\.02 is above the minimum improvement 0\.01 \(1000 resamples, seed 7, 3 skipped\)/,
    );
    assert.match(text, /\| 95% interval \(paired bootstrap\) \| \| \[0\.02, 0\.08\] \|/);
    assert.match(text, /- `data\/train\.csv\.dvc`/);
  });

  test('a report too long for GitHub is cut, never the verdict or the file list', () => {
    const text = body(`| row | value |\n|---|---|\n${'| x | 1 |\n'.repeat(20_000)}`);
    assert.ok(text.length <= COMMENT_BODY_LIMIT, `${text.length} characters`);
    assert.match(text, /the report was cut to fit a pull request/);
    assert.match(text, /## Retrained `churn`: promote/);
    assert.match(text, /### Files in this change/);
  });

  test("the report keeps Cairn's markdown, and loses what could act in a pull request", () => {
    const report = [
      '<details><summary>Per class</summary>',
      '',
      '| a | b |',
      '</details>',
      '<sub>↓ lower is better</sub>',
      '<!-- cairn:churn:retrain -->',
      '<img src=x onerror=1> @team &#64;org &commat;org &lt;kept&gt; [docs](https://github.com/acme/churn/wiki)',
      '`code <b> @x` churn@v1.2.0',
      '```mermaid',
      '  x-axis "rate" 0 --> 1',
      '```',
    ].join('\n');
    const text = body(report);
    assertInertDocument(text, { markers: [marker] });
    assert.match(text, /<details><summary>Per class<\/summary>/);
    assert.match(text, /<\/details>/);
    assert.match(text, /<sub>↓ lower is better<\/sub>/);
    assert.equal(text.split(marker).length, 2, 'only our own marker');
    // What a reader sees, once the zero-width spaces (invisible, in text and in code alike) are gone:
    const seen = text.replaceAll('\u200B', '');
    assert.match(seen, /<img src=x onerror=1> @team &#64;org &commat;org &lt;kept&gt;/);
    assert.match(seen, /\[docs\]\(https:\/\/github\.com\/acme\/churn\/wiki\)/, 'links stay');
    assert.match(text, /`code <\u200Bb> @\u200Bx` churn@v1\.2\.0/, 'code reads the same; a tag is left whole');
    assert.match(text, /x-axis "rate" 0 --> 1/, 'charts keep their arrows');
  });

  test('what a hand-made parser takes for code, and GitHub does not, is inert all the same', () => {
    const img = '<img src=https://evil.example/pixel>';
    const reports = {
      'a backtick in a fence info string': `\`\`\`x\`y\n${img} @team\n`,
      'a fence inside an HTML block': `<details><summary>s</summary>\n\`\`\`\n${img} @team\n\`\`\`\n</details>`,
      'a fence in a list item the next line leaves': `- item\n  \`\`\`\n${img} @team\n  \`\`\``,
      'an escaped backtick': `\\\`${img} @team\``,
      'a code span over two lines': `a \` b\nc \` ${img} @team \` d`,
      'lone carriage returns': `\`\`\`\r${img}\r\`\`\``,
      'an unclosed comment': `text <!-- ${img}`,
      'a comment splitting a tag': `<<!-- -->img src=x> &<!-- -->#64;team`,
    };
    for (const [label, report] of Object.entries(reports)) {
      const text = body(report);
      assert.doesNotThrow(() => assertInertDocument(text, { markers: [marker] }), label);
    }
  });

  test('a decision file of another shape is refused, naming the field', () => {
    const other = (value: unknown) => () => parseChallengeDecision(JSON.stringify(value), 'd.json');
    assert.throws(other({ schema: 'cairn.metrics/v1' }), /d\.json is not a cairn\.challenge\/v1 decision/);
    assert.throws(
      other({ ...decision, decision: 'maybe' }),
      /d\.json is not a valid cairn\.challenge\/v1 decision: decision: /,
    );
    assert.throws(other({ ...decision, verdict: 'promote' }), /not a valid cairn\.challenge\/v1 decision: .*verdict/);
    assert.throws(() => parseChallengeDecision('{', 'd.json'), /d\.json is not JSON/);
  });
});
