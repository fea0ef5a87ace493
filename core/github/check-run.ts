/**
 * The check run `cairn: <model>` on the evaluated commit: the verdict (gate -> conclusion), the
 * human summary, and the machine-readable record that baselines and the app read back.
 */
import type { MetricsReport } from '../metrics/types.ts';
import { plainLine } from '../report/inert.ts';
import { formatRecordText } from './eval-record.ts';
import type { GitHubClient } from './octokit.ts';
import { CHECK_OUTPUT_LIMIT, truncateText } from './truncate.ts';

export interface PublishCheckRunOptions {
  owner: string;
  repo: string;
  /** The commit evaluated: the PR head, not the merge commit, so the check shows on the PR. */
  headSha: string;
  report: MetricsReport;
  /** Markdown shown on the check run page (the rendered report); cut to fit if too long. */
  summary: string;
  /** Link from the check run, e.g. to the workflow run. */
  detailsUrl?: string;
}

export type CheckConclusion = 'success' | 'failure' | 'neutral';

const TITLE_LIMIT = 200;

export function checkRunName(model: string): string {
  return `cairn: ${model}`;
}

/** success/failure from the gate; neutral when no gate was configured (nothing to pass or fail). */
export function checkConclusion(report: MetricsReport): CheckConclusion {
  if (!report.gate) return 'neutral';
  return report.gate.passed ? 'success' : 'failure';
}

export function checkTitle(report: MetricsReport): string {
  const gate = report.gate;
  let title: string;
  if (!gate) title = `${report.name}: evaluated on ${report.rows} rows (no gate)`;
  else if (gate.passed) title = `${report.name}: gate passed (${gate.rules.length} rule${gate.rules.length === 1 ? '' : 's'})`;
  else {
    const failed = gate.rules.filter((rule) => !rule.passed).map((rule) => rule.rule);
    title = `${report.name}: gate failed: ${failed.join(', ')}`;
  }
  return fitTitle(title);
}

/**
 * A check run title as GitHub shows it: plain text on one line (a model name or rule from a record
 * may hold line breaks or control characters), at most 200 characters.
 */
export function fitTitle(text: string): string {
  const title = plainLine(text);
  return title.length <= TITLE_LIMIT ? title : `${title.slice(0, TITLE_LIMIT - 1)}…`;
}

/** The request body for POST /repos/{owner}/{repo}/check-runs, separate so it is testable alone. */
export function checkRunBody(options: PublishCheckRunOptions, now = new Date()) {
  const { report } = options;
  const { text } = formatRecordText(report);
  return {
    owner: options.owner,
    repo: options.repo,
    name: checkRunName(report.name),
    head_sha: options.headSha,
    status: 'completed' as const,
    conclusion: checkConclusion(report),
    completed_at: now.toISOString(),
    ...(options.detailsUrl ? { details_url: options.detailsUrl } : {}),
    output: {
      title: checkTitle(report),
      summary: truncateText(options.summary, CHECK_OUTPUT_LIMIT, '… (truncated to fit the check run; the full report is in the pull request comment and the job summary)'),
      text,
    },
  };
}

export async function publishCheckRun(octokit: GitHubClient, options: PublishCheckRunOptions): Promise<{ id: number; url: string }> {
  const { data } = await octokit.rest.checks.create(checkRunBody(options));
  // ids are typed `number | bigint` (int64); check run ids fit a double.
  return { id: Number(data.id), url: data.html_url ?? data.url };
}
