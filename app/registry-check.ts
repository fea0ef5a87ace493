/**
 * The `cairn registry` check run on a tagged commit: the user-visible verdict on a registry tag,
 * and the durable marker that makes a tag push idempotent. Its external_id names the tag and its
 * tag object (`tag:<name>:<object sha>`), so a redelivered push (after a restart, or on another
 * instance) finds it and does nothing twice, while the same tag pushed again (a new object, even on
 * the same commit) is judged afresh. A run that stopped on an internal error is renamed (`retry:`),
 * so a redelivery tries again. Runs of releases before objects were recorded name the tag only
 * (`tag:<name>`): see `runForTag`.
 */
import { fitTitle, type GitHubClient } from '../core/github/index.ts';
import { CHECK_OUTPUT_LIMIT, code, inertLines, truncateText } from '../core/report/index.ts';
import type { RepoTarget } from './runtime.ts';

export const REGISTRY_CHECK_NAME = 'cairn registry';

export type RegistryConclusion = 'success' | 'failure' | 'neutral';

export interface RegistryCheckOutcome {
  conclusion: RegistryConclusion;
  title: string;
  summary: string;
}

/** One registry tag as pushed: its name, commit, and the tag object the ref points at (the commit, for a lightweight tag). */
export interface PushedTag {
  tag: string;
  sha: string;
  object: string;
  /** The tagger date; none for a lightweight tag. */
  taggedAt?: string;
}

/** The external_id that marks the handling of one tag object. Tag names never hold `:` (git refuses it). */
export function registryCheckId(tag: PushedTag, prefix: 'tag' | 'retry' = 'tag'): string {
  return `${prefix}:${tag.tag}:${tag.object}`;
}

export interface RegistryCheckRun {
  id: number;
  /** The tag it is about (from external_id); `retry` when an internal error freed the marker. */
  tag: string;
  /** The tag object it judged; undefined in a run of an earlier release, which did not record it. */
  object?: string;
  retry: boolean;
  status: string;
  conclusion: string | null;
  summary: string | null;
  startedAt: string | null;
}

/**
 * The `cairn registry` runs on `sha` that this app wrote: a run another app or a workflow made with
 * the same name could otherwise mark a tag handled, or honoured.
 */
export async function registryChecksOn(
  octokit: GitHubClient,
  target: RepoTarget,
  sha: string,
  appId: number,
): Promise<RegistryCheckRun[]> {
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner: target.owner,
    repo: target.repo,
    ref: sha,
    check_name: REGISTRY_CHECK_NAME,
    filter: 'all',
    per_page: 100,
  });
  return runs.flatMap((run) => {
    const match = /^(tag|retry):([^:]*)(?::([0-9a-f]{40}|[0-9a-f]{64}))?$/s.exec(run.external_id ?? '');
    if (!match || run.app?.id !== appId) return [];
    const [, kind, tag, object] = match;
    return [
      {
        id: Number(run.id),
        tag,
        ...(object ? { object } : {}),
        retry: kind === 'retry',
        status: run.status,
        conclusion: run.conclusion,
        summary: run.output.summary,
        startedAt: run.started_at ?? null,
      },
    ];
  });
}

/**
 * The run (of `runs`, those on the tag's commit) that handled or is handling this tag object: the
 * one that names it. A run of an earlier release names no object; it stands for the tag object only
 * when that object is no younger than the run (its tagger date is not after the run started): a tag
 * pushed again later is a new object, judged afresh. A tagger date can be set back, but then the
 * object sorts before the run was made, so it cannot overtake a change made after that run.
 */
export function runForTag(
  runs: readonly RegistryCheckRun[],
  tag: PushedTag,
  options: { retries?: boolean } = {},
): RegistryCheckRun | undefined {
  const about = runs
    .filter((run) => run.tag === tag.tag && (options.retries || !run.retry))
    .sort((a, b) => b.id - a.id); // newest first
  return (
    about.find((run) => run.object === tag.object) ??
    about.find(
      (run) =>
        run.object === undefined &&
        (tag.taggedAt === undefined ||
          (run.startedAt !== null && Date.parse(tag.taggedAt) <= Date.parse(run.startedAt))),
    )
  );
}

