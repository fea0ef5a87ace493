import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateText } from '../../../core/report/truncate.ts';

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

test('a code block open at the cut is closed before the note, with its own fence', () => {
  const text = [
    'intro',
    '````text',
    ...Array.from({ length: 200 }, (_, i) => `line ${i} \`\`\` not a fence`),
    '````',
    'after',
  ].join('\n');
  const cut = truncateText(text, 1_000, '(cut)');
  assert.ok(cut.length <= 1_000);
  assert.match(cut, /line \d+ ``` not a fence\n````\n\n\(cut\)$/);
  const closed = truncateText(`\`\`\`\ncode\n\`\`\`\n${'text\n'.repeat(300)}`, 500, '(cut)');
  assert.match(closed, /text\n\n\(cut\)$/, 'a closed block gets no extra fence');
});

test('an HTML comment open at the cut is dropped whole, so it cannot hide the note', () => {
  const text = `visible\n<!-- cairn:deployments ${'x'.repeat(2_000)} -->\nmore`;
  const cut = truncateText(text, 1_000, '(cut)');
  assert.equal(cut, 'visible\n\n\n(cut)');
});

test('the note can say what it left out', () => {
  const text = Array.from({ length: 100 }, (_, i) => `| row ${i} |`).join('\n');
  const cut = truncateText(
    text,
    500,
    (dropped) => `${dropped.split('\n').filter((l) => l.startsWith('|')).length} rows left out`,
  );
  assert.ok(cut.length <= 500);
  const kept = cut.split('\n').filter((l) => l.startsWith('|')).length;
  assert.match(cut, new RegExp(`\\| row ${kept - 1} \\|\\n\\n${100 - kept} rows left out$`));
});

test('a line of backticks with a backtick in its info string opens no block, so none is closed after it', () => {
  const cut = truncateText(`\`\`\`x\`y\n${'text\n'.repeat(300)}`, 500, '(cut)');
  assert.match(cut, /text\n\n\(cut\)$/, 'no fence is added: it would open a block that swallows the note');
});
