/**
 * The file store stays inside its folder: a symbolic link in the store (a file linked elsewhere, or
 * a linked folder on the way to a key) must not turn a read into a read of, or a write into a write
 * to, a file outside it. Paths are resolved through their links first and refused when they leave
 * the root; the root itself is the user's choice and may be a link.
 *
 * A check is not a lock: a link swapped in between the check and the use is not stopped. Writes go
 * to a temp file in the checked folder and are renamed, and rename replaces a link, never follows it.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { UserError } from '../errors.ts';

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
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    const info = await lstat(probe).catch(() => undefined);
    if (info?.isSymbolicLink()) throw new DanglingLink(probe, await readlink(probe).catch(() => '?'));
    const parent = dirname(probe);
    if (parent === probe) return path;
    missing.unshift(basename(probe));
    probe = parent;
  }
}

class DanglingLink extends Error {
  constructor(
    readonly link: string,
    readonly target: string,
  ) {
    super(`${link} is a symbolic link to ${target}, which does not exist`);
  }
}

/** Whether `path` (resolved) is `root` (resolved) or below it. */
export function isWithin(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === '' || (inside !== '..' && !inside.startsWith(`..${sep}`) && !inside.startsWith(sep));
}

/**
 * Resolves the file that holds a key (`path`, under `root`) and refuses it when a link takes it out
 * of the root. `uri` names the object in the message.
 */
export async function checkContained(root: string, path: string, uri: string): Promise<void> {
  const refuse = (detail: string) =>
    new UserError(
      `${uri}: refused, ${detail}. The file store never follows a symbolic link out of its folder (${root}); ` +
        'remove the link, or point the remote at the folder the data really is in.',
    );
  let realRoot: string;
  let real: string;
  try {
    realRoot = await resolveExisting(root);
    real = await resolveExisting(path);
  } catch (error) {
    if (error instanceof DanglingLink) throw refuse(`${error.link} is a symbolic link to ${error.target}, which does not exist`);
    throw error;
  }
  if (!isWithin(realRoot, real)) throw refuse(`${path} leads to ${real} through a symbolic link, outside the store`);
}
