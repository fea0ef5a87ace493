import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../../../errors.ts';
import { parseDvcFile } from './parse-dvc-file.ts';
import { parseDvcLock } from './parse-dvc-lock.ts';
import type { DvcOutput } from './types.ts';

/** True for a path that names a DVC pointer file: `*.dvc` or `dvc.lock`. */
export function isDvcPointerPath(path: string): boolean {
  const name = basename(path);
  return name === 'dvc.lock' || (name.endsWith('.dvc') && name !== '.dvc');
}

/**
 * Reads a `.dvc` file or a `dvc.lock` and returns what it names (see parseDvcFile / parseDvcLock).
 * Paths are relative to the folder that holds the file.
 */
export async function readDvcPointers(path: string): Promise<DvcOutput[]> {
  if (!isDvcPointerPath(path)) {
    throw new UserError(`${path} is not a DVC pointer file. Pass a .dvc file (from \`dvc add\`) or a dvc.lock.`);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UserError(`${path} does not exist. Check the path of the .dvc file or dvc.lock.`, { cause: error });
    if (code === 'EISDIR')
      throw new UserError(`${path} is a folder. Pass a .dvc file or a dvc.lock.`, { cause: error });
    throw error;
  }
  return basename(path) === 'dvc.lock' ? parseDvcLock(text, path) : parseDvcFile(text, path);
}
