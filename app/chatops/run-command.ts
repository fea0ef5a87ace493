/**
 * Carries out one `/cairn` command for one commenter: config and permission first, then the
 * registry change planned by core/registry (GTO's rules) and made as annotated tags through the
 * API. The tags record the comment that asked for them (a `Cairn-Request:` line), which makes a
 * redelivered comment find its tags instead of making new ones, and lets the deployment's outcome
 * find its way back to the conversation.
 */
import { meetsLevel, requiredLevel, type RepoConfig, type RequiredLevel } from '../../core/config/index.ts';
import { UserError } from '../../core/errors.ts';
import { createAnnotatedTag, resolveRef } from '../../core/github/index.ts';
import {
  findModel,
  planAssignment,
  planRegistration,
  type AnnotatedTag,
  type PlanContext,
  type PlannedTag,
} from '../../core/registry/index.ts';
import { code, COMMENT_BODY_LIMIT, inert, renderModelsTable } from '../../core/report/index.ts';
import {
  aboutModel,
  deployWorkflow,
  loadRegistry,
  previousHolder,
  requireConfig,
  requireModel,
  requireStage,
  type LoadedRegistry,
} from '../registry-source.ts';
import type { HandlerContext, RepoTarget } from '../runtime.ts';
import type { CommandRequest, CommandResult } from './request.ts';
import { userPermission } from '../permission.ts';
import { pushedByApp } from '../tag-verdict.ts';
import { runSync } from './sync.ts';

/** Room left in a reply for the hidden marker line handle-comment.ts puts first. */
const REPLY_MARKER_ROOM = 100;

/** The line a tag message carries to say which comment asked for it. */
export function requestLine(issueNumber: number, commentId: number): string {
  return `Cairn-Request: issue=${issueNumber} comment=${commentId}`;
}

/** The issue and comment a tag message names, if Cairn made the tag for a comment. */
export function readRequestLine(message: string | undefined): { issueNumber: number; commentId: number } | undefined {
  const match = /^Cairn-Request: issue=(\d+) comment=(\d+)$/m.exec(message ?? '');
  return match ? { issueNumber: Number(match[1]), commentId: Number(match[2]) } : undefined;
}

function tagLink(target: RepoTarget, tag: string): string {
  return `[${code(tag)}](${target.htmlUrl}/releases/tag/${encodeURIComponent(tag)})`;
}

async function requirePermission(
  ctx: HandlerContext,
  request: CommandRequest,
  required: RequiredLevel,
  what: string,
): Promise<CommandResult | undefined> {
  const actual = await userPermission(ctx.octokit, ctx.target, request.commenter);
  if (meetsLevel(actual, required.level)) return undefined;
  return {
    outcome: 'refused',
    // The commenter is mentioned on purpose: the answer is for them.
    body: `🚫 @${request.commenter}, ${inert(what)} needs ${code(required.level)} permission on ${inert(ctx.target.fullName)}${required.key ? ` (${code(required.key)} in .github/cairn.yml)` : ''}; you have ${code(actual)}. Nothing was changed.`,
  };
}

/**
 * Tags made earlier for this very comment (a redelivery, or a retry after a crash). The request
 * line counts only in a tag Cairn's bot pushed, or one whose push is still being judged (Cairn
 * made it moments ago): a line anyone else wrote could otherwise block the command.
 */
function tagsForRequest(registry: LoadedRegistry, request: CommandRequest): AnnotatedTag[] {
  return registry.tags.filter((tag) => {
    const origin = readRequestLine(tag.message);
    if (origin?.commentId !== request.commentId || origin.issueNumber !== request.issueNumber) return false;
    const verdict = registry.verdictOf(tag);
    return verdict === undefined || pushedByApp(verdict);
  });
}

async function createPlanned(ctx: HandlerContext, planned: readonly PlannedTag[]): Promise<void> {
  // In order: a registration before the assignment that needs it.
  for (const tag of planned) {
    await createAnnotatedTag(ctx.octokit, {
      owner: ctx.target.owner,
      repo: ctx.target.repo,
      tag: tag.tag,
      sha: tag.sha,
      message: tag.message,
      cache: ctx.runtime.tagObjects,
    });
  }
}

function planContext(registry: LoadedRegistry, request: CommandRequest, why: string): PlanContext {
  return {
    state: registry.state,
    tagNames: registry.tagNames,
    by: `@${request.commenter}`,
    why: `${why}\n${requestLine(request.issueNumber, request.commentId)}`,
  };
}

function deployNote(config: RepoConfig, stage: string): string {
  const workflow = deployWorkflow(config, stage);
  return workflow
    ? `Cairn dispatches ${code(workflow)} from that tag; the deployment's outcome will be posted here.`
    : `No deploy workflow is configured for ${inert(stage)} (${code(`stages.${stage}.workflow`)} or ${code('deploy.workflow')}), so nothing is deployed.`;
}

function alreadyDone(ctx: HandlerContext, tags: readonly AnnotatedTag[]): CommandResult {
  return {
    outcome: 'done',
    body: `✅ Done earlier for this comment: ${tags.map((t) => tagLink(ctx.target, t.tag)).join(', ')}.`,
  };
}

