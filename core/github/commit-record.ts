/**
 * The evaluation record of one model on one commit: the newest completed `cairn: <model>` check
 * run there, created by a trusted app (evidence-source.ts), that carries a readable record.
 * Baselines, release notes, the app's deployment gate and actions/deploy read it. Runs of that name
 * from other apps are never read; they are returned as `ignored`, so the reader can say why a
 * better-looking run was not used.
 */
import type { Logger } from '../logger.ts';
import type { MetricsReport } from '../metrics/index.ts';
import { checkRunName } from './check-run.ts';
import { readRecordFromCheckRun } from './eval-record.ts';
import { describeApp, isTrustedSource, type CheckRunApp } from './evidence-source.ts';
import type { GitHubClient } from './octokit.ts';

export interface CommitRecordOptions {
  owner: string;
  repo: string;
  /** A full commit SHA. */
  sha: string;
  model: string;
  /** App ids trusted besides GitHub Actions: `evidence.trusted_apps` of the default branch's config. */
  trustedApps?: readonly number[];
  logger?: Logger;
}

export interface CommitRecord {
  report: MetricsReport;
  checkRun: { id: number; url: string };
}

export interface IgnoredCheckRun {
  checkRun: { id: number; url: string };
  app: CheckRunApp | null;
  /** One line of plain text for people: `ignored a "cairn: churn" check run from app x (id 7): not a trusted source`. */
  message: string;
}

export interface RecordLookup {
  /** The trusted record, when there is one. */
  record?: CommitRecord;
  /** Check runs of the record's name from apps that are not trusted, newest first. */
  ignored: IgnoredCheckRun[];
}

/** Enough to say that untrusted runs exist without letting a flood of them fill a message. */
const IGNORED_LIMIT = 10;

function completedAt(run: { completed_at?: string | null }): number {
  return run.completed_at ? Date.parse(run.completed_at) : 0;
}

export async function readRecordOnCommit(octokit: GitHubClient, options: CommitRecordOptions): Promise<RecordLookup> {
  const { owner, repo, sha, model, logger } = options;
  const name = checkRunName(model);
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner,
    repo,
    ref: sha,
    check_name: name,
    status: 'completed',
    // `latest` keeps one run per check suite; a re-run in the same suite must not hide the newest.
    filter: 'all',
    per_page: 100,
  });
  const newestFirst = [...runs].sort((a, b) => completedAt(b) - completedAt(a) || Number(b.id) - Number(a.id));
  const ignored: IgnoredCheckRun[] = [];
  let record: CommitRecord | undefined;
  for (const run of newestFirst) {
    const checkRun = { id: Number(run.id), url: run.html_url ?? run.url };
    // The API types `app` as the full integration; only id, slug and owner decide trust.
    const app = (run.app ?? null) as CheckRunApp | null;
    if (!isTrustedSource(app, options.trustedApps)) {
      if (ignored.length < IGNORED_LIMIT)
        ignored.push({
          checkRun,
          app,
          message: `ignored a "${name}" check run from ${describeApp(app)}: not a trusted source`,
        });
      continue;
    }
    if (record) continue;
    const report = readRecordFromCheckRun({ id: checkRun.id, name: run.name, output: run.output }, logger);
    // The name inside must match too: a record is only evidence for the model it names.
    if (report && report.name === model) record = { report, checkRun };
  }
  for (const each of ignored)
    logger?.warn(`${each.message} (${each.checkRun.url}); trust it with evidence.trusted_apps in .github/cairn.yml`);
  return { record, ignored };
}
