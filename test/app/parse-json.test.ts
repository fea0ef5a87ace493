import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonBytes } from '../../app/parse-json.ts';

/** The answer JSON.parse gives for the same bytes: a value, or the error it throws. */
function jsonParse(bytes: Buffer): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(bytes.toString('utf8')) };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
}

function ours(bytes: Buffer, pieceBytes?: number): { value: unknown } | { error: string } {
  try {
    return { value: parseJsonBytes(bytes, pieceBytes) };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
}

const tagRefs = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    ref: `refs/tags/churn@v1.${i}.0`,
    node_id: `REF_${i}`,
    url: `https://api.github.com/repos/acme/churn/git/refs/tags/churn%40v1.${i}.0`,
    object: { sha: i.toString(16).padStart(40, '0'), type: 'tag', url: 'https://api.github.com/repos/acme/churn/git/tags/x' },
  }));

describe('parseJsonBytes: JSON.parse of a body, a large list in pieces', () => {
  test('a 600-tag list (about 150 KB) parses to what JSON.parse gives, in pieces, never as one string', () => {
    const bytes = Buffer.from(JSON.stringify(tagRefs(600)));
    assert.ok(bytes.length > 3 * 48 * 1024, `the list should span several pieces (${bytes.length} bytes)`);
    const expected: unknown = JSON.parse(bytes.toString('utf8'));
    const parsed: number[] = [];
    const parse = JSON.parse;
    JSON.parse = (text: string, reviver?: Parameters<typeof parse>[1]) => (parsed.push(text.length), parse(text, reviver) as unknown);
    let value: unknown;
    try {
      value = parseJsonBytes(bytes);
    } finally {
      JSON.parse = parse;
    }
    assert.deepEqual(value, expected);
    assert.ok(parsed.length >= 4 && parsed.every((length) => length <= 48 * 1024 + 2), `pieces parsed: ${parsed.join(', ')}`);
  });

  // Each case is cut into pieces of 64 bytes, so every `},{"` in it is a place a piece could end.
  const cases: Record<string, string> = {
    'objects whose strings hold the separator, escaped quotes and backslashes': JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ body: `x},{"y ${i} \\ "quoted" },{\\"`, n: i }))),
    'objects with nested arrays of other objects (issues and their labels)': JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ labels: [{ name: `a${i}` }, { name: 'b' }, { name: 'c' }, { name: 'd' }, { name: 'e' }], i }))),
    'objects with nested arrays of objects with the same first key (a cut there must not be taken)': JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ name: `n${i}`, children: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }] }))),
    'multi-byte characters next to every cut': JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ m: `😕é中${i}`, k: 'ü' }))),
    'an element larger than a piece': JSON.stringify([{ a: 'x'.repeat(300) }, { b: 1 }, { c: 'y'.repeat(500) }]),
    'a list of numbers and strings (nothing to cut at)': JSON.stringify(Array.from({ length: 200 }, (_, i) => (i % 2 ? i : `s${i}`))),
    'an object, not a list': JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, { v: i }]))),
    'a list with spaces between elements': `[ ${Array.from({ length: 20 }, (_, i) => `{"i": ${i}}`).join(' , ')} ]`,
    'a list with trailing white space': `${JSON.stringify(tagRefs(3))}\n`,
    'invalid: a missing comma between two objects': JSON.stringify(tagRefs(3)).replace('},{"ref"', '}{"ref"'),
    'invalid: a trailing comma': `${JSON.stringify(tagRefs(3)).slice(0, -1)},]`,
    'invalid: unbalanced brackets in an element': JSON.stringify(tagRefs(3)).replace('"object":{', '"object":[{'),
    'invalid: an empty element': JSON.stringify(tagRefs(3)).replace('},{"ref"', '},,{"ref"'),
    'a byte-order mark before the list': `\uFEFF${JSON.stringify(tagRefs(3))}`,
  };
  for (const [name, text] of Object.entries(cases)) {
    test(`${name}: the same value or error as JSON.parse`, () => {
      const bytes = Buffer.from(text);
      assert.ok(bytes.length > 64, 'the case should be cut into pieces');
      assert.deepEqual(ours(bytes, 64), jsonParse(bytes));
    });
  }

  test('bytes that are not valid UTF-8 decode as JSON.parse of toString would have them', () => {
    const text = Buffer.from(JSON.stringify(tagRefs(3)));
    const at = text.indexOf('churn@v1.1.0') + 5;
    const bytes = Buffer.concat([text.subarray(0, at), Buffer.from([0xe2, 0x82]), text.subarray(at)]);
    assert.deepEqual(ours(bytes, 64), jsonParse(bytes));
  });
});
