/**
 * What the app talks to GitHub with: Probot's Octokit (its auth, throttling, pagination, logging),
 * with two per-request costs taken out, measured in bench/app: plugin-retry's Bottleneck limiter
 * is replaced by core's retry loop (the same policy), and requests go through a pooled undici
 * dispatcher instead of the global fetch (app/pooled-fetch.ts). Together they cut the CPU of a
 * GitHub request about threefold.
 */
import { ProbotOctokit, type Options } from 'probot';
import { retryRequests } from '../core/github/retry.ts';
import { createPooledFetch, type PooledFetch } from './pooled-fetch.ts';

/** Probot's Octokit with plugin-retry off and core's retry on. */
export const AppOctokit = ProbotOctokit.plugin(retryRequests).defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
})) as unknown as typeof ProbotOctokit; // Probot's option is typed as its own class; this one only adds a plugin

/** The Probot options that make it use them; `fetch` is the process's one pool. */
export function appOctokitOptions(fetch: PooledFetch = sharedFetch()): Pick<Options, 'Octokit' | 'request'> {
  return { Octokit: AppOctokit, request: { fetch } };
}

let shared: PooledFetch | undefined;
function sharedFetch(): PooledFetch {
  shared ??= createPooledFetch();
  return shared;
}
