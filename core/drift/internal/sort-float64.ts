// [word, shift, bits] of each radix digit: 11-bit digits keep the 2048 counters in L1 cache; the top digit of each
// 32-bit word has 10 bits.
const DIGITS: readonly (readonly [number, number, number])[] = [
  [0, 0, 11],
  [0, 11, 11],
  [0, 22, 10],
  [1, 0, 11],
  [1, 11, 11],
  [1, 22, 10],
];
const RADIX = 2048;
// The low word of a float64 comes first in memory on little-endian hosts (all Node targets); checked once here.
const LOW = new Uint32Array(new Float64Array([1]).buffer)[0] === 0 ? 0 : 1;

/** The borrowed array, kept between sorts of one run so that each column's sort does not allocate its own. */
export interface SortScratch {
  words?: Uint32Array;
}

/**
 * Sorts finite (or infinite, never NaN) float64 values ascending in place, in the order Float64Array's sort gives
 * (−0 before +0), by an LSD radix sort on their bits: each value is mapped to an unsigned key that orders the same
 * (negative values: every bit flipped; others: the sign bit set), sorted six 11-bit digits at a time, and mapped
 * back. Two to four times faster than the built-in sort on a million values, which is most of a drift run's time;
 * it borrows an array of the same size (`scratch`, reused).
 */
export function sortFloat64(values: Float64Array, scratch: SortScratch = {}): Float64Array {
  const n = values.length;
  if (n < 256) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const hiAt = 1 - LOW;
  const counts = new Uint32Array(DIGITS.length * RADIX);
  for (let i = 0; i < n; i += 1) {
    let lo = words[2 * i + LOW]!;
    let hi = words[2 * i + hiAt]!;
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    words[2 * i + LOW] = lo;
    words[2 * i + hiAt] = hi;
    counts[lo & 2047]! += 1;
    counts[RADIX + ((lo >>> 11) & 2047)]! += 1;
    counts[2 * RADIX + (lo >>> 22)]! += 1;
    counts[3 * RADIX + (hi & 2047)]! += 1;
    counts[4 * RADIX + ((hi >>> 11) & 2047)]! += 1;
    counts[5 * RADIX + (hi >>> 22)]! += 1;
  }
  let from: Uint32Array = words;
  if (!scratch.words || scratch.words.length < n * 2) scratch.words = new Uint32Array(n * 2);
  let to: Uint32Array = scratch.words.subarray(0, n * 2);
  for (let pass = 0; pass < DIGITS.length; pass += 1) {
    const base = pass * RADIX;
    // A digit every value shares orders nothing: skip its pass (common for the top bits of values in one range).
    let shared = false;
    let sum = 0;
    for (let d = 0; d < RADIX; d += 1) {
      const count = counts[base + d]!;
      if (count === n) {
        shared = true;
        break;
      }
      counts[base + d] = sum;
      sum += count;
    }
    if (shared) continue;
    const [word, shift] = DIGITS[pass]!;
    const keyAt = word === 0 ? LOW : hiAt;
    for (let i = 0; i < n; i += 1) {
      const a = from[2 * i]!;
      const b = from[2 * i + 1]!;
      const at = counts[base + ((from[2 * i + keyAt]! >>> shift) & 2047)]!++;
      to[2 * at] = a;
      to[2 * at + 1] = b;
    }
    [from, to] = [to, from];
  }
  if (from !== words) words.set(from);
  for (let i = 0; i < n; i += 1) {
    const hi = words[2 * i + hiAt]!;
    if (hi & 0x80000000) words[2 * i + hiAt] = hi & 0x7fffffff;
    else {
      words[2 * i + hiAt] = ~hi >>> 0;
      words[2 * i + LOW] = ~words[2 * i + LOW]! >>> 0;
    }
  }
  return values;
}
