/**
 * What the app talks to GitHub with: Probot's Octokit as Probot ships it (throttling, plugin-retry,
 * pagination, REST methods, config), set through Probot's options and never patched, so an Octokit
 * or Probot upgrade cannot break it. GitHub's limits bound the app, not its CPU (bench/app).
 */
import { ProbotOctokit, type Context, type Options, type Probot } from 'probot';
import type { GitHubClient } from '../core/github/index.ts';
import { proxiedFetch, type NetEnv } from '../core/net/index.ts';

/**
 * The Octokit options the app gives Probot (createProbot's `overrides`), server and Lambda alike.
 * When `env` sets HTTPS_PROXY / HTTP_PROXY, requests go through the proxy (core/net, NO_PROXY
 * honoured) by Probot's documented `request.fetch`.
 */
export function appOctokitOptions(options: { env?: NetEnv } = {}): Pick<Options, 'Octokit' | 'request'> {
  const fetch = proxiedFetch(options.env ?? {});
  return { Octokit: ProbotOctokit, ...(fetch ? { request: { fetch } } : {}) };
}

/**
 * The installation's client, from `app.auth(installationId)`. Not `context.octokit`: Probot builds
 * that one without a throttle id, so its write limiter (one write a second, GitHub's advice) would
 * be shared by every installation the process serves; `app.auth` keys it by installation, as
 * GitHub counts. The token comes from the same cache either way.
 */
export async function installationClient(app: Probot, context: Context): Promise<GitHubClient> {
  const installation = (context.payload as { installation?: { id?: unknown } }).installation?.id;
  const octokit = typeof installation === 'number' ? await app.auth(installation) : context.octokit;
  // Probot's Octokit has the same `rest` and `paginate` as core's, built on another release of the
  // endpoint-methods plugin, whose types differ in details core never touches.
  return octokit as unknown as GitHubClient;
}
