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

/** The check run that already handled (or is handling) `tag` on `sha`, if any. */
export async function findRegistryCheck(octokit: GitHubClient, target: RepoTarget, sha: string, tag: string): Promise<{ id: number; status: string } | undefined> {
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner: target.owner,
    repo: target.repo,
    ref: sha,
    check_name: REGISTRY_CHECK_NAME,
    filter: 'all',
    per_page: 100,
  });
  const found = runs.find((run) => run.external_id === registryCheckId(tag));
  return found ? { id: Number(found.id), status: found.status } : undefined;
}

export async function startRegistryCheck(octokit: GitHubClient, target: RepoTarget, sha: string, tag: string, detailsUrl: string): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    name: REGISTRY_CHECK_NAME,
    head_sha: sha,
    external_id: registryCheckId(tag),
    status: 'in_progress',
    details_url: detailsUrl,
    output: { title: fitTitle(`Checking ${tag}`), summary: `Cairn is checking the registry tag ${code(tag)}.` },
  });
  return Number(data.id);
}

export async function finishRegistryCheck(octokit: GitHubClient, target: RepoTarget, id: number, outcome: RegistryCheckOutcome, now: Date): Promise<void> {
  await octokit.rest.checks.update({
    owner: target.owner,
    repo: target.repo,
    check_run_id: id,
    status: 'completed',
    conclusion: outcome.conclusion,
    completed_at: now.toISOString(),
    output: {
      title: fitTitle(outcome.title),
      summary: truncateText(outcome.summary, CHECK_OUTPUT_LIMIT, '… (truncated)'),
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
