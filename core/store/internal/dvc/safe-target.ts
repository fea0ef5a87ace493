import { lstatSync, type Stats } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UserError } from '../../../errors.ts';
import { checkManifestPath } from './manifest-path.ts';

/**
 * Resolves manifest paths under a target folder and checks that writing them cannot leave it: each
 * path passes checkManifestPath, and no part of it that already exists below the root is a symlink
 * (a link planted in the tree, or left by an earlier run, would redirect the write) or a file where
 * a folder is needed. Everything is checked before the caller writes anything; the root itself is
 * the user's choice and may be a link.
 *
 * A check is not a lock: something that swaps a folder for a link between this check and the write
 * is not stopped. Callers write through temp files in the checked folders and rename.
 */
export async function resolveSafeTargets(
  root: string,
  relpaths: readonly string[],
  where = 'a .dir manifest',
): Promise<string[]> {
  const base = resolve(root);
  const seen = new Map<string, Stats | null>(); // lstat per path, shared by entries in the same folders
  const resolved: string[] = [];
  for (const relpath of relpaths) {
    const segments = checkManifestPath(relpath, where);
    let current = base;
    for (let index = 0; index < segments.length; index++) {
      current = join(current, segments[index]);
      const info = lstatOnce(current, seen);
      if (info === null) break; // nothing there yet, nor below it
      const shown = segments.slice(0, index + 1).join('/');
      if (info.isSymbolicLink()) {
        throw new UserError(
          `refused ${JSON.stringify(relpath)} from ${where}: ${join(base, shown)} is a symbolic link, and writing through it could ` +
            'touch files outside the target folder. Remove the link (or pull into an empty folder) and run again.',
        );
      }
      if (index < segments.length - 1 && !info.isDirectory()) {
        throw new UserError(
          `refused ${JSON.stringify(relpath)} from ${where}: ${join(base, shown)} is a file, where this path needs a folder. ` +
            'Move the file away (or pull into an empty folder) and run again.',
        );
      }
    }
    const target = join(base, ...segments);
    const inside = relative(base, target);
    // checkManifestPath already rules this out; kept because the cost of being wrong is a write outside.
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || resolve(base, inside) !== target) {
      throw new UserError(`refused ${JSON.stringify(relpath)} from ${where}: it resolves outside ${base}.`);
    }
    resolved.push(target);
  }
  return resolved;
}

/** One path; see resolveSafeTargets. */
export async function resolveSafeTarget(root: string, relpath: string, where?: string): Promise<string> {
  const [target] = await resolveSafeTargets(root, [relpath], where);
  return target;
}

/** Synchronous, as the caller checks thousands of paths before anything is written: see pull-file's statIfAny. */
function lstatOnce(path: string, seen: Map<string, Stats | null>): Stats | null {
  if (seen.has(path)) return seen.get(path)!;
  let info: Stats | null;
  try {
    info = lstatSync(path, { throwIfNoEntry: false }) ?? null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    info = null;
  }
  seen.set(path, info);
  return info;
}
