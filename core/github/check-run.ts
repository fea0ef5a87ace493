/**
 * The check run `cairn: <model>` on the evaluated commit: the verdict (gate -> conclusion), the
 * human summary, and the machine-readable record that baselines and the app read back.
 */
import type { MetricsReport } from '../metrics/index.ts';
import { CHECK_OUTPUT_LIMIT, plainLine, truncateText } from '../report/index.ts';
import { formatRecordText } from './eval-record.ts';
import type { GitHubClient } from './octokit.ts';

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
  /**
   * The report was handed off by a fork's pull-request run (actions/report `from-artifact`): it is
   * published as `cairn (fork): <model>`, neutral, labelled as the fork's, and without the record,
   * so nothing ever reads it as evidence (the fork's code computed every number in it).
   */
  fromFork?: boolean;
}

export type CheckConclusion = 'success' | 'failure' | 'neutral';

const TITLE_LIMIT = 200;

export function checkRunName(model: string): string {
  return `cairn: ${model}`;
}

/** A fork's handed-off report: never `cairn: <model>`, whatever the model is called. */
export function forkCheckRunName(model: string): string {
  return `cairn (fork): ${model}`;
}

/** Said on every surface that shows a fork's hand-off (check run, PR comment). */
export const FORK_LABEL =
  "Computed by the fork's code on its pull-request run and handed off as an artifact: not an evaluation record, never evidence for a registration or a deployment.";

/** success/failure from the gate; neutral when no gate was configured (nothing to pass or fail). */
export function checkConclusion(report: MetricsReport): CheckConclusion {
  if (!report.gate) return 'neutral';
  return report.gate.passed ? 'success' : 'failure';
}

export function checkTitle(report: MetricsReport): string {
  const gate = report.gate;
  let title: string;
  if (!gate) title = `${report.name}: evaluated on ${report.rows} rows (no gate)`;
  else if (gate.passed)
    title = `${report.name}: gate passed (${gate.rules.length} rule${gate.rules.length === 1 ? '' : 's'})`;
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
  const { report, fromFork } = options;
  const summaryText = fromFork ? `> ${FORK_LABEL}\n\n${options.summary}` : options.summary;
  return {
    owner: options.owner,
    repo: options.repo,
    name: fromFork ? forkCheckRunName(report.name) : checkRunName(report.name),
    head_sha: options.headSha,
    status: 'completed' as const,
    // A fork's verdict is its own code's claim: shown, never a green tick that looks like a gate.
    conclusion: fromFork ? ('neutral' as const) : checkConclusion(report),
    completed_at: now.toISOString(),
    ...(options.detailsUrl ? { details_url: options.detailsUrl } : {}),
    output: {
      title: fromFork ? `fork: ${checkTitle(report)}` : checkTitle(report),
      summary: truncateText(
        summaryText,
        CHECK_OUTPUT_LIMIT,
        '… (truncated to fit the check run; the full report is in the pull request comment and the job summary)',
      ),
      text: fromFork ? FORK_LABEL : formatRecordText(report).text,
    },
  };
}

export async function publishCheckRun(
  octokit: GitHubClient,
  options: PublishCheckRunOptions,
): Promise<{ id: number; url: string }> {
  const { data } = await octokit.rest.checks.create(checkRunBody(options));
  // ids are typed `number | bigint` (int64); check run ids fit a double.
  return { id: Number(data.id), url: data.html_url ?? data.url };
}
