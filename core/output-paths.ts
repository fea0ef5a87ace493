/**
 * Output paths are checked before any work starts, so a command that will not be able to write
 * its result says so at once (exit 2) instead of after the whole run, and writes nothing.
 */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MAX_NAME_BYTES } from './atomic-write.ts';
import { UserError } from './errors.ts';

/** The atomic writer's temporary name is shortened for a long name, so every name the filesystem takes fits. */
export const MAX_OUTPUT_NAME_BYTES = MAX_NAME_BYTES;

export interface OutputPath {
  path: string;
  /** How the user named it, for the message: `--card-out`, `card-path:`; absent for a path Cairn derives (`data.dvc` beside `data`). */
  option?: string;
  /** The path as the user wrote it (or as Cairn derived it, relative to where the user is). */
  shown: string;
  /** A folder to write into (a cache, a demo folder); default a file. */
  kind?: 'file' | 'folder';
  /** A file name to suggest when a folder stands where the file goes (the output's default name). */
  example?: string;
}

/** What is at `path`: a file, a folder, something else, or nothing (also when a folder on the way is a file). */
export async function pathKind(path: string): Promise<'file' | 'folder' | 'other' | undefined> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'folder' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return undefined; // missing, under a file, or a name no folder holds: the checks say which
    throw error;
  }
}

/** A file the command reads: an output may not be it. */
export interface InputPath {
  path: string;
  /** `--data`, `a partial file`, ... */
  option: string;
  shown: string;
}

/** The same file, also through a link or another spelling of its path: same device and inode. */
async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [left, right] = await Promise.all([stat(a), stat(b)]);
    return left.dev === right.dev && left.ino === right.ino;
  } catch {
    return false;
  }
}

/**
 * Refuses (UserError) any output that could not be written: a folder (or a file, for a folder output), a name too
 * long, a parent that is a file, two outputs on one path, or an output that is one of the command's `inputs` (a
 * typo that would replace the data, a model or a partial with the result).
 */
export async function checkOutputPaths(
  outputs: readonly OutputPath[],
  inputs: readonly InputPath[] = [],
): Promise<void> {
  for (const output of outputs) {
    for (const input of inputs) {
      if (output.path === input.path || (await sameFile(output.path, input.path)))
        throw new UserError(
          `${output.option ? `${output.option} ${output.shown}` : output.shown} is also ${input.option} ${input.shown}: writing there would replace what the command reads; name another file.`,
        );
    }
  }
  const seen = new Map<string, OutputPath>();
  for (const output of outputs) {
    const { path, shown } = output;
    const named = output.option ? `${output.option} ${shown}` : shown;
    const earlier = seen.get(path);
    if (earlier)
      throw new UserError(
        `${earlier.option ?? earlier.shown} and ${output.option ?? shown} both name ${shown}; give each output its own ${output.kind ?? 'file'}.`,
      );
    seen.set(path, output);
    const names = path.split(/[\\/]/);
    const long = names.findIndex((name) => Buffer.byteLength(name) > MAX_OUTPUT_NAME_BYTES);
    if (long >= 0) {
      const which =
        long === names.length - 1
          ? `the ${output.kind ?? 'file'} name`
          : `the folder name ${names[long].slice(0, 20)}...`;
      throw new UserError(
        `${named}: ${which} is longer than ${MAX_OUTPUT_NAME_BYTES} bytes, more than a file system takes; use a shorter name.`,
      );
    }
    const kind = await pathKind(path);
    if (output.kind === 'folder') {
      if (kind === 'file' || kind === 'other')
        throw new UserError(`${named} is a file, not a folder; name a folder to write into.`);
    } else {
      if (kind === 'folder') {
        if (!output.option)
          throw new UserError(`${named} is a folder, where a file is to be written; move the folder away.`);
        throw new UserError(
          output.example
            ? `${named} is a folder; name a file to write (for example ${shown.replace(/\/+$/, '')}/${output.example}).`
            : `${named} is a folder; name a file to write, not a folder.`,
        );
      }
      if (kind === 'other') throw new UserError(`${named} cannot be written: it is not a regular file.`);
    }
    // The nearest existing ancestor must be a folder, or the parents cannot be made.
    let parent = dirname(path);
    for (;;) {
      const parentKind = await pathKind(parent);
      if (parentKind === 'folder') break;
      if (parentKind !== undefined)
        throw new UserError(`${named} cannot be written: ${parent} is a file, not a folder.`);
      const up = dirname(parent);
      if (up === parent) break;
      parent = up;
    }
  }
}
