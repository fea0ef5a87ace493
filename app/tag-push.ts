/**
 * A tag was pushed. Registry tags are checked and acted on, with the verdict in a `cairn registry`
 * check run on the tagged commit:
 *   the tag list shows another object than the push's `after` (re-pushed since) -> nothing: its own push judges it;
 *   pushed by someone without the level the default branch's config asks -> "not honoured", nothing else;
 *   invalid tag, lightweight tag, unknown model or stage, bad config -> failed check, nothing else;
 *   registration -> a GitHub Release whose notes are the model card and metrics of the commit's record;
 *   assignment   -> the stage's deploy workflow dispatched from the assignment tag;
 *   other events -> recorded.
 * Every registry change refreshes the "Model registry" issue.
 */
import semver from 'semver';
import {
  requiredLevel,
  trustedApps,
  type ModelConfig,
  type RepoConfig,
  type RequiredLevel,
} from '../core/config/index.ts';
import { isUserError } from '../core/errors.ts';
import { dispatchWorkflow, ensureRelease, type GitHubClient, readRecordOnCommit } from '../core/github/index.ts';
import type { Logger } from '../core/logger.ts';
import {
  findTagEvent,
  isRegistryTag,
  isVersion,
  parseTag,
  tagFromRef,
  type AnnotatedTag,
  type Assignment,
  type RegistryEvent,
  type Registration,
} from '../core/registry/index.ts';
import { code, inertLines, renderReleaseNotes } from '../core/report/index.ts';
import { appIdentity } from './app-identity.ts';
import { handlingKey } from './missed-tags.ts';
import type { PushPayload } from './payloads.ts';
import { authorise, type Actor, type Authorisation } from './permission.ts';
import {
  abandonRegistryCheck,
  findRegistryCheck,
  finishRegistryCheck,
  startRegistryCheck,
  type PushedTag,
  type RegistryCheckOutcome,
} from './registry-check.ts';
import { refreshRegistryIssue } from './registry-issue.ts';
import {
  aboutTag,
  deployWorkflow,
  honouredView,
  latestView,
  loadRegistry,
  requireConfig,
  requireModel,
  requireStage,
  type LoadedRegistry,
} from './registry-source.ts';
import { parses, pushedTag, readVerdict, verdictKey, verdictMarker } from './tag-verdict.ts';
import type { AppRuntime, HandlerContext, RepoTarget, TagVerdict } from './runtime.ts';

function tagUrl(target: RepoTarget, tag: string): string {
  return `${target.htmlUrl}/releases/tag/${encodeURIComponent(tag)}`;
}

export async function onTagPush(payload: PushPayload, ctx: HandlerContext): Promise<void> {
  const tag = tagFromRef(payload.ref);
  if (tag === undefined || !isRegistryTag(tag)) return; // branches and other people's tags (v1.0.0)
  const { target, runtime, logger } = ctx;
  if (payload.deleted) {
    // Deleting a tag changes the registry too (GTO reads whatever tags exist).
    const registry = await loadRegistry(ctx);
    await refreshRegistryIssue(ctx, { registry, logger });
    return;
  }
  const handling = handlingKey(target.fullName, tag);
  await runtime.guard.exclusive(`tag:${target.fullName}:${tag}`, async () => {
    runtime.handlingTags.add(handling); // no one else in this process calls it missed meanwhile
    try {
      await handlePushedTag(ctx, tag, payload.after, payload.sender);
    } finally {
      runtime.handlingTags.delete(handling);
    }
  });
}

