/**
 * The baseline a pull request is compared with: the record on the newest completed
 * `cairn: <model>` check run from a trusted app on the base branch's head commit. GitHub is the database here, so
 * no object-store credentials are needed to compare.
 */
import { UserError } from '../errors.ts';
import { silentLogger, type Logger } from '../logger.ts';
import type { MetricsReport } from '../metrics/index.ts';
import { checkRunName } from './check-run.ts';
import { readRecordOnCommit } from './commit-record.ts';
import type { GitHubClient } from './octokit.ts';
import { statusOf } from './status.ts';

export interface ReadBaselineOptions {
  owner: string;
  repo: string;
  /** Branch (`main`, `refs/heads/main`), tag or commit SHA whose head commit holds the baseline. */
  ref: string;
  model: string;
  /** App ids trusted besides GitHub Actions (`evidence.trusted_apps`). */
  trustedApps?: readonly number[];
  logger?: Logger;
}

/** The commit SHA `ref` points at now. */
export async function resolveRef(octokit: GitHubClient, owner: string, repo: string, ref: string): Promise<string> {
  // The commits endpoint takes `heads/main` and `tags/v1` but not the `refs/` prefix.
  const name = ref.replace(/^refs\//, '');
  try {
    // The `sha` media type answers with the bare SHA instead of the whole commit and its diff.
    const { data } = await octokit.rest.repos.getCommit({ owner, repo, ref: name, mediaType: { format: 'sha' } });
    // Octokit decodes a non-JSON body as text only when the content type says charset=utf-8;
    // otherwise it hands over an ArrayBuffer. Typed as a commit object either way.
    const body: unknown = data;
    const sha = (body instanceof ArrayBuffer ? new TextDecoder().decode(body) : String(body)).trim();
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha))
      throw new Error(`GitHub answered ${ref} with "${sha.slice(0, 80)}", not a commit SHA`);
    return sha;
  } catch (error) {
    // 404: no such repo or ref; 422: "No commit found for SHA".
    if (statusOf(error) === 404 || statusOf(error) === 422) {
      throw new UserError(
        `baseline ref "${ref}" was not found in ${owner}/${repo}: give the base branch, a tag or a commit SHA that exists`,
        { cause: error },
      );
    }
    throw error;
  }
}

export async function readBaselineFromRef(
  octokit: GitHubClient,
  options: ReadBaselineOptions,
): Promise<MetricsReport | undefined> {
  const { owner, repo, model } = options;
  const logger = options.logger ?? silentLogger;
  const sha = await resolveRef(octokit, owner, repo, options.ref);
  const { record: found } = await readRecordOnCommit(octokit, {
    owner,
    repo,
    sha,
    model,
    trustedApps: options.trustedApps,
    logger,
  });
  if (found) {
    logger.info(`baseline for ${model}: check run ${found.checkRun.id} on ${options.ref} (${sha.slice(0, 7)})`);
    return found.report;
  }
  logger.info(
    `no baseline for ${model}: no completed "${checkRunName(model)}" check run with a record on ${options.ref} (${sha.slice(0, 7)})`,
  );
  return undefined;
}
