/**
 * Number parsing for table cells. Every value equals what `Number(text)` gives (the correctly
 * rounded double); the fast path only exists because building a string per cell and calling
 * `Number()` costs more than the whole rest of CSV parsing.
 *
 * Accepted: decimals with an optional sign, fraction and exponent (`-1.5`, `.5`, `5.`, `1e-05`)
 * and `inf` / `infinity` in any case (what Python writes). Rejected: hex/octal/binary literals and
 * anything else `Number()` would take but no CSV writer means as a number.
 */

const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const TWO53 = 9007199254740992;
const SPLITTER = 134217729; // 2^27 + 1: Veltkamp split of a double into two 26-bit halves

const POW10_HIGH = POW10.map((x) => SPLITTER * x - (SPLITTER * x - x));
const POW10_LOW = POW10.map((x, k) => x - POW10_HIGH[k]);

// Reading the exponent bits of a double (to get its ulp) through a shared typed-array view.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian hosts: word 1
const LOW_WORD = 1 - HIGH_WORD;

/** Where the last successful `scanNumber` stopped (the first byte after the number). */
export const numberScan = { end: 0 };

/**
 * Parses a plain decimal (no exponent, at most 19 significant digits) starting at `start`, stopping
 * at the first byte that cannot continue it. Returns NaN when the text needs the general path
 * (`parseNumberText`): no digits, an exponent, too many digits, or a rare rounding tie.
 */
export function scanNumber(data: Uint8Array, start: number, end: number): number {
  let i = start;
  let c = i < end ? data[i] : 0;
  let negative = false;
  if (c === 45 /* - */ || c === 43 /* + */) {
    negative = c === 45;
    c = ++i < end ? data[i] : 0;
  }
  // Leading zeros are skipped so that every digit the loops below see is significant.
  const digitsStart = i;
  while (c === 48) c = ++i < end ? data[i] : 0;
  // The mantissa is hi * 10^t + lo: hi takes up to 15 significant digits (exact in a double),
  // lo the next up to 4; more than 19 takes the general path.
  let hi = 0;
  let lo = 0;
  let t = 0;
  let significant = 0;
  let d = c - 48;
  while (d >= 0 && d <= 9) {
    if (significant < 15) hi = hi * 10 + d;
    else if (significant < 19) {
      lo = lo * 10 + d;
      t++;
    } else return NaN;
    significant++;
    d = (++i < end ? data[i] : 0) - 48;
  }
  let fraction = 0;
  if (d === -2 /* . */) {
    const fractionStart = ++i;
    c = i < end ? data[i] : 0;
    if (significant === 0) while (c === 48) c = ++i < end ? data[i] : 0;
    d = c - 48;
    while (d >= 0 && d <= 9) {
      if (significant < 15) hi = hi * 10 + d;
      else if (significant < 19) {
        lo = lo * 10 + d;
        t++;
      } else return NaN;
      significant++;
      d = (++i < end ? data[i] : 0) - 48;
    }
    fraction = i - fractionStart;
    // "." alone, or "-." are not numbers.
    if (fraction === 0 && i - 1 === digitsStart) return NaN;
  } else if (i === digitsStart) {
    return NaN;
  }
  if (d === 53 /* e */ || d === 21 /* E */ || fraction > 22) return NaN;
  numberScan.end = i;
  let value: number;
  if (t === 0) {
    value = fraction === 0 ? hi : hi / POW10[fraction];
  } else {
    const mantissa = hi * POW10[t] + lo;
    if (mantissa < TWO53) {
      // Both operands exact, one rounding: the correctly rounded result (Clinger's fast path).
      value = fraction === 0 ? mantissa : mantissa / POW10[fraction];
    } else {
      if (fraction === 0) return NaN;
      value = divideExactly(hi, lo, t, fraction);
    }
  }
  return negative ? -value : value;
}

/**
 * Correctly rounded (hi * 10^t + lo) / 10^k for mantissas of 16 to 19 digits: divide, then
 * compute the exact remainder with error-free products and move to a neighbouring double if the
 * true quotient lies past the halfway point. NaN when too close to a tie to decide.
 */
function divideExactly(hi: number, lo: number, t: number, k: number): number {
  // m = x + y exactly (x, y both exact integers), then m = sHi + sLo exactly (TwoSum).
  const scale = POW10[t];
  const hiUp = Math.floor(hi / 16777216);
  const x = hiUp * scale * 16777216;
  const y = (hi - hiUp * 16777216) * scale + lo;
  const sHi = x + y;
  const yVirtual = sHi - x;
  const sLo = x - (sHi - yVirtual) + (y - yVirtual);

  const p = POW10[k];
  const q = sHi / p;
  // q * p = eHi + eLo exactly (Dekker's product).
  const qSplit = SPLITTER * q;
  const qHigh = qSplit - (qSplit - q);
  const qLow = q - qHigh;
  const pHigh = POW10_HIGH[k];
  const pLow = POW10_LOW[k];
  const eHi = q * p;
  const eLo = qHigh * pHigh - eHi + qHigh * pLow + qLow * pHigh + qLow * pLow;
  // sHi - eHi is exact (Sterbenz: they are within a factor of two); the rest is tiny.
  const remainder = sHi - eHi + (sLo - eLo);

  f64[0] = q;
  const exponent = (u32[HIGH_WORD] >>> 20) & 0x7ff;
  if (exponent <= 53) return NaN;
  const powerOfTwo = (u32[HIGH_WORD] & 0xfffff) === 0 && u32[LOW_WORD] === 0;
  u32[HIGH_WORD] = (exponent - 52) << 20;
  u32[LOW_WORD] = 0;
  const ulp = f64[0];
  const half = ulp * 0.5 * p; // remainder at the halfway point to the next double up
  const slack = half * 9.5367431640625e-7; // 2^-20: far above the rounding error of `remainder`
  if (remainder > slack - (powerOfTwo ? half / 2 : half) && remainder < half - slack) return q;
  if (remainder > half + slack && remainder < 3 * half - slack) return q + ulp;
  if (!powerOfTwo && remainder < -half - slack && remainder > slack - 3 * half) return q - ulp;
  return NaN;
}

/**
 * The strings pandas' `read_csv` reads as missing (its default `na_values`), so a file that
 * pandas loads with NaN loads here with NaN too.
 */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;

/** What a cell's text means as a number. */
export type NumberText = { kind: 'number'; value: number } | { kind: 'missing' } | { kind: 'invalid' };

/** The general path: any cell text, surrounding whitespace ignored. */
export function parseNumberText(text: string): NumberText {
  const trimmed = text.trim();
  if (MISSING_TOKENS.has(trimmed)) return { kind: 'missing' };
  if (DECIMAL.test(trimmed)) return { kind: 'number', value: Number(trimmed) };
  const infinity = INFINITY.exec(trimmed);
  if (infinity) return { kind: 'number', value: infinity[1] === '-' ? -Infinity : Infinity };
  return { kind: 'invalid' };
}