async function handlePushedTag(ctx: HandlerContext, tag: string, after: string, sender: Actor): Promise<void> {
  const { octokit, target, runtime, logger } = ctx;
  // The tag as the tag list has it: the list is needed anyway, and a tag's own ref is in it.
  const loaded = await loadRegistry(ctx, { about: aboutTag(tag) });
  const annotated = loaded.tags.find((t) => t.tag === tag);
  const light = loaded.lightweight.find((t) => t.tag === tag);
  // The verdict belongs to this tag object: the same tag pushed again is a new object, judged afresh.
  const pushed: PushedTag | undefined = annotated
    ? pushedTag(annotated)
    : light && { tag, sha: light.sha, object: light.sha };
  if (!pushed) {
    logger.info(`tag ${tag} no longer exists in ${target.fullName}; nothing to do`);
    return;
  }
  // This push's sender pushed `after` only: a tag deleted and pushed again since (by someone else,
  // maybe) is another object, judged by its own push, or as missed if that push never comes.
  if (pushed.object !== after) {
    logger.info(
      `tag ${tag} in ${target.fullName} is object ${pushed.object.slice(0, 7)} now, not ${after.slice(0, 7)} as pushed; its own push judges it`,
    );
    return;
  }
  const identity = await appIdentity(ctx);
  const existing = await findRegistryCheck(octokit, target, pushed, identity.id);
  if (existing) {
    const verdict = readVerdict(existing, identity.botLogin);
    if (verdict && annotated) runtime.tagVerdicts.set(verdictKey(target.fullName, pushed), verdict);
    logger.info(
      `tag ${tag} (object ${pushed.object.slice(0, 7)}) was handled already (its "cairn registry" check run exists); skipping`,
    );
    return;
  }
  const checkId = await startRegistryCheck(octokit, target, pushed, tagUrl(target, tag));
  // Stopped before the permission was decided: the pusher is known, and pushing the tag again is judged afresh.
  const undecided: TagVerdict = { honoured: false, reason: 'undecided', by: sender.login };
  let judged: Judged;
  try {
    judged = annotated
      ? await handleRegistryTag(ctx, annotated, loaded, pusherAuthoriser(ctx, sender))
      : { outcome: failed(`${tag} is a lightweight tag`, lightweightHelp(tag)), verdict: undecided };
  } catch (error) {
    if (!isUserError(error)) {
      logger.error(`handling tag ${tag} failed: ${(error as Error).stack ?? String(error)}`);
      await abandonRegistryCheck(octokit, target, checkId, pushed, (error as Error).message, runtime.now());
      throw error;
    }
    const help = parses(tag) ? `\n\n${pushAgainHelp(tag)}` : ''; // a tag that does not parse is fixed by another name
    judged = {
      outcome: failed(`${tag}: ${firstLine(error.message)}`, `${inertLines(error.message)}${help}`),
      verdict: undecided,
    };
  }
  await finishRegistryCheck(
    octokit,
    target,
    checkId,
    { ...judged.outcome, verdictLine: verdictMarker(judged.verdict, pushed.object) },
    runtime.now(),
  );
  if (annotated) {
    runtime.tagVerdicts.set(verdictKey(target.fullName, pushed), judged.verdict);
    const registry = latestView(ctx, loaded);
    await refreshRegistryIssue(ctx, {
      registry,
      stages: judged.stages ?? (await stageOrder(octokit, target, runtime, logger)),
      logger,
    });
  }
}

/** A tag that failed before its permission was decided is not acted on later: a new push of it is. */
function pushAgainHelp(tag: string): string {
  return [
    `Cairn did not act on this tag, and will not act on it later (${code('/cairn sync')} honours only tags that arrived without a push event). Once the cause is fixed, tag the commit again and push: the new tag is judged afresh.`,
    '',
    '```sh',
    `git push --delete origin ${shellQuote(tag)}`,
    `git tag -f -a ${shellQuote(tag)} -m 'why' <commit> && git push origin ${shellQuote(tag)}`,
    '```',
  ].join('\n');
}

