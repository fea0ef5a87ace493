/**
 * Every registry tag gets a verdict, even one GitHub sent no push for (it sends none when more than
 * three tags are pushed at once). A tag object this process has not judged yet is looked up in the
 * `cairn registry` checks on its commit (one request per commit, once per process); a tag with no
 * check after the grace period its push had to arrive is missed: its pusher is unknown, so it gets
 * a check saying it is not honoured, newest first, at most MISSED_PER_LOAD per load, until
 * `/cairn sync` by someone with the level honours it (app/chatops/sync.ts).
 *
 * Lookups are bounded too: at most LOOKUPS_PER_LOAD commits per load, the tags the event is about
 * first, then the newest. A registry of thousands of tagged commits is judged over several loads
 * after a restart instead of costing thousands of requests at once (GitHub allows an installation
 * 5,000 an hour); meanwhile the tags not judged yet stay out of the registry, as any tag without a
 * verdict does.
 */
import pLimit from 'p-limit';
import type { AnnotatedTag } from '../core/registry/index.ts';
import { code } from '../core/report/index.ts';
import { appIdentity } from './app-identity.ts';
import { createMissedTagCheck, registryChecksOn, runForTag } from './registry-check.ts';
import type { HandlerContext, RawRegistry, TagVerdict } from './runtime.ts';
import { pushedTag, readVerdict, verdictKey, verdictMarker } from './tag-verdict.ts';

export const MISSED_PER_LOAD = 20;

/** Tagged commits whose checks one load looks up, at most. */
export const LOOKUPS_PER_LOAD = 50;

export const NO_PUSH_EVENT: TagVerdict = { honoured: false, reason: 'no-push-event' };

export function handlingKey(fullName: string, tag: string): string {
  return `${fullName.toLowerCase()}:${tag}`;
}

function missedSummary(tag: string): string {
  return [
    `GitHub sent no push event for ${code(tag)} (it sends none when more than three tags are pushed at once), so Cairn cannot tell who pushed it, and does not honour it: nothing was dispatched, and the registry leaves the tag out.`,
    '',
    `Someone with the level the tag needs can honour it with a comment ${code('/cairn sync')} on any issue: Cairn then acts on it as if they had pushed it. Push at most three registry tags at a time to avoid this.`,
  ].join('\n');
}

/**
 * Fills the runtime's verdicts for the tags of `raw` not judged yet in this process, within the
 * bound: the commits of tags `about` picks (those the event needs) first, then the newest.
 */
export async function judgeTags(
  ctx: HandlerContext,
  raw: RawRegistry,
  graceMs: number,
  about: (tag: AnnotatedTag) => number = () => 0,
): Promise<void> {
  const { runtime, target } = ctx;
  // A tag found without a verdict is looked up again only once its grace period is over: until
  // then its push is most likely on the way, and it costs one request per commit, not one per load.
  const now = runtime.now().getTime();
  const waiting = (t: AnnotatedTag) => {
    const first = runtime.tagFirstSeen.get(verdictKey(target.fullName, t));
    return first !== undefined && now - first < graceMs;
  };
  const unjudged = () =>
    raw.tags.filter(
      (t) =>
        !runtime.tagVerdicts.has(verdictKey(target.fullName, t)) &&
        !runtime.handlingTags.has(handlingKey(target.fullName, t.tag)) &&
        !waiting(t),
    );
  if (unjudged().length === 0) return; // a warm process: no request
  // One judge per repository at a time, so two deliveries never both call the same tag missed.
  await runtime.guard.exclusive(`verdicts:${target.fullName.toLowerCase()}`, async () => {
    const tags = unjudged();
    if (tags.length === 0) return;
    const identity = await appIdentity(ctx);
    // A commit ranks as the tag on it the event needs most, counting every tag (the one whose push
    // is being handled too: its commit holds the version it assigns); then the newest first.
    const rank = new Map<string, number>();
    for (const tag of raw.tags) rank.set(tag.sha, Math.max(rank.get(tag.sha) ?? 0, about(tag)));
    tags.sort(
      (a, b) => (rank.get(b.sha) ?? 0) - (rank.get(a.sha) ?? 0) || Date.parse(b.taggedAt) - Date.parse(a.taggedAt),
    );
    const byCommit = new Map<string, AnnotatedTag[]>();
    for (const tag of tags) {
      const onCommit = byCommit.get(tag.sha);
      if (onCommit) onCommit.push(tag);
      else if (byCommit.size < LOOKUPS_PER_LOAD) byCommit.set(tag.sha, [tag]);
    }
    const missing: AnnotatedTag[] = [];
    const limit = pLimit(8);
    await Promise.all(
      [...byCommit].map(([sha, onCommit]) =>
        limit(async () => {
          const runs = await registryChecksOn(ctx.octokit, target, sha, identity.id);
          for (const tag of onCommit) {
            const run = runForTag(runs, pushedTag(tag));
            const verdict = run && readVerdict(run, identity.botLogin);
            const key = verdictKey(target.fullName, tag);
            if (verdict) {
              runtime.tagVerdicts.set(key, verdict);
              continue;
            }
            if (!runtime.tagFirstSeen.has(key)) runtime.tagFirstSeen.set(key, now);
            if (!run && !runForTag(runs, pushedTag(tag), { retries: true })) missing.push(tag); // a retry or a run in progress is on its way
          }
        }),
      ),
    );
    const overdue = missing.filter(
      (tag) => now - (runtime.tagFirstSeen.get(verdictKey(target.fullName, tag)) ?? now) >= graceMs,
    );
    overdue.sort((a, b) => Date.parse(b.taggedAt) - Date.parse(a.taggedAt));
    for (const tag of overdue.slice(0, MISSED_PER_LOAD)) {
      const url = `${target.htmlUrl}/releases/tag/${encodeURIComponent(tag.tag)}`;
      const pushed = pushedTag(tag);
      await createMissedTagCheck(
        ctx.octokit,
        target,
        pushed,
        url,
        `${missedSummary(tag.tag)}\n\n${verdictMarker(NO_PUSH_EVENT, pushed.object)}`,
        new Date(now),
      );
      runtime.tagVerdicts.set(verdictKey(target.fullName, tag), NO_PUSH_EVENT);
      ctx.logger.warn(
        `${target.fullName}: tag ${tag.tag} arrived without a push event; it is not honoured until /cairn sync`,
      );
    }
  });
}
