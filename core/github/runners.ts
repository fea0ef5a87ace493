/**
 * Self-hosted runner registration for `cairn runner` (runner/): just-in-time configurations, never
 * a long-lived registration token, and deregistration that tells a busy runner from an idle one.
 * A repository needs "Administration" write on the token; an organisation "Self-hosted runners" write.
 */
import { UserError } from '../errors.ts';
import type { GitHubClient } from './octokit.ts';
import { statusOf } from './status.ts';

/** Where runners register: one repository or a whole organisation. */
export type RunnerScope = { kind: 'repo'; owner: string; repo: string } | { kind: 'org'; org: string };

export interface JitRunner {
  /** The runner's id, for deregistration. */
  id: number;
  name: string;
  /** What `run.sh --jitconfig` takes: the runner's whole configuration, credentials included. */
  encodedJitConfig: string;
}

export interface JitOptions {
  name: string;
  labels: readonly string[];
  runnerGroupId: number;
  /** The job workspace, relative to the runner folder (GitHub's default `_work`). */
  workFolder?: string;
}

/** The runner group every repository and organisation has, and the one a repository's runners join. */
export const DEFAULT_RUNNER_GROUP_ID = 1;

export function describeScope(scope: RunnerScope): string {
  return scope.kind === 'repo' ? `${scope.owner}/${scope.repo}` : `organisation ${scope.org}`;
}

const rightsFor = (scope: RunnerScope) =>
  scope.kind === 'repo'
    ? `repository "Administration" write on ${describeScope(scope)}`
    : `organisation "Self-hosted runners" write on ${scope.org}`;

function githubMessage(error: unknown): string {
  return (error as { response?: { data?: { message?: string } } }).response?.data?.message ?? (error as Error).message;
}

/** A 401/403/404 on a runner endpoint means the credentials lack the rights: say which. */
function refusal(scope: RunnerScope, what: string, error: unknown): unknown {
  const status = statusOf(error);
  if (status === 401 || status === 403 || status === 404)
    return new UserError(
      `GitHub refused to ${what} (${status}: ${githubMessage(error)}). The token or app needs ${rightsFor(scope)}.`,
      { cause: error },
    );
  return error;
}

/** The organisation's runner group named `name`, or its default group when no name is given. */
export async function findRunnerGroup(client: GitHubClient, org: string, name?: string): Promise<number> {
  const scope: RunnerScope = { kind: 'org', org };
  let groups: { id: number; name: string; default?: boolean }[];
  try {
    // No REST method of plugin-rest-endpoint-methods covers it; the route is in GitHub's description.
    groups = await client.paginate('GET /orgs/{org}/actions/runner-groups', { org, per_page: 100 });
  } catch (error) {
    throw refusal(scope, `list the runner groups of ${org}`, error);
  }
  const group = name ? groups.find((g) => g.name === name) : groups.find((g) => g.default === true);
  if (group) return group.id;
  if (!name) return DEFAULT_RUNNER_GROUP_ID;
  throw new UserError(
    `${org} has no runner group "${name}"; it has ${groups.map((g) => `"${g.name}"`).join(', ') || 'none'}`,
  );
}

/** Registers one ephemeral runner: it takes one job, then GitHub removes it. */
export async function createJitRunner(
  client: GitHubClient,
  scope: RunnerScope,
  options: JitOptions,
): Promise<JitRunner> {
  const body = {
    name: options.name,
    runner_group_id: options.runnerGroupId,
    labels: [...options.labels],
    work_folder: options.workFolder ?? '_work',
  };
  try {
    const { data } =
      scope.kind === 'repo'
        ? await client.rest.actions.generateRunnerJitconfigForRepo({ owner: scope.owner, repo: scope.repo, ...body })
        : await client.rest.actions.generateRunnerJitconfigForOrg({ org: scope.org, ...body });
    return { id: data.runner.id, name: data.runner.name, encodedJitConfig: data.encoded_jit_config };
  } catch (error) {
    throw refusal(scope, `register a runner for ${describeScope(scope)}`, error);
  }
}

/**
 * `removed`: GitHub no longer lists the runner (deleted now, or already gone: 404). `busy`: GitHub
 * answered 422, the runner is running a job (one may have been assigned a moment ago), so it must
 * keep running; its job consumes the registration.
 */
export type Deregistration = 'removed' | 'busy';

export async function deleteRunner(
  client: GitHubClient,
  scope: RunnerScope,
  runnerId: number,
): Promise<Deregistration> {
  try {
    if (scope.kind === 'repo')
      await client.rest.actions.deleteSelfHostedRunnerFromRepo({
        owner: scope.owner,
        repo: scope.repo,
        runner_id: runnerId,
      });
    else await client.rest.actions.deleteSelfHostedRunnerFromOrg({ org: scope.org, runner_id: runnerId });
    return 'removed';
  } catch (error) {
    if (statusOf(error) === 422) return 'busy';
    if (statusOf(error) === 404) return 'removed';
    throw refusal(scope, `deregister runner ${runnerId} from ${describeScope(scope)}`, error);
  }
}
