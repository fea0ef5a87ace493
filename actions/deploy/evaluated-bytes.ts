/**
 * The deployed bytes are the evaluated bytes. Before anything moves, the deploy reads the version's
 * evaluation record (the `cairn: <model>` check run on the commit of its registration tag, from a
 * trusted app only: core/github/commit-record.ts) and takes the model's sha256 from it; the file it
 * ships must have exactly that sha256. Otherwise a version could be evaluated on one file and
 * pushed to the store with another.
 *
 * And the evaluated version is the approved one: the stage's protection rule judged the version
 * registered at the run's commit (the deployment is of GITHUB_SHA), so a version registered at any
 * other commit is refused, whatever the inputs say (deploy-request.ts has the rule).
 */
import { trustedApps } from '../../core/config/index.ts';
import { isUserError, UserError } from '../../core/errors.ts';
import { readRecordOnCommit, readRepoConfigAt, resolveRef, type GitHubClient } from '../../core/github/index.ts';
import type { Logger } from '../../core/logger.ts';
import { formatTag } from '../../core/registry/index.ts';
import type { RunCommit } from './deploy-request.ts';

export interface EvaluatedModel {
  /** The model file's sha256 in the record. */
  sha256: string;
  /** The commit of the registration tag. */
  commit: string;
  recordUrl: string;
}

export interface EvaluatedModelOptions {
  owner: string;
  repo: string;
  model: string;
  version: string;
  /** The commit the run is on: the version must be registered there. */
  runOn: RunCommit;
  /** The repository's default branch, whose `.github/cairn.yml` says which apps are trusted; asked for when unknown. */
  defaultBranch?: string;
  logger: Logger;
}

export async function readEvaluatedModel(
  octokit: GitHubClient,
  options: EvaluatedModelOptions,
): Promise<EvaluatedModel> {
  const { owner, repo, model, version, logger } = options;
  const defaultBranch = options.defaultBranch ?? (await octokit.rest.repos.get({ owner, repo })).data.default_branch;
  const config = await readRepoConfigAt(octokit, { owner, repo, ref: defaultBranch });
  const tag = formatTag({ event: 'registration', name: model, version });
  let commit: string;
  try {
    commit = await resolveRef(octokit, owner, repo, `tags/${tag}`);
  } catch (error) {
    if (!isUserError(error)) throw error;
    throw new UserError(
      `${model} ${version} has no registration tag ${tag} in ${owner}/${repo}, so there is no evaluation record to check the model against; register the version (git tag ${tag}) before deploying it.`,
      { cause: error },
    );
  }
  requireRunCommit(options.runOn, { model, version, tag, commit });
  const { record, ignored } = await readRecordOnCommit(octokit, {
    owner,
    repo,
    sha: commit,
    model,
    trustedApps: trustedApps(config),
    logger,
  });
  const why = ignored.length > 0 ? ` (${ignored.map((run) => run.message).join('; ')})` : '';
  if (!record) {
    throw new UserError(
      `${model} ${version} (commit ${commit.slice(0, 7)}) has no "cairn: ${model}" evaluation record from a trusted source${why}; evaluate that commit before deploying it.`,
    );
  }
  const sha256 = record.report.model?.sha256;
  if (!sha256)
    throw new UserError(
      `the evaluation record of ${model} ${version} (${record.checkRun.url}) names no model sha256; evaluate the commit again with a current Cairn.`,
    );
  return { sha256, commit, recordUrl: record.checkRun.url };
}

/** Fails the deploy when the version is not the one registered at the run's commit, the one the protection rule approved. */
function requireRunCommit(
  runOn: RunCommit,
  version: { model: string; version: string; tag: string; commit: string },
): void {
  if (version.commit === runOn.sha) return;
  const on = runOn.ref
    ? `${runOn.ref.replace(/^refs\/(heads|tags)\//, '')} (commit ${runOn.sha.slice(0, 7)})`
    : `commit ${runOn.sha.slice(0, 7)}`;
  throw new UserError(
    `refusing to deploy ${version.model} ${version.version}: it is registered at commit ${version.commit.slice(0, 7)} (tag ${version.tag}), but this run is on ${on}, ` +
      `and the deployment the stage's protection rule checks is of the version registered at the run's commit. ` +
      `Run the deploy workflow on ${version.tag} or on an assignment tag of it (as Cairn dispatches it for \`/cairn promote ${version.model}@${version.version} to <stage>\`). ` +
      "With deploy.ref set to a branch in .github/cairn.yml, only the version registered at that branch's head can deploy; remove deploy.ref to dispatch from the assignment tag.",
  );
}

/** Fails the deploy when the file to ship is not the one the record evaluated. */
export function requireEvaluatedBytes(
  evaluated: EvaluatedModel,
  shipped: { name: string; version: string; sha256: string; where: string },
): void {
  if (shipped.sha256 === evaluated.sha256) return;
  throw new UserError(
    `refusing to deploy ${shipped.name} ${shipped.version}: the model in ${shipped.where} has sha256 ${shipped.sha256}, but the evaluated model had ${evaluated.sha256} (${evaluated.recordUrl}). ` +
      'Push exactly the file that was evaluated (`cairn push --model` in the job that evaluates it), then deploy again.',
  );
}
