/**
 * A tag was pushed. Registry tags are checked and acted on, with the verdict in a `cairn registry`
 * check run on the tagged commit:
 *   invalid tag, lightweight tag, unknown model or stage, bad config -> failed check, nothing else;
 *   registration -> a GitHub Release whose notes are the model card and metrics of the commit's record;
 *   assignment   -> the stage's deploy workflow dispatched from the assignment tag;
 *   other events -> recorded.
 * Every registry change refreshes the "Model registry" issue.
 */
import semver from 'semver';
import { trustedApps, type ModelConfig, type RepoConfig } from '../core/config/index.ts';
import { isUserError } from '../core/errors.ts';
import { readRecordOnCommit } from '../core/github/commit-record.ts';
import { dispatchWorkflow } from '../core/github/dispatch.ts';
import type { GitHubClient } from '../core/github/octokit.ts';
import { ensureRelease } from '../core/github/releases.ts';
import type { Logger } from '../core/logger.ts';
import { findTagEvent, isRegistryTag, isVersion, parseTag, tagFromRef, type AnnotatedTag, type ParsedTag } from '../core/registry/index.ts';
import { renderReleaseNotes } from '../core/report/release-notes.ts';
import { abandonRegistryCheck, findRegistryCheck, finishRegistryCheck, startRegistryCheck, type RegistryCheckOutcome } from './registry-check.ts';
import { refreshRegistryIssue } from './registry-issue.ts';
import { deployWorkflow, loadRegistry, requireConfig, requireModel, requireStage, type LoadedRegistry } from './registry-source.ts';
import type { PushPayload } from './payloads.ts';
import type { AppRuntime, HandlerContext, RepoTarget } from './runtime.ts';

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function tagUrl(target: RepoTarget, tag: string): string {
  return `${target.htmlUrl}/releases/tag/${encodeURIComponent(tag)}`;
}