/** A tag name as one single-quoted shell word (git allows `'` in a tag name). */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The push's sender, judged by the default branch's config: the person's level, the app's bot, a trusted bot. */
function pusherAuthoriser(ctx: HandlerContext, sender: Actor): Authoriser {
  return async (config, required) => ({
    auth: await authorise(ctx, config, sender, required, { trustBots: true }),
    by: sender.login,
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
    `git push --delete origin ${shellQuote(tag)}`,
    `git tag -a ${shellQuote(tag)} -m 'why' <commit> && git push origin ${shellQuote(tag)}`,
    '```',
  ].join('\n');
}

/** Stage columns for the registry issue, from the default branch's config; a broken config just leaves the order alphabetical. */
async function stageOrder(
  octokit: GitHubClient,
  target: RepoTarget,
  runtime: AppRuntime,
  logger: Logger,
): Promise<string[] | undefined> {
  try {
    return Object.keys((await requireConfig(octokit, target, target.defaultBranch, runtime)).stages);
  } catch (error) {
    if (!isUserError(error)) throw error;
    logger.warn(`registry issue: ${firstLine(error.message)}`);
    return undefined;
  }
}

/** How a tag's change is authorised: the pusher's level (a push) or the commenter's (`/cairn sync`). */
export type Authoriser = (config: RepoConfig, required: RequiredLevel) => Promise<{ auth: Authorisation; by: string }>;

export interface Judged {
  outcome: RegistryCheckOutcome;
  verdict: TagVerdict;
  /** The stage order of the default branch's config, when it was read. */
  stages?: string[];
}

const CHANGE: Record<RegistryEvent, string> = {
  registration: 'registering a version',
  deregistration: 'deregistering a version',
  assignment: 'assigning a stage',
  unassignment: 'unassigning a stage',
  deprecation: 'deprecating a model',
};

/**
 * Judges one registry tag and acts on it. Every value that decides anything (stages, levels,
 * workflows, `deploy.ref`) comes from the default branch's config, never the tagged commit's: a
 * commit cannot lower the level needed to deploy itself. An unauthorised tag is not deleted (it is
 * someone's git history); the app acts as if it were not there.
 */
export async function handleRegistryTag(
  ctx: HandlerContext,
  tag: AnnotatedTag,
  registry: LoadedRegistry,
  authoriser: Authoriser,
): Promise<Judged> {
  const { octokit, target } = ctx;
  const parsed = parseTag(tag.tag); // InvalidTagError is a UserError: the check explains the grammar
  const config = await requireConfig(octokit, target, target.defaultBranch, ctx.runtime);
  const stages = Object.keys(config.stages);
  // A model or stage the default branch does not configure is refused before anyone's level is asked.
  const model = requireModel(config, parsed.name);
  if (parsed.stage !== undefined) requireStage(config, parsed.stage);
  const required = requiredLevel(config, parsed);
  const { auth, by } = await authoriser(config, required);
  if (!auth.ok) {
    const change = parsed.stage !== undefined ? `${CHANGE[parsed.event]} (${parsed.stage})` : CHANGE[parsed.event];
    return {
      stages,
      verdict: { honoured: false, reason: 'unauthorised', by },
      outcome: failed(
        `Not honoured: ${tag.tag} was pushed by ${by}, who may not make this change`,
        [
          `${code(tag.tag)} means ${change}, which needs ${code(required.level)} permission on ${target.fullName}${required.key ? ` (${code(required.key)} in .github/cairn.yml on ${code(target.defaultBranch)})` : ''}. It was pushed by ${code(by)}, and ${auth.why}.`,
          '',
          `Cairn did not act on it: nothing was dispatched, and the registry leaves the tag out. The tag itself stays in git; delete it if it was a mistake. Someone with ${code(required.level)} or higher can make the change: delete the tag, tag the commit again and push it (a new tag object, judged afresh), or use a ${code('/cairn')} command.`,
        ].join('\n'),
      ),
    };
  }
  const verdict: TagVerdict = { honoured: true, by, byApp: auth.as === 'app' };
  try {
    // This tag counts in the state it is judged in: an assignment finds its version through it.
    const counted = honouredView(ctx, registry, [tag.tag]);
    switch (parsed.event) {
      case 'registration':
        return { stages, verdict, outcome: await register(ctx, tag, parsed, model, config) };
      case 'assignment':
        return { stages, verdict, outcome: await assign(ctx, tag, parsed, counted, config) };
      default: {
        const what = {
          deregistration: `Deregistered ${parsed.name} ${parsed.version}`,
          unassignment: `Unassigned ${parsed.name} from ${parsed.stage}`,
          deprecation: `Deprecated ${parsed.name}`,
        }[parsed.event];
        return {
          stages,
          verdict,
          outcome: {
            conclusion: 'success',
            title: what,
            summary: `${what} by tag ${code(tag.tag)} on commit ${code(tag.sha.slice(0, 7))}. The registry issue shows the new state.`,
          },
        };
      }
    }
  } catch (error) {
    // The pusher had the level: the tag counts (as GTO counts it) even though acting on it failed.
    if (!isUserError(error)) throw error;
    return { stages, verdict, outcome: failed(`${tag.tag}: ${firstLine(error.message)}`, inertLines(error.message)) };
  }
}

async function register(
  ctx: HandlerContext,
  tag: AnnotatedTag,
  parsed: Registration,
  model: ModelConfig,
  config: RepoConfig,
): Promise<RegistryCheckOutcome> {
  const { octokit, target, logger } = ctx;
  const { version } = parsed;
  // Who may leave evidence is the default branch's call (`config`, read once per push), never the tagged commit's.
  const trusted = trustedApps(config);
  const { record, ignored } = await readRecordOnCommit(octokit, {
    owner: target.owner,
    repo: target.repo,
    sha: tag.sha,
    model: parsed.name,
    trustedApps: trusted,
    logger,
  });
  const notes = renderReleaseNotes({
    model: parsed.name,
    version,
    tag: tag.tag,
    sha: tag.sha,
    report: record?.report,
    recordUrl: record?.checkRun.url,
    config: model,
    ignored: ignored.map((run) => run.message),
  });
  const release = await ensureRelease(octokit, {
    owner: target.owner,
    repo: target.repo,
    tag: tag.tag,
    name: `${parsed.name} ${version}`,
    body: notes,
    prerelease: semver.prerelease(version.slice(1)) !== null,
  });
  const verdict = record
    ? record.report.gate
      ? record.report.gate.passed
        ? 'gate passed'
        : 'gate failed'
      : 'no gate'
    : 'no evaluation record';
  return {
    conclusion: 'success',
    title: `Registered ${parsed.name} ${version} (${verdict})`,
    summary: [
      `Registered ${code(`${parsed.name}@${version}`)} on commit ${code(tag.sha.slice(0, 7))}; release: ${release.url}${release.action === 'exists' ? ' (it existed already and was left as is)' : ''}.`,
      record
        ? ''
        : `\nThis commit has no ${code(`cairn: ${parsed.name}`)} evaluation record, so the release has no metrics, and Cairn's deployment protection rule will reject this version.`,
    ].join(''),
  };
}

async function assign(
  ctx: HandlerContext,
  tag: AnnotatedTag,
  parsed: Assignment,
  registry: LoadedRegistry,
  config: RepoConfig,
): Promise<RegistryCheckOutcome> {
  const { octokit, target } = ctx;
  const { stage } = parsed;
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
  await dispatchWorkflow(octokit, {
    owner: target.owner,
    repo: target.repo,
    workflow,
    ref,
    inputs: { model: parsed.name, version, stage, sha: tag.sha },
  });
  return {
    conclusion: 'success',
    title: `Dispatched ${workflow} for ${parsed.name} ${version} to ${stage}`,
    summary: `${code(tag.tag)} assigns ${code(`${parsed.name}@${version}`)} (commit ${code(tag.sha.slice(0, 7))}) to ${stage}. Dispatched ${code(workflow)} on ${code(ref)} with inputs model=${parsed.name}, version=${version}, stage=${stage}, sha=${tag.sha}.`,
  };
}
