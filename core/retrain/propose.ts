/**
 * What the scheduled retraining workflow does with a verdict, through the GitHub API alone:
 *
 * - `promote`, `retrain.on_promote: pr` (the default): the files go in one commit on
 *   `cairn/retrain/<model>`, and ONE pull request per model shows it. While that pull request is
 *   open, each run adds a commit on top of its branch (never rewriting what reviewers or people
 *   pushed there) and updates its title and body. Once it is merged or closed, the next run starts
 *   the branch afresh from the base branch and opens a new pull request.
 * - `promote`, `on_promote: register`: the same commit on the same branch, then the model's next
 *   version is registered on it (an annotated tag, as `cairn registry register` makes one).
 * - `keep`: a comment on the open pull request, if there is one, updated in place by later keeps;
 *   no commit, no branch change.
 *
 * The branch is moved to a new start only when nothing would be lost: its head is the head of one
 * of our closed pull requests (GitHub keeps those commits), a registered version, or already in
 * the base branch. Anything else is someone's work, and the run stops and says so.
 */
import { UserError } from '../errors.ts';
import { silentLogger, type Logger } from '../logger.ts';
import type { DriftReport } from '../drift/index.ts';
import type { OnPromote } from '../config/index.ts';
import {
  branchHead,
  commitFiles,
  createAnnotatedTag,
  listTagRefs,
  registryTagsFromRefs,
  upsertStickyComment,
  type FileToCommit,
  type GitHubClient,
} from '../github/index.ts';
import { isRegistryTag, planRegistration, registryState } from '../registry/index.ts';
import { retrainBranch, retrainMarker } from './branch.ts';
import { pullsFrom, startBranch, type Pull } from './internal/branch-moves.ts';
import type { ChallengeDecision } from './decision.ts';
import { keepComment, proposalBody, proposalTitle } from './internal/proposal-body.ts';

export interface ProposeOptions {
  owner: string;
  repo: string;
  model: string;
  decision: ChallengeDecision;
  drift?: DriftReport;
  /** Markdown Cairn rendered for the challenger (`cairn report --comment-out`). */
  report?: string;
  /** What the commit carries: the data pointer, the training record, the report... */
  files: readonly FileToCommit[];
  onPromote: OnPromote;
  /** The branch pull requests go into; default, the repository's default branch. */
  base?: string;
  runUrl?: string;
  logger?: Logger;
}

export interface ProposeResult {
  action: 'opened' | 'updated' | 'unchanged' | 'commented' | 'registered' | 'nothing';
  branch: string;
  pullRequest?: { number: number; url: string };
  /** The commit on the branch (new or, when nothing changed, the branch head). */
  commit?: string;
  tag?: string;
  version?: string;
}

async function defaultBranch(octokit: GitHubClient, owner: string, repo: string): Promise<string> {
  const { data } = await octokit.rest.repos.get({ owner, repo });
  return data.default_branch;
}

function commitMessage(options: ProposeOptions): string {
  const { metric, champion, challenger } = options.decision;
  const title = `Retrain ${options.model}: ${metric} ${champion.value ?? 'n/a'} -> ${challenger.value ?? 'n/a'}`;
  return [title, ...(options.runUrl ? [`Workflow run: ${options.runUrl}`] : [])].join('\n\n');
}

/**
 * Only a pull request whose body holds our marker is ours to update: anyone may open one from
 * `cairn/retrain/<model>` by hand, and the marker is in every body Cairn writes (the report cannot
 * plant it: core/report's inertMarkdown drops comments).
 */
function notOurs(pull: Pull, branch: string, marker: string): string {
  return `pull request #${pull.number} (${pull.html_url}) from ${branch} was not opened by Cairn: its body lacks Cairn's marker ${marker}`;
}

