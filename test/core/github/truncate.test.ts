import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateText } from '../../../core/github/truncate.ts';

test('text within the limit is returned as is', () => {
  assert.equal(truncateText('short', 10, 'cut'), 'short');
});

test('cuts at a line break near the limit so table rows stay whole', () => {
  const text = Array.from({ length: 100 }, (_, i) => `| row ${i} |`).join('\n');
  const cut = truncateText(text, 500, '(truncated)');
  assert.ok(cut.length <= 500);
  assert.match(cut, /\| row \d+ \|\n\n\(truncated\)$/);
});

test('never splits a surrogate pair, even with no line break to cut at', () => {
  for (const limit of [100, 101, 102, 103]) {
    const cut = truncateText('📈'.repeat(200), limit, '…');
    assert.ok(cut.length <= limit);
    assert.doesNotMatch(cut, /[\ud800-\udbff](?![\udc00-\udfff])/, `lone surrogate at limit ${limit}`);
    assert.ok(cut.endsWith('\n\n…'));
  }
});
