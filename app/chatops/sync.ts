/**
 * `/cairn sync`: honours the registry tags that arrived without a push event (GitHub sends none
 * when more than three tags are pushed at once), and only those: a tag whose pusher is known stands
 * on their level, and one whose check failed for another reason is pushed again (a new tag object,
 * judged afresh). The commenter stands in for the unknown pusher: each tag they have the level for is
 * acted on as a push by them would be (an assignment dispatches its deploy); the others stay not
 * honoured, and the reply says which and what level they need.
 */
import { meetsLevel } from '../../core/config/index.ts';
import { isUserError } from '../../core/errors.ts';
import type { AnnotatedTag } from '../../core/registry/index.ts';
import { code, inert } from '../../core/report/index.ts';
import { appIdentity } from '../app-identity.ts';
import { MISSED_PER_LOAD } from '../missed-tags.ts';
import { userPermission } from '../permission.ts';
import { findRegistryCheck, finishRegistryCheck } from '../registry-check.ts';
import { refreshRegistryIssue } from '../registry-issue.ts';
import { honouredView, latestView, loadRegistry } from '../registry-source.ts';
import type { HandlerContext } from '../runtime.ts';
import { handleRegistryTag, type Authoriser } from '../tag-push.ts';
import { awaitsSync, parses, pushedTag, readVerdict, verdictKey, verdictMarker } from '../tag-verdict.ts';
import type { CommandRequest, CommandResult } from './request.ts';

export async function runSync(ctx: HandlerContext, request: CommandRequest): Promise<CommandResult> {
  const { octokit, target, runtime } = ctx;
  // No grace: the commenter says these tags have no push coming. Tags already known to await a
  // sync are looked up first (their commits may hold newer checks).
  const known = (tag: AnnotatedTag) => (awaitsSync(runtime.tagVerdicts.get(verdictKey(target.fullName, tag))) ? 1 : 0);
  const loaded = await loadRegistry(ctx, { missedTagGraceMs: 0, about: known });
  const waiting = loaded.tags
    .filter((tag) => awaitsSync(loaded.verdictOf(tag)) && parses(tag.tag))
    .sort((a, b) => Date.parse(a.taggedAt) - Date.parse(b.taggedAt)) // oldest first: a registration before its assignment
    .slice(0, MISSED_PER_LOAD);
  if (waiting.length === 0)
    return { outcome: 'answered', body: 'Nothing to sync: every registry tag has been judged on its push.' };

  const permission = await userPermission(octokit, target, request.commenter);
  const identity = await appIdentity(ctx);
  let needed = ''; // the level the tag being judged asked for, for the reply
  const authoriser: Authoriser = async (_config, required) => {
    needed = `${code(required.level)}${required.key ? ` (${code(required.key)})` : ''}`;
    const ok = meetsLevel(permission, required.level);
    return {
      by: request.commenter,
      auth: ok ? { ok, as: 'user', permission } : { ok, why: `they have ${code(permission)}`, permission },
    };
  };
  const honoured: string[] = [];
  const refused: string[] = [];
  let stages: string[] | undefined;
  for (const tag of waiting) {
    await runtime.guard.exclusive(`tag:${target.fullName}:${tag.tag}`, async () => {
      const pushed = pushedTag(tag);
      const check = await findRegistryCheck(octokit, target, pushed, identity.id);
      if (!check || !awaitsSync(readVerdict(check, identity.botLogin))) return; // judged meanwhile
      let judged;
      try {
        judged = await handleRegistryTag(ctx, tag, honouredView(ctx, loaded), authoriser);
      } catch (error) {
        if (!isUserError(error)) throw error;
        refused.push(`${code(tag.tag)}: ${inert(error.message.split('\n')[0])}`);
        return;
      }
      stages = judged.stages;
      if (!judged.verdict.honoured) {
        refused.push(`${code(tag.tag)} needs ${needed}`);
        return; // its check keeps saying why: someone with the level may still sync it
      }
      const note = `\n\nHonoured by ${code(`/cairn sync`)} from ${code(request.commenter)}: ${request.commentUrl}`;
      await finishRegistryCheck(
        octokit,
        target,
        check.id,
        {
          ...judged.outcome,
          summary: `${judged.outcome.summary}${note}`,
          verdictLine: verdictMarker(judged.verdict, pushed.object),
        },
        runtime.now(),
      );
      runtime.tagVerdicts.set(verdictKey(target.fullName, tag), judged.verdict);
      honoured.push(`${code(tag.tag)}: ${judged.outcome.title}`);
    });
  }
  if (honoured.length > 0)
    await refreshRegistryIssue(ctx, { registry: latestView(ctx, loaded), stages, logger: ctx.logger });
  const lines = [
    ...(honoured.length > 0
      ? [
          `✅ Honoured ${honoured.length} tag${honoured.length === 1 ? '' : 's'} that arrived without a push event:`,
          '',
          ...honoured.map((h) => `- ${h}`),
        ]
      : []),
    ...(refused.length > 0
      ? [
          ...(honoured.length > 0 ? [''] : []),
          `🚫 Still not honoured (you have ${code(permission)}):`,
          '',
          ...refused.map((r) => `- ${r}`),
        ]
      : []),
  ];
  if (lines.length === 0) return { outcome: 'answered', body: 'Nothing to sync: the tags were judged meanwhile.' };
  return { outcome: honoured.length > 0 ? 'done' : 'refused', body: lines.join('\n') };
}
