import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import { findModelConfig, readRepoConfig } from '../../core/config/index.ts';
import { UserError } from '../../core/errors.ts';
import {
  checkRunName,
  FORK_LABEL,
  forkCheckRunName,
  isForbidden,
  publishCheckRun,
  tokenLogin,
  upsertStickyComment,
  withMarker,
  type GitHubClient,
} from '../../core/github/index.ts';
import { parseDriftReport, type DriftReport } from '../../core/drift/index.ts';
import { parseMetricsReport } from '../../core/metrics/index.ts';
import { renderComment, renderJobSummary, renderModelCard, stickyMarker } from '../../core/report/index.ts';
import { info, optionalInput } from '../shared/action-logger.ts';
import { actionOctokit } from '../shared/github-client.ts';
import { appendJobSummary } from '../shared/job-summary.ts';
import { readRunnerEnv, runUrl, type RunnerEnv } from '../shared/runner-env.ts';
import { HANDOFF_FILE, readHandoff, runnerArtifactStore, type ArtifactStore, type Handoff } from './handoff.ts';
import { reportTargetFromEvent, type ReportTarget } from './pull-request.ts';

interface Loaded {
  target: ReportTarget;
  metrics: string;
  baseline?: string;
  source: string;
}

export async function run(deps: { artifacts?: ArtifactStore } = {}): Promise<void> {
  const env = readRunnerEnv();
  const artifacts = deps.artifacts ?? runnerArtifactStore();
  const repo = env.repo;
  const token = optionalInput('token');
  const fromArtifact = optionalInput('from-artifact');
  const cardPath = optionalInput('card-path');
  // Before anything is read or posted: a card path that cannot be written fails the step now.
  if (cardPath)
    await checkOutputPaths([
      { path: resolve(cardPath), option: 'card-path:', shown: cardPath, example: 'MODEL_CARD.md' },
    ]);
  const octokit = () => {
    if (!token || !repo) throw new UserError('input token and GITHUB_REPOSITORY are needed to post the report.');
    return actionOctokit(token, env.context.apiUrl);
  };

  const loaded = fromArtifact
    ? await loadHandoff(fromArtifact, env, artifacts, token, octokit)
    : await loadFromInputs(env);
  const parsed = parseMetricsReport(loaded.metrics, loaded.source);
  const report = { ...parsed, name: optionalInput('model-name') ?? parsed.name };
  const baseline = loaded.baseline ? parseMetricsReport(loaded.baseline, `${loaded.source} (baseline)`) : undefined;
  const config = await readRepoConfig(core.getInput('config') || '.github/cairn.yml', false);
  const model = config ? findModelConfig(config, report.name) : undefined;
  const modelCard = renderModelCard({ report, baseline, model });
  const drift = await driftInput();
  const rendered = renderComment({
    report,
    baseline,
    modelCard,
    drift,
    classNames: model?.labels,
    marker: stickyMarker(report.name),
    summaryUrl: runUrl(env),
  });
  // A fork's numbers are shown to reviewers, labelled as the fork's own claim.
  const comment = fromArtifact ? withMarker(`> ${FORK_LABEL}\n\n${rendered}`, stickyMarker(report.name)) : rendered;
  await appendJobSummary(renderJobSummary({ report, baseline, modelCard, drift, classNames: model?.labels }));
  if (cardPath) await writeFileAtomic(resolve(cardPath), modelCard);

  const handOff = async (why: string) => {
    if (!loaded.target.issueNumber || !loaded.target.headSha)
      return core.warning(`${why}; the report is in the job summary.`);
    const name = `cairn-report-${report.name.replace(/[^\w.-]+/g, '_')}`;
    const handoff: Handoff = {
      pr_number: loaded.target.issueNumber,
      head_sha: loaded.target.headSha,
      metrics: JSON.stringify(report),
      baseline: baseline && JSON.stringify(baseline),
    };
    try {
      await artifacts.upload(name, { [HANDOFF_FILE]: JSON.stringify(handoff) });
    } catch (error) {
      // The report is already in the job summary: a failed hand-off must not fail the pull request's job.
      return core.warning(
        `${why}; the report is in the job summary, but uploading artifact "${name}" for the workflow_run hand-off failed: ${(error as Error).message}`,
      );
    }
    core.notice(
      `${why}: the report is in the job summary and in artifact "${name}". A workflow_run workflow with actions/report and from-artifact: ${name} can post it (see Cairn's README, "Pull requests from forks").`,
    );
  };
  if (loaded.target.fromFork && !fromArtifact)
    return handOff('this pull request comes from a fork, so its token cannot comment');

  try {
    await publish(octokit(), repo!, loaded.target, report, comment);
  } catch (error) {
    if (!isForbidden(error) || fromArtifact) throw error;
    await handOff(
      'the token may not write to this pull request (403; outside a fork, give the job `pull-requests: write` and `checks: write`)',
    );
  }

  async function publish(
    client: GitHubClient,
    where: { owner: string; repo: string },
    target: ReportTarget,
    metrics: typeof report,
    body: string,
  ) {
    if (core.getBooleanInput('comment') && target.issueNumber) {
      // Found by marker and author: a marker pasted into someone else's comment is not ours to edit.
      const author = await tokenLogin(client, { token: token!, appSlug: optionalInput('app-slug') });
      const result = await upsertStickyComment(client, {
        ...where,
        issueNumber: target.issueNumber,
        marker: stickyMarker(metrics.name),
        author,
        body,
      });
      core.setOutput('comment-url', result.url);
      info(`comment ${result.action}: ${result.url}`);
    }
    if (core.getBooleanInput('check') && target.headSha) {
      const fromFork = fromArtifact !== undefined;
      const check = await publishCheckRun(client, {
        ...where,
        headSha: target.headSha,
        report: metrics,
        summary: body,
        detailsUrl: runUrl(env),
        fromFork,
      });
      core.setOutput('check-run-id', String(check.id));
      info(`check run "${fromFork ? forkCheckRunName(metrics.name) : checkRunName(metrics.name)}": ${check.url}`);
    }
  }
}

