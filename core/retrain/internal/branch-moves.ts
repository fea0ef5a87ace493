/**
 * The retraining branch's pull requests, and moving the branch to a new start only when nothing
 * would be lost (see propose.ts).
 */
import { UserError } from '../../errors.ts';
import { branchHead, type GitHubClient } from '../../github/index.ts';

export type Pull = Awaited<ReturnType<GitHubClient['rest']['pulls']['list']>>['data'][number];

export async function pullsFrom(
  octokit: GitHubClient,
  options: { owner: string; repo: string; branch: string; state: 'open' | 'closed' },
): Promise<Pull[]> {
  const { owner, repo, branch, state } = options;
  return octokit.paginate(octokit.rest.pulls.list, {
    owner,
    repo,
    head: `${owner}:${branch}`,
    state,
    sort: 'created',
    direction: 'desc',
    per_page: 100,
  });
}

/** Why the branch may not be moved to a new start, or undefined when nothing would be lost. */
async function moveRefusal(
  octokit: GitHubClient,
  options: { owner: string; repo: string; branch: string; head: string; base: string; registered: ReadonlySet<string> },
): Promise<string | undefined> {
  const { owner, repo, branch, head, base } = options;
  if (options.registered.has(head)) return undefined;
  const closed = await pullsFrom(octokit, { owner, repo, branch, state: 'closed' });
  if (closed.some((pull) => pull.head.sha === head)) return undefined;
  const { data: compare } = await octokit.rest.repos.compareCommits({ owner, repo, base, head, per_page: 1 });
  if (compare.ahead_by === 0) return undefined;
  return (
    `branch ${branch} holds ${compare.ahead_by} commit(s) (head ${head.slice(0, 7)}) that no closed pull request, ` +
    `registered version or ${base} holds; Cairn will not move it over someone's work. ` +
    `Open a pull request from it, merge it, or delete the branch, then run again.`
  );
}

/** Puts `sha` on `branch`: created, or moved when moveRefusal allows. */
export async function startBranch(
  octokit: GitHubClient,
  options: { owner: string; repo: string; branch: string; sha: string; base: string; registered: ReadonlySet<string> },
): Promise<void> {
  const { owner, repo, branch, sha } = options;
  const head = await branchHead(octokit, { owner, repo, branch });
  if (head === undefined) {
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha });
    return;
  }
  const refusal = await moveRefusal(octokit, { ...options, head });
  if (refusal) throw new UserError(refusal);
  await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha, force: true });
}