export async function proposeRetrain(octokit: GitHubClient, options: ProposeOptions): Promise<ProposeResult> {
  const { owner, repo, model, decision } = options;
  const logger = options.logger ?? silentLogger;
  const branch = retrainBranch(model);
  const marker = retrainMarker(model);
  const opened = await pullsFrom(octokit, { owner, repo, branch, state: 'open' });
  const foreign = opened.find((pull) => !pull.body?.includes(marker));
  const [open] = opened;
  const pullRequest = open && { number: open.number, url: open.html_url };

  if (decision.decision === 'keep') {
    if (foreign) {
      logger.warn(`keep: the champion stays; ${notOurs(foreign, branch, marker)}, so Cairn does not comment on it`);
      return { action: 'nothing', branch };
    }
    if (!open) {
      logger.info(`keep: the champion stays; no open pull request on ${branch}, so nothing to tell`);
      return { action: 'nothing', branch };
    }
    // Our own earlier keep comment is found by marker and by the pull request's author: the token
    // that opened it is the one that comments, whatever kind of token it is.
    const comment = await upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: open.number,
      marker,
      author: open.user?.login ?? '',
      body: keepComment({ model, decision, drift: options.drift, runUrl: options.runUrl, marker }),
    });
    logger.info(`keep: comment ${comment.action} on pull request #${open.number}: ${comment.url}`);
    return { action: 'commented', branch, pullRequest };
  }

  if (foreign)
    throw new UserError(
      `${notOurs(foreign, branch, marker)}: Cairn will not rewrite its title and body or commit onto its branch. ` +
        `Close it, or move that work to a branch of another name, then run again.`,
    );
  const base = options.base ?? (await defaultBranch(octokit, owner, repo));
  const text = {
    model,
    decision,
    drift: options.drift,
    report: options.report,
    files: options.files.map((file) => file.path),
    runUrl: options.runUrl,
    marker,
  };

  if (options.onPromote === 'register') return register(octokit, options, { branch, base });

  if (open) {
    const head = await branchHead(octokit, { owner, repo, branch });
    if (!head) throw new Error(`pull request #${open.number} is open but its branch ${branch} is gone`);
    const commit = await commitFiles(octokit, {
      owner,
      repo,
      parent: head,
      files: options.files,
      message: commitMessage(options),
    });
    // Not forced: a commit someone pushed meanwhile makes this fail instead of vanishing.
    if (commit.changed) await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit.sha });
    await octokit.rest.pulls.update({
      owner,
      repo,
      pull_number: open.number,
      title: proposalTitle(model, decision),
      body: proposalBody(text),
    });
    logger.info(
      `promote: pull request #${open.number} updated${commit.changed ? ` with commit ${commit.sha.slice(0, 7)}` : ' (the files were unchanged)'}`,
    );
    return { action: commit.changed ? 'updated' : 'unchanged', branch, pullRequest, commit: commit.sha };
  }

  const commit = await commitOnBase(octokit, options, base);
  if (!commit.changed) logger.warn(`the files are already so on ${base}; the pull request holds no change of files`);
  await startBranch(octokit, { owner, repo, branch, sha: commit.sha, base, registered: new Set() });
  const { data: created } = await octokit.rest.pulls.create({
    owner,
    repo,
    head: branch,
    base,
    title: proposalTitle(model, decision),
    body: proposalBody(text),
  });
  logger.info(`promote: opened pull request #${created.number}: ${created.html_url}`);
  return {
    action: 'opened',
    branch,
    pullRequest: { number: created.number, url: created.html_url },
    commit: commit.sha,
  };
}

async function register(
  octokit: GitHubClient,
  options: ProposeOptions,
  where: { branch: string; base: string },
): Promise<ProposeResult> {
  const { owner, repo, model } = options;
  const { branch, base } = where;
  const { data: refs } = await listTagRefs(octokit, { owner, repo });
  const { annotated, lightweight } = await registryTagsFromRefs(octokit, refs, { owner, repo, include: isRegistryTag });
  const state = registryState(annotated);
  const registered = new Set(Object.hasOwn(state.models, model) ? state.models[model].versions.map((v) => v.sha) : []);

  const commit = await commitOnBase(octokit, options, base);
  if (!commit.changed)
    throw new UserError(`the files are already so on ${base}: there is no new commit to register ${model} on.`);
  await startBranch(octokit, { owner, repo, branch, sha: commit.sha, base, registered });

  const { metric, interval } = options.decision;
  const [planned] = planRegistration(
    {
      state,
      tagNames: [...annotated.map((t) => t.tag), ...lightweight.map((t) => t.tag)],
      by: options.runUrl ? `the retraining workflow, ${options.runUrl}` : 'the retraining workflow',
      why: `The retrained model beat the champion on ${metric}: 95% interval of the difference [${interval[0]}, ${interval[1]}].`,
    },
    { name: model, sha: commit.sha },
  );
  const { tag } = await createAnnotatedTag(octokit, {
    owner,
    repo,
    tag: planned.tag,
    sha: planned.sha,
    message: planned.message,
  });
  options.logger?.info(
    `promote: registered ${model} ${planned.event.version} as ${tag.tag} on ${commit.sha.slice(0, 7)} (${branch})`,
  );
  return { action: 'registered', branch, commit: commit.sha, tag: tag.tag, version: planned.event.version };
}

/** The carried files committed on top of the base branch's head (not yet on any branch). */
async function commitOnBase(octokit: GitHubClient, options: ProposeOptions, base: string) {
  const { owner, repo } = options;
  const baseHead = await branchHead(octokit, { owner, repo, branch: base });
  if (!baseHead) throw new UserError(`base branch ${base} was not found in ${owner}/${repo}.`);
  return commitFiles(octokit, { owner, repo, parent: baseHead, files: options.files, message: commitMessage(options) });
}
