import { createHash } from 'node:crypto';
import { UserError } from '../../../errors.ts';
import { checkManifestPath } from './manifest-path.ts';
import { isDvcFileId } from './object-key.ts';
import { compareCodePoints, pythonJsonDumps } from './python-json.ts';
import type { DirManifestEntry } from './types.ts';

/**
 * `.dir` manifests: the object DVC stores for a tracked folder, a JSON list of {md5, relpath} sorted
 * by relpath. Its id is the md5 of the exact bytes DVC writes (dvc_data Tree.as_bytes:
 * `json.dumps(entries, sort_keys=True)`) plus `.dir`, so serialising must match byte for byte.
 * DVC 3 still writes only md5 and relpath for each file (the `with_meta` form is never stored).
 */
export function serializeDirManifest(entries: readonly DirManifestEntry[]): string {
  for (const entry of entries) checkEntry(entry, 'the folder being pushed');
  const sorted = [...entries].sort((a, b) => compareCodePoints(a.relpath, b.relpath));
  return pythonJsonDumps(sorted.map((entry) => ({ md5: entry.md5, relpath: entry.relpath })));
}

/** The manifest's text and its id (`<md5>.dir`), as DVC computes it for a folder with these files. */
export function buildDirManifest(entries: readonly DirManifestEntry[]): { id: string; text: string } {
  const text = serializeDirManifest(entries);
  // The text is ASCII with no CR, so md5 and md5-dos2unix agree on it.
  return { id: `${createHash('md5').update(text, 'utf8').digest('hex')}.dir`, text };
}

/**
 * Parses a `.dir` manifest and checks every entry: an md5, a safe relpath, no duplicate and no path
 * that is both a file and a folder. Keys besides md5 and relpath are ignored. `source` names the
 * manifest in messages. Entries come back sorted by relpath.
 */
export function parseDirManifest(content: string | Uint8Array, source: string): DirManifestEntry[] {
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${source} is not a DVC .dir manifest: invalid JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
  if (!Array.isArray(raw))
    throw new UserError(`${source} is not a DVC .dir manifest: expected a JSON list of {md5, relpath}.`);
  const entries = raw.map((item: unknown, index): DirManifestEntry => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new UserError(`${source}: entry [${index}] is not an object with md5 and relpath.`);
    }
    const { md5, relpath } = item as Record<string, unknown>;
    if (typeof relpath !== 'string')
      throw new UserError(`${source}: entry [${index}].relpath is missing or not a string.`);
    if (typeof md5 !== 'string') throw new UserError(`${source}: entry [${index}].md5 is missing or not a string.`);
    const entry = { md5, relpath };
    checkEntry(entry, source);
    return entry;
  });
  entries.sort((a, b) => compareCodePoints(a.relpath, b.relpath));
  checkTreeShape(entries, source);
  return entries;
}

function checkEntry(entry: DirManifestEntry, where: string): void {
  checkManifestPath(entry.relpath, where);
  if (!isDvcFileId(entry.md5)) {
    throw new UserError(
      `${where}: ${JSON.stringify(entry.relpath)} has md5 ${JSON.stringify(entry.md5)}; expected 32 lowercase hex digits.`,
    );
  }
}

function checkTreeShape(sorted: readonly DirManifestEntry[], source: string): void {
  const files = new Set<string>();
  for (const { relpath } of sorted) {
    if (files.has(relpath)) throw new UserError(`${source}: ${JSON.stringify(relpath)} is listed twice.`);
    files.add(relpath);
  }
  for (const { relpath } of sorted) {
    for (let cut = relpath.indexOf('/'); cut >= 0; cut = relpath.indexOf('/', cut + 1)) {
      const folder = relpath.slice(0, cut);
      if (files.has(folder)) {
        throw new UserError(
          `${source}: ${JSON.stringify(folder)} is listed as a file and as the folder of ${JSON.stringify(relpath)}.`,
        );
      }
    }
  }
}
