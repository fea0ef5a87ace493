/**
 * The `cairn registry` check run on a tagged commit: the user-visible verdict on a registry tag,
 * and the durable marker that makes a tag push idempotent. Its external_id names the tag, so a
 * redelivered push (after a restart, or on another instance) finds it and does nothing twice.
 * A run that stopped on an internal error is renamed (`retry:`), so a redelivery tries again.
 */
import { fitTitle } from '../core/github/check-run.ts';
import type { GitHubClient } from '../core/github/octokit.ts';
import { CHECK_OUTPUT_LIMIT, truncateText } from '../core/github/truncate.ts';
import { code, inertLines } from '../core/report/index.ts';
import type { RepoTarget } from './runtime.ts';

export const REGISTRY_CHECK_NAME = 'cairn registry';

export type RegistryConclusion = 'success' | 'failure' | 'neutral';

export interface RegistryCheckOutcome {
  conclusion: RegistryConclusion;
  title: string;
  summary: string;
}

/** The external_id that marks the handling of `tag`. */
export function registryCheckId(tag: string): string {
  return `tag:${tag}`;
}

export interface RegistryCheckRun {
  id: number;
  /** The tag it is about (from external_id); `retry` when an internal error freed the marker. */
  tag: string;
  retry: boolean;
  status: string;
  conclusion: string | null;
  summary: string | null;
}

/**
 * The `cairn registry` runs on `sha` that this app wrote: a run another app or a workflow made with
 * the same name could otherwise mark a tag handled, or honoured.
 */
export async function registryChecksOn(octokit: GitHubClient, target: RepoTarget, sha: string, appId: number): Promise<RegistryCheckRun[]> {
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner: target.owner,
    repo: target.repo,
    ref: sha,
    check_name: REGISTRY_CHECK_NAME,
    filter: 'all',
    per_page: 100,
  });
  return runs.flatMap((run) => {
    const match = /^(tag|retry):(.*)$/s.exec(run.external_id ?? '');
    if (!match || run.app?.id !== appId) return [];
    return [{ id: Number(run.id), tag: match[2], retry: match[1] === 'retry', status: run.status, conclusion: run.conclusion, summary: run.output.summary }];
  });
}

/** The check run that already handled (or is handling) `tag` on `sha`, if any. */
export async function findRegistryCheck(octokit: GitHubClient, target: RepoTarget, sha: string, tag: string, appId: number): Promise<RegistryCheckRun | undefined> {
  return (await registryChecksOn(octokit, target, sha, appId)).find((run) => !run.retry && run.tag === tag);
}

type RunState =
  | { status: 'in_progress' }
  | { status: 'completed'; conclusion: RegistryConclusion; completed_at: string };

async function createRegistryRun(octokit: GitHubClient, target: RepoTarget, sha: string, tag: string, detailsUrl: string, state: RunState, output: { title: string; summary: string }): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    name: REGISTRY_CHECK_NAME,
    head_sha: sha,
    external_id: registryCheckId(tag),
    ...state,
    details_url: detailsUrl,
    output: { title: fitTitle(output.title), summary: truncateText(output.summary, CHECK_OUTPUT_LIMIT, '…') },
  });
  return Number(data.id);
}

/** A completed run for a tag whose push never arrived: the check says so until `/cairn sync`. */
export function createMissedTagCheck(octokit: GitHubClient, target: RepoTarget, sha: string, tag: string, detailsUrl: string, summary: string, now: Date): Promise<number> {
  const title = `Not honoured: ${tag}: no push event (more than three tags pushed at once)`;
  return createRegistryRun(octokit, target, sha, tag, detailsUrl, { status: 'completed', conclusion: 'failure', completed_at: now.toISOString() }, { title, summary });
}

export function startRegistryCheck(octokit: GitHubClient, target: RepoTarget, sha: string, tag: string, detailsUrl: string): Promise<number> {
  return createRegistryRun(octokit, target, sha, tag, detailsUrl, { status: 'in_progress' }, { title: `Checking ${tag}`, summary: `Cairn is checking the registry tag ${code(tag)}.` });
}

/** Closes the run with the outcome; `outcome.summary` ends with the tag's verdict line (app/tag-verdict.ts), which must survive truncation. */
export async function finishRegistryCheck(octokit: GitHubClient, target: RepoTarget, id: number, outcome: RegistryCheckOutcome & { verdictLine: string }, now: Date): Promise<void> {
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
export async function abandonRegistryCheck(octokit: GitHubClient, target: RepoTarget, id: number, tag: string, reason: string, now: Date): Promise<void> {
  await octokit.rest.checks.update({
    owner: target.owner,
    repo: target.repo,
    check_run_id: id,
    external_id: `retry:${tag}`,
    status: 'completed',
    conclusion: 'failure',
    completed_at: now.toISOString(),
    output: {
      title: fitTitle(`Cairn could not finish checking ${tag}`),
      summary: truncateText(`Cairn stopped on an internal error: ${inertLines(reason)}\n\nNothing was dispatched. Redeliver the push webhook from the app's settings, or delete and push the tag again.`, CHECK_OUTPUT_LIMIT, '…'),
    },
  });
}
