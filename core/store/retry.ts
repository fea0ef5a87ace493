/**
 * Retries for the S3 store: exponential backoff with full jitter on throttling (503 SlowDown),
 * 5xx and dropped connections.
 *
 * Why not the SDK's default: its standard strategy makes 3 attempts, does not retry 5xx codes
 * other than 500/502/503/504, and spends a client-wide "retry quota" (500 tokens, 14 per transient
 * error) that a parallel pull of thousands of objects through a flaky link exhausts in seconds,
 * after which every error fails at once. A pull is many independent requests; each gets its own
 * attempts here, and the backoff keeps a throttled bucket from being hammered.
 */
import type { Logger } from '../logger.ts';

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** The backoff cap before jitter grows as base * 2^retry, up to maxDelayMs. */
  baseDelayMs: number;
  /** The base for throttling errors (SlowDown, 429): back off harder when the server asks. */
  throttleBaseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 100,
  throttleBaseDelayMs: 500,
  maxDelayMs: 20_000,
};

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, min(cap, base * 2^retry)). */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** retry));
}

// The SDK's RetryStrategyV2 contract, written out so that we depend on @aws-sdk/client-s3 alone.
type RetryErrorType = 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';
interface RetryErrorInfo {
  error?: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  errorType: RetryErrorType;
  retryAfterHint?: Date;
}
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}
export interface SdkRetryStrategy {
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
}

const token = (retries: number, delay: number): RetryToken => ({
  getRetryCount: () => retries,
  getRetryDelay: () => delay,
});

/**
 * The strategy the S3 client runs every request through. The SDK classifies the error (it knows
 * S3's throttling codes and Node's connection errors); we retry all but client errors, so 4xx
 * (access denied, missing key, failed precondition) fail on the first answer.
 */
export function sdkRetryStrategy(policy: RetryPolicy, logger: Logger): SdkRetryStrategy {
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous, info) => {
      const retries = previous.getRetryCount();
      if (info.errorType === 'CLIENT_ERROR' || retries + 1 >= policy.maxAttempts)
        throw info.error ?? new Error('not retryable');
      const base = info.errorType === 'THROTTLING' ? policy.throttleBaseDelayMs : policy.baseDelayMs;
      let delay = backoffDelay(retries, base, policy.maxDelayMs);
      if (info.retryAfterHint)
        delay = Math.max(delay, Math.min(info.retryAfterHint.getTime() - Date.now(), policy.maxDelayMs));
      logger.debug(
        `S3 request failed (${describeSdkError(info.error)}); retry ${retries + 1} of ${policy.maxAttempts - 1} in ${delay} ms`,
      );
      return token(retries + 1, delay);
    },
    recordSuccess: () => {},
  };
}

export function describeSdkError(error: RetryErrorInfo['error'] | undefined): string {
  if (!error) return 'unknown error';
  const status = error.$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  const name = error.name === 'Unknown' ? undefined : error.name; // a HEAD answer has no body to name the error
  return (
    [name, code && code !== name ? code : undefined, status ? `HTTP ${status}` : undefined]
      .filter(Boolean)
      .join(', ') || 'unknown error'
  );
}

const DROPPED = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);

/** An error from a response body already streaming: the connection dropped, stalled or ended early. */
export function isDroppedConnection(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string } | undefined;
  if (!e) return false;
  return (
    DROPPED.has(e.code ?? '') || e.name === 'TimeoutError' || e.name === 'TruncatedBodyError' || e.message === 'aborted'
  );
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
