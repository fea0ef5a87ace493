import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryLogger, silentLogger } from '../../../core/logger.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../../core/store/index.ts';
import { isDroppedConnection, sdkRetryStrategy } from '../../../core/store/retry.ts';

test('backoff is full jitter: uniform below min(cap, base * 2^retry)', () => {
  assert.equal(
    backoffDelay(0, 100, 20_000, () => 0),
    0,
  );
  assert.equal(
    backoffDelay(0, 100, 20_000, () => 0.999),
    99,
  );
  assert.equal(
    backoffDelay(3, 100, 20_000, () => 0.5),
    400,
  );
  assert.equal(
    backoffDelay(20, 100, 20_000, () => 0.5),
    10_000,
    'capped',
  );
  const samples = Array.from({ length: 4000 }, () => backoffDelay(4, 100, 20_000));
  assert.ok(samples.every((d) => d >= 0 && d < 1600));
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  assert.ok(mean > 740 && mean < 860, `mean ${mean} near 800`);
});

const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };
const info = (errorType: 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR', status?: number) => ({
  errorType,
  error: { name: errorType === 'THROTTLING' ? 'SlowDown' : 'Oops', $metadata: { httpStatusCode: status } },
});

test('the SDK strategy retries throttling, transient and 5xx errors up to maxAttempts, and never client errors', async () => {
  const logger = memoryLogger();
  const strategy = sdkRetryStrategy(policy, logger);
  const first = await strategy.acquireInitialRetryToken('');
  for (const type of ['TRANSIENT', 'THROTTLING', 'SERVER_ERROR'] as const) {
    const second = await strategy.refreshRetryTokenForRetry(first, info(type, 503));
    assert.equal(second.getRetryCount(), 1);
    const third = await strategy.refreshRetryTokenForRetry(second, info(type, 503));
    assert.equal(third.getRetryCount(), 2);
    await assert.rejects(strategy.refreshRetryTokenForRetry(third, info(type, 503)), 'attempt 4 of 3');
  }
  await assert.rejects(strategy.refreshRetryTokenForRetry(first, info('CLIENT_ERROR', 404)));
  assert.match(logger.lines[0].message, /S3 request failed \(Oops, HTTP 503\); retry 1 of 2 in \d+ ms/);
});

test('throttling backs off from a larger base, and Retry-After is honoured', async () => {
  const strategy = sdkRetryStrategy(
    { ...policy, maxAttempts: 10, baseDelayMs: 1, throttleBaseDelayMs: 10_000 },
    silentLogger,
  );
  const token = await strategy.acquireInitialRetryToken('');
  const transient = await Promise.all(
    Array.from({ length: 50 }, () => strategy.refreshRetryTokenForRetry(token, info('TRANSIENT'))),
  );
  assert.ok(transient.every((t) => t.getRetryDelay() < 1));
  const throttled = await Promise.all(
    Array.from({ length: 50 }, () => strategy.refreshRetryTokenForRetry(token, info('THROTTLING'))),
  );
  assert.ok(throttled.some((t) => t.getRetryDelay() > 1000));
  const hinted = await strategy.refreshRetryTokenForRetry(token, {
    ...info('TRANSIENT'),
    retryAfterHint: new Date(Date.now() + 3000),
  });
  assert.ok(hinted.getRetryDelay() > 2500 && hinted.getRetryDelay() <= 3000);
});

test('dropped connections mid-body are recognised; other errors are not', () => {
  for (const error of [
    Object.assign(new Error('aborted'), { code: 'ECONNRESET' }),
    Object.assign(new Error('x'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }),
    { name: 'TimeoutError' },
    new Error('aborted'),
  ]) {
    assert.ok(isDroppedConnection(error), String((error as Error).message ?? (error as Error).name));
  }
  for (const error of [new Error('boom'), Object.assign(new Error('x'), { code: 'ENOSPC' }), undefined])
    assert.equal(isDroppedConnection(error), false);
});
