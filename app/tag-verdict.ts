/**
 * Whether a registry tag was honoured: the app's answer to "did someone with the level push it?".
 * The answer belongs to one tag OBJECT (the tag name, its commit, and the object the ref points at):
 * the same tag pushed again, even on the same commit, is a new object with a new pusher, judged
 * afresh, and never inherits an older object's verdict.
 * GitHub keeps the answer: the `cairn registry` check run the app wrote for the tag object carries
 * it in the summary's last line (with the object's SHA), so a restarted process (or another
 * instance) reads the same verdict. Only runs the app wrote itself count; a check run anyone else
 * made with that name is ignored.
 *
 *   honoured         the pusher (a person with the level, the app's bot, a trusted bot) or a
 *                    `/cairn sync` by someone with the level stood behind it
 *   unauthorised     the pusher lacked the level: the tag stays, but the registry leaves it out
 *   no-push-event    GitHub sent no push (more than three tags pushed at once): pusher unknown;
 *                    the only verdict `/cairn sync` acts on
 *   undecided        the check stopped before the permission was decided (a broken config, an
 *                    unknown model, a lightweight tag): pushing the tag again is judged afresh
 *   earlier-failure  a check from a release before verdicts were recorded that failed: as then,
 *                    the tag does not count; pushing it again is judged afresh
 *
 * A check from such an earlier release that did not fail counts as honoured, as it did then (by
 * nobody known, so its `Cairn-Request:` line is not Cairn's). Tags without a verdict yet (their
 * push is being handled, or they were not looked up yet) are left out of the registry too.
 */
import { parseTag, type AnnotatedTag } from '../core/registry/index.ts';
import type { NotHonouredTag } from '../core/report/index.ts';
import type { PushedTag, RegistryCheckRun } from './registry-check.ts';
import type { NotHonouredReason, TagVerdict } from './runtime.ts';

/** The verdict line; only the summary's last line is read, so text above it (a quoted error, say) cannot pose as one. */
const MARKER =
  /^<!-- cairn:tag-verdict (honoured|unauthorised|no-push-event|undecided) object=([0-9a-f]{40}|[0-9a-f]{64})(?: by=(\S+))? -->$/;

/** The hidden line a check summary ends with. Logins are GitHub's (`[A-Za-z0-9-]`, `[bot]`). */
export function verdictMarker(verdict: TagVerdict, object: string): string {
  const kind = verdict.honoured ? 'honoured' : verdict.reason;
  const by = verdict.by && /^[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?$/.test(verdict.by) ? ` by=${verdict.by}` : '';
  return `<!-- cairn:tag-verdict ${kind} object=${object}${by} -->`;
}

/**
 * The verdict a completed run of the app's records for its tag object; undefined while it is in
 * progress. A run from before objects were recorded holds the answer of that release: it honoured
 * every tag it did not fail (registry-check.ts's `runForTag` says which object it stands for).
 */
export function readVerdict(run: RegistryCheckRun, botLogin: string): TagVerdict | undefined {
  if (run.status !== 'completed') return undefined;
  if (run.object === undefined)
    return run.conclusion === 'failure'
      ? { honoured: false, reason: 'earlier-failure' }
      : { honoured: true, by: '', byApp: false };
  const summary = run.summary ?? '';
  const match = MARKER.exec(summary.slice(summary.lastIndexOf('\n') + 1));
  // A run of this release always ends with its line; without it (or for another object) it honours nothing.
  if (!match || match[2] !== run.object) return { honoured: false, reason: 'undecided' };
  const [, kind, , by] = match;
  if (kind === 'honoured') return { honoured: true, by: by ?? '', byApp: by === botLogin };
  return { honoured: false, reason: kind as NotHonouredReason, ...(by ? { by } : {}) };
}

/** Whether Cairn's own bot pushed the tag, so that its `Cairn-Request:` line is Cairn's own. */
export function pushedByApp(verdict: TagVerdict | undefined): boolean {
  return verdict?.honoured === true && verdict.byApp;
}

/**
 * Whether `/cairn sync` may honour the tag: only one whose pusher is unknown (no push event). A
 * tag whose pusher is known stands on their level; one that failed for another reason is fixed by
 * pushing it again.
 */
export function awaitsSync(verdict: TagVerdict | undefined): boolean {
  return verdict !== undefined && !verdict.honoured && verdict.reason === 'no-push-event';
}

/** A tag that does not parse changes nothing (its check gives the grammar): not worth listing or syncing. */
export function parses(tag: string): boolean {
  try {
    parseTag(tag);
    return true;
  } catch {
    return false;
  }
}

/** The tag object a loaded tag is (its ref's target; a tag read elsewhere than GitHub's API has none, so its commit). */
export function pushedTag(tag: AnnotatedTag): PushedTag {
  return { tag: tag.tag, sha: tag.sha, object: tag.object ?? tag.sha, taggedAt: tag.taggedAt };
}

/** Where a tag object's verdict is kept in the process: by repository, tag, commit and object. */
export function verdictKey(fullName: string, tag: AnnotatedTag | PushedTag): string {
  const object = 'object' in tag && tag.object !== undefined ? tag.object : tag.sha;
  return `${fullName.toLowerCase()}:${tag.tag}:${tag.sha}:${object}`;
}

const WHY: Record<NotHonouredReason, string> = {
  unauthorised: 'pushed by someone without the level it needs',
  'no-push-event': 'no push event (more than three tags pushed at once); `/cairn sync` can honour it',
  undecided: 'its check stopped before the permission was decided; fix what it says, then tag again and push',
  'earlier-failure': 'its check failed under an earlier release of Cairn; tag again and push to have it judged',
};

const NOT_JUDGED =
  'not judged yet: its push is being handled, or Cairn has not looked up its check yet (a bounded number of commits per event); a later event judges it';

/** The registry issue's rows for tags left out: judged ones first, then those not judged yet. */
export function notHonouredRows(
  left: ReadonlyArray<{ tag: string; verdict?: TagVerdict }> | undefined,
): NotHonouredTag[] {
  const rows = (left ?? []).filter(({ tag }) => parses(tag));
  return [
    ...rows.flatMap(({ tag, verdict }) => {
      if (!verdict || verdict.honoured) return [];
      return [{ tag, why: verdict.by ? `${WHY[verdict.reason]} (${verdict.by})` : WHY[verdict.reason] }];
    }),
    ...rows.filter(({ verdict }) => !verdict).map(({ tag }) => ({ tag, why: NOT_JUDGED })),
  ];
}
