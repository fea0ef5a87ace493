import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { numberScan, parseNumberText, scanNumber } from '../../../core/data/parse-number.ts';
import { seededRandom } from './helpers.ts';

/** The fast path's answer for a whole cell `text` followed by a comma, or undefined when it defers to the general path. */
function fast(text: string): number | undefined {
  const bytes = Buffer.from(`${text},`);
  const value = scanNumber(bytes, 0, bytes.length);
  // A number that stops before the comma ("0x10" stops after "0") sends the CSV parser the general way too.
  if (Number.isNaN(value) || numberScan.end !== text.length) return undefined;
  return value;
}

/** Every value the fast path gives must be exactly Number(text): same double, same sign of zero. */
function assertSameAsNumber(texts: Iterable<string>): { checked: number; deferred: number } {
  let checked = 0;
  let deferred = 0;
  for (const text of texts) {
    const value = fast(text);
    if (value === undefined) deferred++;
    else if (!Object.is(value, Number(text)))
      assert.fail(`${text}: fast path gave ${value}, Number() gives ${Number(text)}`);
    checked++;
  }
  return { checked, deferred };
}

describe('scanNumber (fast path)', () => {
  test('plain decimals and integers parse to the same double as Number()', () => {
    const texts = [
      '0',
      '-0',
      '+0',
      '0.0',
      '-0.0',
      '1',
      '42',
      '-17',
      '0.123456789',
      '.5',
      '-.5',
      '5.',
      '007',
      '00.10',
      '123456789012345',
      '999999999999999',
      '0.1',
      '0.2',
      '0.3',
      '1.0000000000000002',
      '3.141592653589793',
      '0.000001',
      '0.0000000000000000000001',
      '9007199254740991',
    ];
    for (const text of texts) assert.ok(Object.is(fast(text), Number(text)), text);
  });

  test('Python/pandas repr floats (16-17 significant digits) match Number() and rarely defer', () => {
    const random = seededRandom(1);
    const texts = Array.from({ length: 200_000 }, () => String(random()));
    const scaled = Array.from({ length: 200_000 }, () =>
      String((random() - 0.5) * 10 ** Math.floor(random() * 12 - 3)),
    );
    const { deferred } = assertSameAsNumber([...texts, ...scaled]);
    // Only exponent forms (e.g. 1.2e-7) and near-ties go the slow way.
    assert.ok(deferred < 4000, `deferred ${deferred}`);
  });

  test('random digit strings up to 21 digits with a point anywhere', () => {
    const random = seededRandom(2);
    const texts = Array.from({ length: 200_000 }, () => {
      const length = 1 + Math.floor(random() * 21);
      let digits = '';
      for (let i = 0; i < length; i++) digits += Math.floor(random() * 10);
      const point = Math.floor(random() * (length + 1));
      const text = `${digits.slice(0, point)}.${digits.slice(point)}`;
      return random() < 0.3 ? `-${text}` : text;
    });
    assertSameAsNumber(texts);
  });

  test('values at and next to a rounding tie round half to even, like Number()', () => {
    // Integers above 2^53 that sit exactly halfway between two doubles, written with a fraction so
    // they take the 16-19 digit path; and their neighbours one unit away.
    const random = seededRandom(3);
    const texts: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const exponent = 53n + BigInt(Math.floor(random() * 10));
      const ulp = 1n << (exponent - 52n);
      const base = (1n << exponent) + BigInt(Math.floor(random() * 2 ** 52)) * ulp;
      for (const value of [base + ulp / 2n, base + ulp / 2n - 1n, base + ulp / 2n + 1n, base]) {
        const text = `${value}.0`;
        if (text.length <= 21) texts.push(text);
      }
    }
    texts.push('9007199254740993.0', '9007199254740995.00', '18014398509481986.0');
    const { deferred, checked } = assertSameAsNumber(texts);
    assert.ok(checked > 40_000 && deferred < checked);
  });

  test('near-halfway decimals just below 1 and around powers of two', () => {
    const texts: string[] = [];
    for (let e = -20; e <= 10; e++) {
      const power = 2 ** e;
      for (const digits of [16, 17, 18, 19]) {
        texts.push(
          power.toPrecision(digits),
          (power * (1 + 2 ** -53)).toPrecision(digits),
          (power * (1 - 2 ** -54)).toPrecision(digits),
        );
      }
    }
    assertSameAsNumber(texts.filter((text) => !text.includes('e')));
  });

  test('defers to the general path for exponents, long mantissas and non-numbers', () => {
    for (const text of [
      '1e5',
      '1.5E-3',
      '12345678901234567890',
      '',
      '-',
      '+',
      '.',
      '-.',
      'abc',
      'NaN',
      'inf',
      '0x10',
    ]) {
      assert.equal(fast(text), undefined, text);
    }
  });

  test('stops at the first byte that cannot continue the number', () => {
    const bytes = Buffer.from('12.5abc');
    assert.equal(scanNumber(bytes, 0, bytes.length), 12.5);
    assert.equal(numberScan.end, 4);
    const cut = Buffer.from('3.25');
    assert.equal(scanNumber(cut, 0, 3), 3.2, 'the end bound is respected');
  });
});

describe('parseNumberText (general path)', () => {
  test('decimals and exponents are Number(text), whitespace around them ignored', () => {
    for (const text of ['1e5', '-2.5E-3', '1E+308', '5e-324', '2e-400', '1e400', ' 7 ', '\t-0.5']) {
      assert.deepEqual(parseNumberText(text), { kind: 'number', value: Number(text) });
    }
  });

  test('inf and infinity in any case, with a sign, are infinities (Python writes inf)', () => {
    assert.deepEqual(parseNumberText('inf'), { kind: 'number', value: Infinity });
    assert.deepEqual(parseNumberText('-Infinity'), { kind: 'number', value: -Infinity });
    assert.deepEqual(parseNumberText('+INF'), { kind: 'number', value: Infinity });
  });

  test("pandas' NA strings and blank cells are missing", () => {
    for (const text of ['', '   ', 'NA', 'NaN', 'nan', 'null', 'NULL', 'N/A', 'n/a', '#N/A', 'None', '<NA>', '-nan']) {
      assert.deepEqual(parseNumberText(text), { kind: 'missing' }, JSON.stringify(text));
    }
  });

  test('hex, binary, thousands separators and words are not numbers', () => {
    for (const text of [
      '0x1F',
      '0b101',
      '0o7',
      '1,000',
      '1_000',
      'abc',
      '1.2.3',
      '--1',
      'e5',
      '1e',
      'none',
      'Infinityx',
    ]) {
      assert.deepEqual(parseNumberText(text), { kind: 'invalid' }, text);
    }
  });
});
