import { createOctokit, readBaselineFromRef } from '../core/github/index.ts';
import { proxiedFetch } from '../core/net/index.ts';
import type { Logger } from '../core/logger.ts';
import type { MetricsReport } from '../core/metrics/index.ts';

/**
 * `ref:<branch>` baselines from a laptop or any CI: needs GITHUB_TOKEN and GITHUB_REPOSITORY
 * (owner/name); GITHUB_API_URL for GitHub Enterprise. Undefined when they are not set.
 */
export function baselineFromRefFor(env: NodeJS.ProcessEnv, logger: Logger) {
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  const repository = env.GITHUB_REPOSITORY;
  if (!token || !repository?.includes('/')) return undefined;
  const [owner, repo] = repository.split('/');
  const octokit = createOctokit({ auth: token, baseUrl: env.GITHUB_API_URL, logger, fetch: proxiedFetch(env) });
  return (ref: string, model: string, trustedApps: readonly number[]): Promise<MetricsReport | undefined> =>
    readBaselineFromRef(octokit, { owner, repo, ref, model, trustedApps, logger });
}