const USAGE_FOR_HELP = [
  '- `/cairn promote NAME@vX.Y.Z to STAGE` assigns a registered version to a stage (`--force` to re-assign a version that held it before)',
  '- `/cairn register NAME [--bump major|minor|patch | --version vX.Y.Z] [--ref REV]` registers a commit (default: the default branch head)',
  '- `/cairn rollback NAME STAGE` puts back the version that held the stage before',
  '- `/cairn show` shows models, latest versions and stages',
  '- `/cairn sync` honours registry tags that arrived without a push event (more than three pushed at once), those you have the level for',
].join('\n');

export async function runCommand(ctx: HandlerContext, request: CommandRequest): Promise<CommandResult> {
  const { command } = request;
  const { octokit, target } = ctx;
  if (command.kind === 'help') return { outcome: 'answered', body: `Cairn commands:\n\n${USAGE_FOR_HELP}` };

  // Permissions and stages come from the default branch: a pull request cannot grant itself rights.
  const config = await requireConfig(octokit, target, target.defaultBranch, ctx.runtime);

  if (command.kind === 'show') {
    const registry = await loadRegistry(ctx);
    // A registry of thousands of models is more than a comment holds: the table says what it left
    // out, within the limit less room for the reply's marker line.
    return {
      outcome: 'answered',
      body: renderModelsTable(registry.state, Object.keys(config.stages), COMMENT_BODY_LIMIT - REPLY_MARKER_ROOM),
    };
  }

  if (command.kind === 'sync') return runSync(ctx, request);

  requireModel(config, command.name);

  if (command.kind === 'register') {
    const refused = await requirePermission(
      ctx,
      request,
      requiredLevel(config, { event: 'registration' }),
      `registering a version of ${command.name}`,
    );
    if (refused) return refused;
    const registry = await loadRegistry(ctx, { about: aboutModel(command.name) });
    const earlier = tagsForRequest(registry, request);
    if (earlier.length > 0) return alreadyDone(ctx, earlier);
    const sha = await resolveRef(octokit, target.owner, target.repo, command.ref ?? target.defaultBranch);
    const planned = planRegistration(planContext(registry, request, `Requested in ${request.commentUrl}`), {
      name: command.name,
      sha,
      version: command.version,
      bump: command.bump,
    });
    await createPlanned(ctx, planned);
    const [tag] = planned;
    return {
      outcome: 'done',
      body: `✅ Registered ${code(`${command.name}@${tag.event.version}`)} at commit ${code(sha.slice(0, 7))}: created ${tagLink(target, tag.tag)}. Cairn publishes its release with the model card from that commit's evaluation record.`,
    };
  }

  requireStage(config, command.stage);
  const action =
    command.kind === 'promote'
      ? `promoting ${command.name} to ${command.stage}`
      : `rolling back ${command.name} in ${command.stage}`;
  const refused = await requirePermission(
    ctx,
    request,
    requiredLevel(config, { event: 'assignment', stage: command.stage }),
    action,
  );
  if (refused) return refused;
  const version = command.kind === 'promote' ? `${command.name}@${command.version}` : undefined;
  const registry = await loadRegistry(ctx, { about: aboutModel(command.name, (t) => t.tag === version) });
  const earlier = tagsForRequest(registry, request);
  if (earlier.length > 0) return alreadyDone(ctx, earlier);
  const allowedStages = Object.keys(config.stages);

  if (command.kind === 'promote') {
    const planned = planAssignment(planContext(registry, request, `Requested in ${request.commentUrl}`), {
      name: command.name,
      stage: command.stage,
      version: command.version,
      force: command.force,
      allowedStages,
    });
    await createPlanned(ctx, planned);
    const assignment = planned.at(-1) as PlannedTag;
    return {
      outcome: 'done',
      body: `✅ Promoted ${code(`${command.name}@${command.version}`)} to ${code(command.stage)}: created ${tagLink(target, assignment.tag)}. ${deployNote(config, command.stage)}`,
    };
  }

  // rollback
  const model = findModel(registry.state, command.name);
  const holder = model.stages[command.stage];
  if (!holder)
    throw new UserError(`${command.name} has no version in ${command.stage}, so there is nothing to roll back.`);
  const previous = previousHolder(model, command.stage);
  if (!previous)
    throw new UserError(
      `no earlier active version of ${command.name} was in ${command.stage} before ${holder.version}; promote a version instead.`,
    );
  const planned = planAssignment(
    planContext(
      registry,
      request,
      `Rollback of ${command.name} in ${command.stage} from ${holder.version}, requested in ${request.commentUrl}`,
    ),
    {
      name: command.name,
      stage: command.stage,
      version: previous.version,
      force: true,
      allowedStages,
    },
  );
  await createPlanned(ctx, planned);
  const assignment = planned.at(-1) as PlannedTag;
  return {
    outcome: 'done',
    body: `✅ Rolled ${code(command.name)} in ${code(command.stage)} back from ${code(holder.version)} to ${code(previous.version)}: created ${tagLink(target, assignment.tag)}. ${deployNote(config, command.stage)}`,
  };
}