export async function onTagPush(payload: PushPayload, ctx: HandlerContext): Promise<void> {
  const tag = tagFromRef(payload.ref);
  if (tag === undefined || !isRegistryTag(tag)) return; // branches and other people's tags (v1.0.0)
  const { octokit, target, runtime, logger } = ctx;
  if (payload.deleted) {
    // Deleting a tag changes the registry too (GTO reads whatever tags exist).
    const registry = await loadRegistry(ctx);
    await refreshRegistryIssue(octokit, target, runtime, { registry, logger });
    return;
  }
  await runtime.guard.exclusive(`tag:${target.fullName}:${tag}`, async () => {
    // The tag as the tag list has it: the list is needed anyway, and a tag's own ref is in it.
    const loaded = await loadRegistry(ctx);
    const annotated = loaded.tags.find((t) => t.tag === tag);
    const found = annotated ?? loaded.lightweight.find((t) => t.tag === tag);
    if (!found) {
      logger.info(`tag ${tag} no longer exists in ${target.fullName}; nothing to do`);
      return;
    }
    const sha = found.sha;
    if (await findRegistryCheck(octokit, target, sha, tag)) {
      logger.info(`tag ${tag} was handled already (its "cairn registry" check run exists); skipping`);
      return;
    }
    const checkId = await startRegistryCheck(octokit, target, sha, tag, tagUrl(target, tag));
    let outcome: RegistryCheckOutcome;
    let registry: LoadedRegistry | undefined;
    try {
      if (!annotated) {
        outcome = failed(`${tag} is a lightweight tag`, lightweightHelp(tag));
      } else {
        registry = loaded;
        outcome = await handleRegistryTag(ctx, annotated, registry);
      }
    } catch (error) {
      if (isUserError(error)) {
        outcome = failed(`${tag}: ${firstLine(error.message)}`, error.message);
      } else {
        logger.error(`handling tag ${tag} failed: ${(error as Error).stack ?? String(error)}`);
        await abandonRegistryCheck(octokit, target, checkId, tag, (error as Error).message, runtime.now());
        throw error;
      }
    }
    await finishRegistryCheck(octokit, target, checkId, outcome, runtime.now());
    if (registry) {
      const stages = await stageOrder(octokit, target, runtime, logger);
      await refreshRegistryIssue(octokit, target, runtime, { registry, stages, logger });
    }
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

function failed(title: string, summary: string): RegistryCheckOutcome {
  return { conclusion: 'failure', title, summary };
}

function lightweightHelp(tag: string): string {
  return [
    `${code(tag)} points straight at a commit: it is a lightweight tag, and the registry counts only annotated tags (as GTO does), because they record who tagged and when.`,
    '',
    'Replace it with an annotated tag:',
    '',
    '```sh',
    `git push --delete origin '${tag}'`,
    `git tag -a '${tag}' -m 'why' <commit> && git push origin '${tag}'`,
    '```',
  ].join('\n');
}

/** Stage columns for the registry issue, from the default branch's config; a broken config just leaves the order alphabetical. */
async function stageOrder(octokit: GitHubClient, target: RepoTarget, runtime: AppRuntime, logger: Logger): Promise<string[] | undefined> {
  try {
    return Object.keys((await requireConfig(octokit, target, target.defaultBranch, runtime)).stages);
  } catch (error) {
    if (!isUserError(error)) throw error;
    logger.warn(`registry issue: ${firstLine(error.message)}`);
    return undefined;
  }
}

async function handleRegistryTag(ctx: HandlerContext, tag: AnnotatedTag, registry: LoadedRegistry): Promise<RegistryCheckOutcome> {
  const { octokit, target } = ctx;
  const parsed = parseTag(tag.tag); // InvalidTagError is a UserError: the check explains the grammar
  // The config of the tagged commit: the one the model was built and evaluated with.
  const config = await requireConfig(octokit, target, tag.sha, ctx.runtime);
  const model = requireModel(config, parsed.name);
  if (parsed.stage !== undefined) requireStage(config, parsed.stage);

  switch (parsed.event) {
    case 'registration':
      return register(ctx, tag, parsed, model);
    case 'assignment':
      return assign(ctx, tag, parsed, registry, config);
    default: {
      const what = { deregistration: `Deregistered ${parsed.name} ${parsed.version}`, unassignment: `Unassigned ${parsed.name} from ${parsed.stage}`, deprecation: `Deprecated ${parsed.name}` }[parsed.event];
      return { conclusion: 'success', title: what, summary: `${what} by tag ${code(tag.tag)} on commit ${code(tag.sha.slice(0, 7))}. The registry issue shows the new state.` };
    }
  }
}

async function register(ctx: HandlerContext, tag: AnnotatedTag, parsed: ParsedTag, model: ModelConfig): Promise<RegistryCheckOutcome> {
  const { octokit, target, logger } = ctx;
  const version = parsed.version as string;
  // Who may leave evidence is the default branch's call, never the tagged commit's.
  const trusted = trustedApps(await requireConfig(octokit, target, target.defaultBranch, ctx.runtime));
  const { record, ignored } = await readRecordOnCommit(octokit, { owner: target.owner, repo: target.repo, sha: tag.sha, model: parsed.name, trustedApps: trusted, logger });
  const notes = renderReleaseNotes({ model: parsed.name, version, tag: tag.tag, sha: tag.sha, report: record?.report, recordUrl: record?.checkRun.url, config: model, ignored: ignored.map((run) => run.message) });
  const release = await ensureRelease(octokit, {
    owner: target.owner,
    repo: target.repo,
    tag: tag.tag,
    name: `${parsed.name} ${version}`,
    body: notes,
    prerelease: semver.prerelease(version.slice(1)) !== null,
  });
  const verdict = record ? (record.report.gate ? (record.report.gate.passed ? 'gate passed' : 'gate failed') : 'no gate') : 'no evaluation record';
  return {
    conclusion: 'success',
    title: `Registered ${parsed.name} ${version} (${verdict})`,
    summary: [
      `Registered ${code(`${parsed.name}@${version}`)} on commit ${code(tag.sha.slice(0, 7))}; release: ${release.url}${release.action === 'exists' ? ' (it existed already and was left as is)' : ''}.`,
      record ? '' : `\nThis commit has no ${code(`cairn: ${parsed.name}`)} evaluation record, so the release has no metrics, and Cairn's deployment protection rule will reject this version.`,
    ].join(''),
  };
}

async function assign(ctx: HandlerContext, tag: AnnotatedTag, parsed: ParsedTag, registry: LoadedRegistry, config: RepoConfig): Promise<RegistryCheckOutcome> {
  const { octokit, target } = ctx;
  const stage = parsed.stage as string;
  const event = findTagEvent(registry.state, tag.tag);
  const version = event?.version;
  if (!version || !isVersion(version)) {
    return failed(
      `${tag.tag}: commit ${tag.sha.slice(0, 7)} has no registered version of ${parsed.name}`,
      `${code(tag.tag)} assigns ${stage} to commit ${code(tag.sha.slice(0, 7))}, which has no registered version of ${parsed.name}, so there is nothing to deploy. Register the commit first (${code(`${parsed.name}@vX.Y.Z`)}) and assign again, or use ${code(`/cairn promote ${parsed.name}@vX.Y.Z to ${stage}`)}.`,
    );
  }
  const workflow = deployWorkflow(config, stage);
  if (!workflow) {
    return {
      conclusion: 'neutral',
      title: `Assigned ${parsed.name} ${version} to ${stage} (no deploy workflow)`,
      summary: `Recorded: ${code(`${parsed.name}@${version}`)} is in ${stage}. Nothing was dispatched: set ${code(`stages.${stage}.workflow`)} or ${code('deploy.workflow')} in .github/cairn.yml to deploy on assignment.`,
    };
  }
  // The tag is the ref, so the run (and the deployment it makes) names model, stage and version.
  const ref = config.deploy?.ref ?? tag.tag;
  await dispatchWorkflow(octokit, { owner: target.owner, repo: target.repo, workflow, ref, inputs: { model: parsed.name, version, stage, sha: tag.sha } });
  return {
    conclusion: 'success',
    title: `Dispatched ${workflow} for ${parsed.name} ${version} to ${stage}`,
    summary: `${code(tag.tag)} assigns ${code(`${parsed.name}@${version}`)} (commit ${code(tag.sha.slice(0, 7))}) to ${stage}. Dispatched ${code(workflow)} on ${code(ref)} with inputs model=${parsed.name}, version=${version}, stage=${stage}, sha=${tag.sha}.`,
  };
}