/** The check run that already handled (or is handling) this tag object, if any. */
export async function findRegistryCheck(
  octokit: GitHubClient,
  target: RepoTarget,
  tag: PushedTag,
  appId: number,
): Promise<RegistryCheckRun | undefined> {
  return runForTag(await registryChecksOn(octokit, target, tag.sha, appId), tag);
}

type RunState =
  { status: 'in_progress' } | { status: 'completed'; conclusion: RegistryConclusion; completed_at: string };

async function createRegistryRun(
  octokit: GitHubClient,
  target: RepoTarget,
  tag: PushedTag,
  detailsUrl: string,
  state: RunState,
  output: { title: string; summary: string },
): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    name: REGISTRY_CHECK_NAME,
    head_sha: tag.sha,
    external_id: registryCheckId(tag),
    ...state,
    details_url: detailsUrl,
    output: { title: fitTitle(output.title), summary: truncateText(output.summary, CHECK_OUTPUT_LIMIT, '…') },
  });
  return Number(data.id);
}

/** A completed run for a tag whose push never arrived: the check says so until `/cairn sync`. */
export function createMissedTagCheck(
  octokit: GitHubClient,
  target: RepoTarget,
  tag: PushedTag,
  detailsUrl: string,
  summary: string,
  now: Date,
): Promise<number> {
  const title = `Not honoured: ${tag.tag}: no push event (more than three tags pushed at once)`;
  return createRegistryRun(
    octokit,
    target,
    tag,
    detailsUrl,
    { status: 'completed', conclusion: 'failure', completed_at: now.toISOString() },
    { title, summary },
  );
}

export function startRegistryCheck(
  octokit: GitHubClient,
  target: RepoTarget,
  tag: PushedTag,
  detailsUrl: string,
): Promise<number> {
  return createRegistryRun(
    octokit,
    target,
    tag,
    detailsUrl,
    { status: 'in_progress' },
    { title: `Checking ${tag.tag}`, summary: `Cairn is checking the registry tag ${code(tag.tag)}.` },
  );
}

/** Closes the run with the outcome; `outcome.summary` ends with the tag's verdict line (app/tag-verdict.ts), which must survive truncation. */
export async function finishRegistryCheck(
  octokit: GitHubClient,
  target: RepoTarget,
  id: number,
  outcome: RegistryCheckOutcome & { verdictLine: string },
  now: Date,
): Promise<void> {
  await octokit.rest.checks.update({
    owner: target.owner,
    repo: target.repo,
    check_run_id: id,
    status: 'completed',
    conclusion: outcome.conclusion,
    completed_at: now.toISOString(),
    output: {
      title: fitTitle(outcome.title),
      summary: `${truncateText(outcome.summary, CHECK_OUTPUT_LIMIT - outcome.verdictLine.length - 2, '… (truncated)')}\n\n${outcome.verdictLine}`,
    },
  });
}

/** Closes a run that stopped on an internal error and frees the tag's marker for a redelivery. */
export async function abandonRegistryCheck(
  octokit: GitHubClient,
  target: RepoTarget,
  id: number,
  tag: PushedTag,
  reason: string,
  now: Date,
): Promise<void> {
  await octokit.rest.checks.update({
    owner: target.owner,
    repo: target.repo,
    check_run_id: id,
    external_id: registryCheckId(tag, 'retry'),
    status: 'completed',
    conclusion: 'failure',
    completed_at: now.toISOString(),
    output: {
      title: fitTitle(`Cairn could not finish checking ${tag.tag}`),
      summary: truncateText(
        `Cairn stopped on an internal error: ${inertLines(reason)}\n\nNothing was dispatched. Redeliver the push webhook from the app's settings, or delete and push the tag again.`,
        CHECK_OUTPUT_LIMIT,
        '…',
      ),
    },
  });
}
