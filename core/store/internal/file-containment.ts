/**
 * The file store stays inside its folder: a symbolic link in the store (a file linked elsewhere, or
 * a linked folder on the way to a key) must not turn a read into a read of, or a write into a write
 * to, a file outside it. Every link on the way to a key is resolved and refused when it leaves the
 * root (or leads nowhere); the root itself is the user's choice and may be a link.
 *
 * A check is not a lock: a link swapped in between the check and the use is not stopped. Writes go
 * to a temp file in the checked folder and are renamed, and rename replaces a link, never follows it.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { UserError } from '../../errors.ts';

/**
 * `path` with every link that exists on it resolved; the part that does not exist yet is kept as
 * written. A dangling link is refused: where it would lead, once made, is not known now.
 */
export async function resolveExisting(path: string): Promise<string> {
  const missing: string[] = [];
  let probe = path;
  for (;;) {
    try {
      return join(await realpath(probe), ...missing);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    const info = await lstat(probe).catch(() => undefined);
    if (info?.isSymbolicLink()) throw new DanglingLink(probe, await readlink(probe).catch(() => '?'));
    const parent = dirname(probe);
    if (parent === probe) return path;
    missing.unshift(basename(probe));
    probe = parent;
  }
}

/** Whether `path` (resolved) is `root` (resolved) or below it. */
export function isWithin(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === '' || (inside !== '..' && !inside.startsWith(`..${sep}`) && !inside.startsWith(sep));
}

/**
 * Checks keys of one store. Folders found to be real folders (not links) are remembered, so a pull
 * of thousands of keys costs one lstat per key, not one per folder on its way.
 */
export class Containment {
  private realRoot?: string;
  private readonly realFolders = new Set<string>();

  constructor(private readonly root: string) {}

  /** Refuses the file that holds a key (`segments` below the root) when a link takes it out of the root; `uri` names it. */
  async check(segments: readonly string[], uri: string): Promise<void> {
    const refuse = (detail: string) =>
      new UserError(
        `${uri}: refused, ${detail}. The file store never follows a symbolic link out of its folder (${this.root}); ` +
          'remove the link, or point the remote at the folder the data really is in.',
      );
    let realRoot: string;
    try {
      realRoot = await this.resolvedRoot();
    } catch (error) {
      if (error instanceof DanglingLink) throw refuse(error.message);
      throw error;
    }
    let path = this.root;
    for (const [index, segment] of segments.entries()) {
      path = join(path, segment);
      const folder = index < segments.length - 1;
      if (folder && this.realFolders.has(path)) continue;
      const info = await lstatIfAny(path);
      if (info === undefined) return; // nothing there yet: what a write makes below it is made for real
      if (info.isSymbolicLink()) {
        const target = await realpath(path).catch((error: unknown) => {
          if (isMissing(error)) return undefined;
          throw error;
        });
        if (target === undefined)
          throw refuse(`${path} is a symbolic link to ${await readlink(path).catch(() => '?')}, which does not exist`);
        if (!isWithin(realRoot, target)) throw refuse(`${path} is a symbolic link to ${target}, outside the store`);
      } else if (folder && info.isDirectory()) {
        this.realFolders.add(path);
      }
    }
  }

  /** Resolved once the root exists (before the first put it may not). */
  private async resolvedRoot(): Promise<string> {
    if (this.realRoot !== undefined) return this.realRoot;
    const real = await resolveExisting(this.root);
    if ((await lstatIfAny(this.root)) !== undefined) this.realRoot = real;
    return real;
  }
}

class DanglingLink extends Error {
  constructor(link: string, target: string) {
    super(`${link} is a symbolic link to ${target}, which does not exist`);
  }
}

async function lstatIfAny(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
