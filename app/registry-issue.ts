/**
 * The one "Model registry" issue per repository: found by its body marker and its author, the app's
 * own bot (on every page of issues, oldest first, so the first one created wins), created when
 * missing, edited in place.
 * Its number is remembered per process; a deleted or transferred issue is looked up again.
 * Handlers finish out of order (two tags pushed together are two deliveries), so within this
 * process a registry read before the one the issue already shows is never rendered over it (other
 * instances of the app may still write an older one; the next registry change corrects it).
 */
import { type GitHubClient, hasMarkerLine, isAuthor } from '../core/github/index.ts';
import type { Logger } from '../core/logger.ts';
import {
  type DeploymentSeen,
  readDeploymentsSeen,
  recordDeployment,
  REGISTRY_ISSUE_MARKER,
  REGISTRY_ISSUE_TITLE,
  renderRegistryView,
} from '../core/report/index.ts';
import type { LoadedRegistry } from './registry-source.ts';
import { appIdentity } from './app-identity.ts';
import { statusOf, type HandlerContext, type KnownIssue, type RepoTarget } from './runtime.ts';
import { notHonouredRows } from './tag-verdict.ts';

export interface RefreshRegistryIssueOptions {
  registry: Pick<LoadedRegistry, 'state' | 'loadOrder'> & Partial<Pick<LoadedRegistry, 'notHonoured'>>;
  /** Stage order for the table (the config's), when known. */
  stages?: readonly string[];
  /** A deployment status to record for its environment. */
  deployment?: DeploymentSeen;
  logger: Logger;
}

/** The oldest issue with the marker that the app itself opened: a marker in anyone else's issue is ignored. */
async function findRegistryIssue(
  octokit: GitHubClient,
  target: RepoTarget,
  author: string,
): Promise<KnownIssue | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
    owner: target.owner,
    repo: target.repo,
    state: 'all',
    sort: 'created',
    direction: 'asc',
    per_page: 100,
  });
  for await (const { data } of pages) {
    const found = data.find(
      (issue) =>
        !issue.pull_request && hasMarkerLine(issue.body, REGISTRY_ISSUE_MARKER) && isAuthor(issue.user, author),
    );
    if (found) return { number: found.number, body: found.body ?? '' };
  }
  return undefined;
}

export async function refreshRegistryIssue(
  ctx: HandlerContext,
  options: RefreshRegistryIssueOptions,
): Promise<{ number: number; action: 'created' | 'updated' | 'unchanged' }> {
  const { octokit, target, runtime } = ctx;
  const key = target.fullName.toLowerCase();
  // One refresh per repository at a time: two concurrent first refreshes would create two issues.
  return runtime.guard.exclusive(`registry-issue:${key}`, async () => {
    const known = runtime.registryIssues.get(key);
    const newer = known?.shows && known.shows.loadOrder > options.registry.loadOrder ? known.shows : undefined;
    if (known && newer && !options.deployment) return { number: known.number, action: 'unchanged' as const };
    const shows = newer ?? {
      state: options.registry.state,
      stages: options.stages,
      loadOrder: options.registry.loadOrder,
      notHonoured: notHonouredRows(options.registry.notHonoured),
    };
    const render = (previous: string) => {
      const seen = readDeploymentsSeen(previous);
      const deployments = options.deployment ? recordDeployment(seen, options.deployment) : seen;
      return renderRegistryView({
        state: shows.state,
        stages: shows.stages,
        repoUrl: target.htmlUrl,
        deployments,
        notHonoured: shows.notHonoured,
      });
    };
    const author = (await appIdentity(ctx)).botLogin;
    let issue = known ?? (await findRegistryIssue(octokit, target, author));
    let lookedUp = !known;
    while (issue) {
      const body = render(issue.body);
      if (body === issue.body) {
        runtime.registryIssues.set(key, { number: issue.number, body, shows });
        return { number: issue.number, action: 'unchanged' as const };
      }
      try {
        await octokit.rest.issues.update({ owner: target.owner, repo: target.repo, issue_number: issue.number, body });
        runtime.registryIssues.set(key, { number: issue.number, body, shows });
        return { number: issue.number, action: 'updated' as const };
      } catch (error) {
        // 404: deleted; 410: gone (transferred or deleted). Look again once, else make a new one.
        if (statusOf(error) !== 404 && statusOf(error) !== 410) throw error;
        options.logger.warn(`registry issue #${issue.number} of ${target.fullName} is gone (${statusOf(error)})`);
        runtime.registryIssues.delete(key);
        const gone = issue.number;
        issue = lookedUp ? undefined : await findRegistryIssue(octokit, target, author);
        if (issue?.number === gone) issue = undefined;
        lookedUp = true;
      }
    }
    const body = render('');
    const { data } = await octokit.rest.issues.create({
      owner: target.owner,
      repo: target.repo,
      title: REGISTRY_ISSUE_TITLE,
      body,
    });
    runtime.registryIssues.set(key, { number: data.number, body, shows });
    options.logger.info(`created the registry issue #${data.number} in ${target.fullName}`);
    return { number: data.number, action: 'created' as const };
  });
}
