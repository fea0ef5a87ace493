import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { code, formatChange, formatNumber } from '../../../core/report/format.ts';
import { embedModelCard } from '../../../core/report/internal/embed-model-card.ts';
import { topConfusions } from '../../../core/report/internal/class-sections.ts';

describe('formatChange', () => {
  test('higher is better: an increase is green, a decrease red', () => {
    assert.equal(formatChange('accuracy', 0.9, 0.8), '🟢 +0.1000 (+12.5%)');
    assert.equal(formatChange('accuracy', 0.8, 0.9), '🔴 -0.1000 (-11.1%)');
  });

  test('lower is better (LOWER_IS_BETTER): a decrease is green, an increase red', () => {
    for (const metric of ['log_loss', 'brier_score', 'mae', 'mse', 'rmse', 'mape']) {
      assert.match(formatChange(metric, 0.2, 0.3), /^🟢 -0\.1000/);
      assert.match(formatChange(metric, 0.3, 0.2), /^🔴 \+0\.1000/);
    }
  });

  test('no change, a zero baseline, missing values', () => {
    assert.equal(formatChange('f1', 0.5, 0.5), '⚪ ±0');
    assert.equal(formatChange('r2', 0.5, 0), '🟢 +0.5000');
    assert.equal(formatChange('f1', null, 0.5), 'n/a');
    assert.equal(formatChange('f1', 0.5, undefined), 'n/a');
  });

  test('a tiny change is not shown as zero', () => {
    assert.equal(formatChange('accuracy', 0.90001, 0.9), '🟢 +1.000e-5 (+0.0%)');
  });
});

describe('formatNumber', () => {
  test('scores, large errors, tiny values', () => {
    assert.equal(formatNumber(0.764045), '0.7640');
    assert.equal(formatNumber(21034.5), '21,034.50');
    assert.equal(formatNumber(0.00001234), '1.234e-5');
    assert.equal(formatNumber(null), 'n/a');
    assert.equal(formatNumber(Number.NaN), 'n/a');
  });
});

describe('code', () => {
  test('survives backticks in the text', () => {
    assert.equal(code('a`b'), '``a`b``');
    assert.equal(code('plain'), '`plain`');
  });
});

describe('embedModelCard', () => {
  test('drops front matter and the title, moves headings down two levels, leaves code alone', () => {
    const card =
      '---\nmodel-index: []\n---\n\n# Model card: x\n\n## Intended use\n\ntext\n\n```\n# not a heading\n```\n';
    assert.equal(embedModelCard(card), '#### Intended use\n\ntext\n\n```\n# not a heading\n```');
  });

  test('a card without front matter is kept', () => {
    assert.equal(embedModelCard('Some notes.\n\n### Detail'), 'Some notes.\n\n##### Detail');
  });
});

describe('topConfusions', () => {
  test('largest off-diagonal cells first, with the share of the true class', () => {
    const top = topConfusions(
      {
        labels: ['a', 'b', 'c'],
        matrix: [
          [8, 2, 0],
          [5, 5, 0],
          [1, 0, 9],
        ],
      },
      2,
    );
    assert.deepEqual(top, [
      { actual: 'b', predicted: 'a', count: 5, share: 0.5 },
      { actual: 'a', predicted: 'b', count: 2, share: 0.2 },
    ]);
  });
});
