/**
 * Output paths are checked before any work starts, so a command that will not be able to write
 * its result says so at once (exit 2) instead of after the whole run, and writes nothing.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { UserError } from './errors.ts';

/** Most filesystems cap a name at 255 bytes; the atomic writer's temporary name adds 18. */
export const MAX_OUTPUT_NAME_BYTES = 255 - 18;

export interface OutputPath {
  path: string;
  /** How the user named it, for the message: `--card-out`, `comment-out:`. */
  option: string;
  /** The path as the user wrote it. */
  shown: string;
}

/** What is at `path`: a file, a folder, something else, or nothing (also when a folder on the way is a file). */
export async function pathKind(path: string): Promise<'file' | 'folder' | 'other' | undefined> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'folder' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // missing, or under a file: the parent walk says which
    throw error;
  }
}

/** Refuses (UserError) any output that could not be written: a folder, a name too long, a parent that is a file, two outputs on one path. */
export async function checkOutputPaths(outputs: readonly OutputPath[]): Promise<void> {
  const seen = new Map<string, OutputPath>();
  for (const output of outputs) {
    const { path, option, shown } = output;
    const earlier = seen.get(path);
    if (earlier) throw new UserError(`${earlier.option} and ${option} both name ${shown}; give each output its own file.`);
    seen.set(path, output);
    if (Buffer.byteLength(basename(path)) > MAX_OUTPUT_NAME_BYTES) {
      throw new UserError(`${option} ${shown}: the file name is longer than ${MAX_OUTPUT_NAME_BYTES} bytes; use a shorter name.`);
    }
    const kind = await pathKind(path);
    if (kind === 'folder') throw new UserError(`${option} ${shown} is a folder; name a file to write (for example ${shown.replace(/\/+$/, '')}/${basename(path) || 'out'}.md).`);
    if (kind === 'other') throw new UserError(`${option} ${shown} cannot be written: it is not a regular file.`);
    // The nearest existing ancestor must be a folder, or the parents cannot be made.
    let parent = dirname(path);
    for (;;) {
      const parentKind = await pathKind(parent);
      if (parentKind === 'folder') break;
      if (parentKind !== undefined) throw new UserError(`${option} ${shown} cannot be written: ${parent} is a file, not a folder.`);
      const up = dirname(parent);
      if (up === parent) break;
      parent = up;
    }
  }
}
