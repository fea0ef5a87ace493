import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChallengeDecision } from '../../../core/metrics/index.ts';
import { renderChallengeSection } from '../../../core/report/index.ts';
import { assertInert, HOSTILE, HOSTILE_LINE } from '../../support/inert-markdown.ts';
import { isBalanced, rowOf } from './markdown-table-reader.ts';

function decision(overrides: Partial<ChallengeDecision> = {}): ChallengeDecision {
  return {
    schema: 'cairn.challenge/v1',
    metric: 'roc_auc',
    lower_is_better: false,
    task: 'binary',
    data: { path: 'data/eval.csv', sha256: 'd'.repeat(64), rows: 1200, target: 'churned' },
    champion: {
      path: '/cache/models/churn/sha256/ab/cd/churn.onnx',
      sha256: 'a'.repeat(64),
      value: 0.8123,
      registry: { name: 'churn', version: 'v1.2.0', stage: 'production' },
    },
    challenger: { path: 'models/churn.onnx', sha256: 'b'.repeat(64), value: 0.8456 },
    difference: 0.0333,
    interval: [0.012, 0.054],
    confidence: 0.95,
    bootstrap: 1000,
    skipped: 0,
    seed: 0,
    min_improvement: 0,
    decision: 'promote',
    ...overrides,
  };
}

describe('the champion vs challenger section', () => {
  test('promote: both models with their values, the signed difference, the interval and the rule that decided', () => {
    const markdown = renderChallengeSection(decision());
    assert.match(markdown, /^### Champion vs challenger: ✅ promote the challenger$/m);
    assert.ok(isBalanced(markdown));
    const champion = rowOf(markdown, '', 'Champion');
    assert.equal(champion.Model, '`churn#production` (v1.2.0)');
    assert.equal(champion.roc_auc, '0.8123');
    assert.equal(rowOf(markdown, '', 'Challenger').Model, '`models/churn.onnx`');
    assert.match(markdown, /\*\*Difference:\*\* \+0\.0333 in roc_auc \(higher is better/);
    assert.match(
      markdown,
      /\*\*95% interval:\*\* \[\+0\.0120, \+0\.0540\], a paired bootstrap: 1,000 resamples of the same 1,200 rows of `data\/eval\.csv`/,
    );
    assert.match(
      markdown,
      /\*\*Decision:\*\* promote: the interval's lower end \+0\.0120 is above the minimum improvement 0\./,
    );
  });

  test('keep, a lower-is-better metric and skipped resamples are said as such', () => {
    const markdown = renderChallengeSection(
      decision({
        metric: 'log_loss',
        lower_is_better: true,
        difference: -0.01,
        interval: [-0.03, 0.01],
        skipped: 12,
        decision: 'keep',
        min_improvement: 0.005,
      }),
    );
    assert.match(markdown, /⏸️ keep the champion/);
    assert.match(markdown, /lower is better, so the difference is champion − challenger/);
    assert.match(markdown, /12 resamples skipped, where log_loss was undefined for a model/);
    assert.match(markdown, /keep: the interval's lower end -0\.0300 is not above the minimum improvement 0\.0050\./);
  });

  test('names, paths and the metric from the decision file stay inert', () => {
    const markdown = renderChallengeSection(
      decision({
        metric: HOSTILE_LINE,
        data: { path: HOSTILE, sha256: 'd'.repeat(64), rows: 3, target: HOSTILE },
        champion: {
          path: HOSTILE,
          sha256: 'a'.repeat(64),
          value: 1,
          registry: { name: HOSTILE_LINE, version: HOSTILE, stage: HOSTILE_LINE },
        },
        challenger: { path: HOSTILE, sha256: 'b'.repeat(64), value: 1 },
      }),
    );
    assertInert(markdown);
    assert.equal(markdown.split('\n').filter((line) => line.startsWith('| Champion |')).length, 1, 'one table row');
  });
});
