/**
 * Whether a registry tag was honoured: the app's answer to "did someone with the level push it?".
 * GitHub keeps the answer: the `cairn registry` check run the app wrote for the tag carries it in a
 * hidden line, so a restarted process (or another instance) reads the same verdict. Only runs the
 * app wrote itself count; a check run anyone else made with that name is ignored.
 *
 *   honoured        the pusher (a person with the level, the app's bot, a trusted bot) or a
 *                   `/cairn sync` by someone with the level stood behind it
 *   unauthorised    the pusher lacked the level: the tag stays, but the registry leaves it out
 *   no-push-event   GitHub sent no push (more than three tags pushed at once): pusher unknown
 *   undecided       the check stopped before the permission was decided (a broken config)
 *
 * Tags without a verdict yet (their push is being handled) are left out of the registry too.
 */
import { parseTag } from '../core/registry/index.ts';
import type { NotHonouredTag } from '../core/report/registry-view.ts';
import type { RegistryCheckRun } from './registry-check.ts';

export type TagVerdict =
  | { honoured: true; by: string; byApp: boolean }
  | { honoured: false; reason: 'unauthorised' | 'no-push-event' | 'undecided'; by?: string };

const MARKER = /^<!-- cairn:tag-verdict (honoured|unauthorised|no-push-event|undecided)(?: by=(\S+))? -->$/m;

/** The hidden line a check summary ends with. Logins are GitHub's (`[A-Za-z0-9-]`, `[bot]`). */
export function verdictMarker(verdict: TagVerdict): string {
  const kind = verdict.honoured ? 'honoured' : verdict.reason;
  const by = verdict.by && /^[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?$/.test(verdict.by) ? ` by=${verdict.by}` : '';
  return `<!-- cairn:tag-verdict ${kind}${by} -->`;
}

/**
 * The verdict a completed run of the app's records; undefined while it is in progress. A run from
 * before verdicts were recorded holds the answer of that release, which honoured every tag it did
 * not fail.
 */
export function readVerdict(run: RegistryCheckRun, botLogin: string): TagVerdict | undefined {
  if (run.status !== 'completed') return undefined;
  const match = MARKER.exec(run.summary ?? '');
  if (!match) return run.conclusion === 'failure' ? { honoured: false, reason: 'undecided' } : { honoured: true, by: '', byApp: false };
  const [, kind, by] = match;
  if (kind === 'honoured') return { honoured: true, by: by ?? '', byApp: by === botLogin };
  return { honoured: false, reason: kind as 'unauthorised' | 'no-push-event' | 'undecided', ...(by ? { by } : {}) };
}

/** Whether Cairn's own bot pushed the tag, so that its `Cairn-Request:` line is Cairn's own. */
export function pushedByApp(verdict: TagVerdict | undefined): boolean {
  return verdict?.honoured === true && verdict.byApp;
}

/** Whether `/cairn sync` may honour the tag: nobody with a known level was refused it. */
export function awaitsSync(verdict: TagVerdict | undefined): boolean {
  return verdict !== undefined && !verdict.honoured && verdict.reason !== 'unauthorised';
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

export function verdictKey(fullName: string, tag: string, sha: string): string {
  return `${fullName.toLowerCase()}:${tag}:${sha}`;
}

const WHY: Record<string, string> = {
  unauthorised: 'pushed by someone without the level it needs',
  'no-push-event': 'no push event (more than three tags pushed at once); `/cairn sync` can honour it',
  undecided: 'its check stopped before the permission was decided; `/cairn sync` can honour it',
};

/** The registry issue's rows for tags left out (those still being judged are not listed). */
export function notHonouredRows(left: ReadonlyArray<{ tag: string; verdict?: TagVerdict }> | undefined): NotHonouredTag[] {
  return (left ?? []).flatMap(({ tag, verdict }) => {
    if (!verdict || verdict.honoured || !parses(tag)) return [];
    return [{ tag, why: verdict.by ? `${WHY[verdict.reason]} (${verdict.by})` : WHY[verdict.reason] }];
  });
}
