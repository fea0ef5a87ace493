import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import { UserError } from '../../core/errors.ts';
import type { FileToCommit } from '../../core/github/index.ts';

/** GitHub warns at 50 MiB and refuses 100 MiB; a retraining commit carries pointers and records, not data. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** `inRepo` as path segments when it names something strictly inside the workspace and outside `.git`. */
function workspaceSegments(inRepo: string): string[] | undefined {
  const parts = inRepo.split(sep);
  // Segments, not text: `..foo` is a file's name, `../foo` leaves the workspace.
  if (inRepo === '' || isAbsolute(inRepo) || parts[0] === '..') return undefined;
  if (parts.some((part) => part.toLowerCase() === '.git')) return undefined;
  return parts;
}

/** Reads what was checked, even if the path became a link since (O_NOFOLLOW; Windows has no such flag). */
async function readNoFollow(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_FILE_BYTES) throw new Error('it changed while it was read');
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * The `files` input: each path read from the workspace and committed at the same repository path.
 * A symbolic link is refused, not followed: `.cairn/record.json -> /etc/hostname` would otherwise
 * commit a runner file. A folder above the file that is a link is refused too (the real path must
 * be the path as given).
 */
export async function readFilesInput(workspace: string): Promise<FileToCommit[]> {
  const paths = core
    .getInput('files')
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
  const root = await realpath(workspace).catch(() => resolve(workspace));
  const files: FileToCommit[] = [];
  for (const shown of paths) {
    const absolute = resolve(workspace, shown);
    const parts = workspaceSegments(relative(workspace, absolute));
    if (!parts)
      throw new UserError(`input files: ${shown} is not a file in the workspace (${workspace}); list paths inside it.`);
    let content: Buffer;
    try {
      const info = await lstat(absolute);
      if (info.isSymbolicLink())
        throw new UserError(
          `input files: ${shown} is a symbolic link; Cairn commits files, not links: list the file it points to, inside the workspace.`,
        );
      if (!info.isFile()) throw new UserError(`input files: ${shown} is not a file; list the files themselves.`);
      if ((await realpath(absolute)) !== resolve(root, ...parts))
        throw new UserError(
          `input files: ${shown} is reached through a symbolic link to a folder; list the file by its real path in the workspace.`,
        );
      if (info.size > MAX_FILE_BYTES)
        throw new UserError(
          `input files: ${shown} is ${Math.round(info.size / 1024 / 1024)} MiB; commit its .dvc pointer (cairn push) instead of the data.`,
        );
      content = await readNoFollow(absolute);
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`input files: cannot read ${shown}: ${(error as Error).message}`, { cause: error });
    }
    files.push({ path: parts.join('/'), content });
  }
  return files;
}