/** A file an input names; `input` prefixes the message with it where the path alone would not say which. */
async function readInputFile(file: string, input?: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`${input ? `${input}: ` : ''}cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The `drift` input's report, read from this workspace (with `from-artifact` too: the fork's job sends none). */
async function driftInput(): Promise<{ report: DriftReport; source: string } | undefined> {
  const path = optionalInput('drift');
  if (!path) return undefined;
  return { report: parseDriftReport(await readInputFile(path, 'drift'), `drift: ${path}`), source: path };
}

async function loadFromInputs(env: RunnerEnv): Promise<Loaded> {
  const path = optionalInput('metrics');
  if (!path)
    throw new UserError(
      'input metrics is required (the metrics-path output of actions/evaluate), unless from-artifact is set.',
    );
  const baselinePath = optionalInput('baseline');
  return {
    target: reportTargetFromEvent(env),
    metrics: await readInputFile(path),
    baseline: baselinePath && (await readInputFile(baselinePath)),
    source: path,
  };
}

/**
 * Trusted side of the fork hand-off. The artifact's PR number is the fork's claim; it is believed
 * only if that PR's head is the commit the triggering run built (workflow_run.head_sha, from GitHub).
 */
async function loadHandoff(
  name: string,
  env: RunnerEnv,
  artifacts: ArtifactStore,
  token: string | undefined,
  octokit: () => GitHubClient,
): Promise<Loaded> {
  const run = env.context.payload.workflow_run as { id?: number; head_sha?: string } | undefined;
  if (env.context.eventName !== 'workflow_run' || !run?.id || !run.head_sha) {
    throw new UserError(
      "from-artifact works only in a workflow triggered by workflow_run (the fork's pull-request workflow).",
    );
  }
  const repo = env.repo!;
  const dir = await artifacts.download(name, run.id, token ?? '', repo.owner, repo.repo);
  const handoff = await readHandoff(dir, name);
  const { data: pr } = await octokit().rest.pulls.get({ ...repo, pull_number: handoff.pr_number });
  if (pr.head.sha !== run.head_sha || handoff.head_sha !== run.head_sha) {
    throw new UserError(
      `artifact "${name}" claims pull request #${handoff.pr_number}, whose head ${pr.head.sha} is not the commit the run built (${run.head_sha}); not posting.`,
    );
  }
  return {
    target: { issueNumber: handoff.pr_number, headSha: run.head_sha, fromFork: false },
    metrics: handoff.metrics,
    baseline: handoff.baseline,
    source: `artifact ${name}`,
  };
}
