import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachLimited } from '../../../core/store/internal/for-each-limited.ts';

describe('forEachLimited', () => {
  test('runs every item at most `jobs` at a time', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running--;
      done.push(item);
    });
    assert.equal(most, 3);
    assert.deepEqual(done.sort(), [1, 2, 3, 4, 5, 6, 7]);
  });

  test('the first failure stops queued items, aborts running ones, and is what it throws', async () => {
    const started: number[] = [];
    let sawAbort = false;
    const run = forEachLimited([1, 2, 3, 4], 2, async (item, signal) => {
      started.push(item);
      if (item === 1) throw new Error('item 1 failed');
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      sawAbort = true;
    });
    await assert.rejects(run, /item 1 failed/);
    assert.deepEqual(started, [1, 2]);
    assert.equal(sawAbort, true);
  });

  test('many listeners on the shared signal raise no leak warning (the user would see it)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await forEachLimited([1, 2, 3, 4], 4, async (_item, signal) => {
        const listeners = Array.from({ length: 40 }, () => () => {});
        for (const listener of listeners) signal.addEventListener('abort', listener);
        await new Promise((resolve) => setTimeout(resolve, 5));
        for (const listener of listeners) signal.removeEventListener('abort', listener);
      });
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(
      warnings.map((w) => w.name),
      [],
    );
  });
});
