/**
 * Retries of failed GitHub requests, as @octokit/plugin-retry decides them: a request that failed
 * with a status of 400 or more, other than the ones retrying cannot fix (400, 401, 403, 404, 410,
 * 422, 451), or that never got an answer (Octokit reports those as 500), is sent again after
 * 1 s, 4 s, 9 s (the square of the attempt). Rate limits are the throttling plugin's.
 *
 * Why not plugin-retry itself: it builds a Bottleneck limiter for every request, which cost the app
 * about 0.3 ms of CPU per request, more than the HTTP exchange (bench/app). This is the same policy
 * as a plain loop. GraphQL's "Something went wrong" answers, which plugin-retry also retries, are
 * not: nothing here sends GraphQL.
 */
import type { Octokit } from '@octokit/core';

export interface RetryOptions {
  /** Default true. */
  enabled?: boolean;
  /** Retries after the first attempt; a request can set its own with `request: { retries }`. Default 3. */
  retries?: number;
  /** The wait unit in ms: attempt n waits n² of them. Default 1000. */
  retryAfterBaseValue?: number;
  /** Statuses never retried. */
  doNotRetry?: readonly number[];
}

export const DO_NOT_RETRY: readonly number[] = [400, 401, 403, 404, 410, 422, 451];

interface RequestError {
  status: number;
  request?: unknown;
}

function isRequestError(error: unknown): error is RequestError {
  return typeof error === 'object' && error !== null && 'request' in error && typeof (error as { status?: unknown }).status === 'number';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Octokit plugin; its options go under `retryRequests` in the Octokit constructor (`retry` is
 * plugin-retry's, which Probot's Octokit carries and the app turns off).
 */
export function retryRequests(octokit: Octokit, octokitOptions: { retryRequests?: RetryOptions; [option: string]: unknown }): void {
  const state = { enabled: true, retries: 3, retryAfterBaseValue: 1000, doNotRetry: DO_NOT_RETRY, ...octokitOptions.retryRequests };
  if (!state.enabled) return;
  octokit.hook.wrap('request', async (request, options) => {
    const retries = (options.request as { retries?: number } | undefined)?.retries ?? state.retries;
    for (let retryCount = 0; ; retryCount++) {
      try {
        return await request(options);
      } catch (error) {
        if (retryCount >= retries || !isRequestError(error) || error.status < 400 || state.doNotRetry.includes(error.status)) throw error;
        await sleep((retryCount + 1) ** 2 * state.retryAfterBaseValue);
        // The hooks further in see this options object (before-after-hook binds it); its `request`
        // may be the defaults' shared object, so it is replaced rather than modified.
        options.request = { ...options.request, retryCount: retryCount + 1 };
      }
    }
  });
}
