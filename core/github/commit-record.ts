/**
 * The evaluation record of one model on one commit: the newest completed `cairn: <model>` check
 * run there that carries a readable record. Baselines and the app's deployment gate read it.
 */
import type { Logger } from '../logger.ts';
import type { MetricsReport } from '../metrics/types.ts';
import { checkRunName } from './check-run.ts';
import { readRecordFromCheckRun } from './eval-record.ts';
import type { GitHubClient } from './octokit.ts';

export interface CommitRecordOptions {
  owner: string;
  repo: string;
  /** A full commit SHA. */
  sha: string;
  model: string;
  logger?: Logger;
}

export interface CommitRecord {
  report: MetricsReport;
  checkRun: { id: number; url: string };
}

function completedAt(run: { completed_at?: string | null }): number {
  return run.completed_at ? Date.parse(run.completed_at) : 0;
}

export async function readRecordOnCommit(octokit: GitHubClient, options: CommitRecordOptions): Promise<CommitRecord | undefined> {
  const { owner, repo, sha, model, logger } = options;
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner,
    repo,
    ref: sha,
    check_name: checkRunName(model),
    status: 'completed',
    // `latest` keeps one run per check suite; a re-run in the same suite must not hide the newest.
    filter: 'all',
    per_page: 100,
  });
  const newestFirst = [...runs].sort((a, b) => completedAt(b) - completedAt(a) || Number(b.id) - Number(a.id));
  for (const run of newestFirst) {
    const report = readRecordFromCheckRun({ id: Number(run.id), name: run.name, output: run.output }, logger);
    // The name inside must match too: a record is only evidence for the model it names.
    if (report && report.name === model) return { report, checkRun: { id: Number(run.id), url: run.html_url ?? run.url } };
  }
  return undefined;
}
