import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatBytes, formatDuration, formatRate } from '../../core/byte-size.ts';

describe('formatBytes, formatRate, formatDuration', () => {
  test('binary units with three significant digits', () => {
    const cases: Array<[number, string]> = [
      [0, '0 B'],
      [999, '999 B'],
      [1023, '1023 B'],
      [1024, '1.00 KiB'],
      [1536, '1.50 KiB'],
      [83_123, '81.2 KiB'],
      [1023.9 * 1024, '1.00 MiB'],
      [5 * 1024 ** 3, '5.00 GiB'],
      [123.4 * 1024 ** 4, '123 TiB'],
    ];
    for (const [bytes, text] of cases) assert.equal(formatBytes(bytes), text, String(bytes));
  });

  test('a rate needs bytes and time; durations pick their unit', () => {
    assert.equal(formatRate(10 * 1024 * 1024, 2000), '5.00 MiB/s');
    assert.equal(formatRate(0, 2000), '— B/s');
    assert.equal(formatRate(100, 0), '— B/s');
    assert.deepEqual([850.4, 12_340, 245_000].map(formatDuration), ['850 ms', '12.3 s', '4 min 05 s']);
  });
});
