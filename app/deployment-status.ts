/**
 * `deployment_status`: the registry issue records the newest status per environment, and when the
 * deployment came from a `/cairn` command (its assignment tag names the comment), that issue or
 * pull request gets the outcome in one comment per deployment, edited as the status moves on.
 */
import type { RepoConfig } from '../core/config/index.ts';
import { isUserError } from '../core/errors.ts';
import { upsertStickyComment } from '../core/github/index.ts';
import { findTagEvent, isRegistryTag } from '../core/registry/index.ts';
import { code, type DeploymentSeen, inert, repoLink } from '../core/report/index.ts';
import { readRequestLine } from './chatops/run-command.ts';
import type { DeploymentStatusPayload } from './payloads.ts';
import { appIdentity } from './app-identity.ts';
import { refreshRegistryIssue } from './registry-issue.ts';
import { loadRegistry, requireConfig } from './registry-source.ts';
import type { HandlerContext } from './runtime.ts';
import { pushedByApp } from './tag-verdict.ts';

/** States after which a deployment changes no more. */
const FINAL_STATES = new Set(['success', 'failure', 'error']);
const MARK: Record<string, string> = { success: '✅', failure: '❌', error: '❌' };

/** An environment some stage deploys to (`stages.<s>.environment`, else the stage's own name). */
function isStageEnvironment(config: RepoConfig, environment: string): boolean {
  return Object.entries(config.stages).some(([name, stage]) => (stage.environment ?? name) === environment);
}

export function deploymentMarker(deploymentId: number): string {
  return `<!-- cairn:deployment:${deploymentId} -->`;
}

export async function onDeploymentStatus(payload: DeploymentStatusPayload, ctx: HandlerContext): Promise<void> {
  const { octokit, target, runtime, logger } = ctx;
  const { deployment, deployment_status: status } = payload;
  const environment = status.environment ?? deployment.environment;
  const url = status.target_url || status.log_url || undefined;
  const seen: DeploymentSeen = {
    environment,
    state: status.state,
    ref: deployment.ref,
    sha: deployment.sha,
    at: status.updated_at ?? status.created_at,
    ...(url ? { url } : {}),
  };

  const tagName = deployment.ref.replace(/^refs\/tags\//, '');
  let config: RepoConfig | undefined;
  try {
    config = await requireConfig(octokit, target, target.defaultBranch, runtime);
  } catch (error) {
    if (!isUserError(error)) throw error;
    logger.warn(`registry issue: ${error.message.split('\n')[0]}`);
  }
  // Other deployments of the repository (GitHub Pages, a web app) are none of the registry's business.
  if (!isRegistryTag(tagName) && !(config && isStageEnvironment(config, environment))) {
    logger.debug(`deployment ${deployment.id} to ${environment} is not a model deployment; ignoring it`);
    return;
  }
  const registry = await loadRegistry(ctx);
  const stages = config ? Object.keys(config.stages) : undefined;
  await refreshRegistryIssue(ctx, { registry, stages, deployment: seen, logger });

  if (!FINAL_STATES.has(status.state) || !isRegistryTag(tagName)) return;
  // A Cairn-Request line counts only in a tag Cairn's own bot pushed: anyone else could name any issue.
  const tag = registry.tags.find((t) => t.tag === tagName);
  const origin = tag && pushedByApp(registry.verdictOf(tag)) ? readRequestLine(tag.message) : undefined;
  if (!origin) return;
  const event = findTagEvent(registry.state, tagName);
  // The environment is the payload's free text: code spans show it verbatim and inert. The run URL
  // too is anyone's with deployments: write, so only a page of this repository is a link.
  const what = code(event?.version ? `${event.name}@${event.version}` : tagName);
  const body = [
    `${MARK[status.state] ?? ''} Deployment of ${what} to ${code(environment)}: **${inert(status.state)}**${url ? ` (${repoLink('run', url, target.htmlUrl)})` : ''}.`,
    '',
    `From tag ${code(tagName)}, commit ${code(deployment.sha.slice(0, 7))}.`,
  ].join('\n');
  const author = (await appIdentity(ctx)).botLogin;
  const result = await upsertStickyComment(octokit, {
    owner: target.owner,
    repo: target.repo,
    issueNumber: origin.issueNumber,
    marker: deploymentMarker(deployment.id),
    author,
    body,
  });
  logger.info(`deployment ${deployment.id} (${status.state}): comment ${result.action} on #${origin.issueNumber}`);
}
