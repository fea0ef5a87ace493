import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import { UserError } from '../../core/errors.ts';
import type { FileToCommit } from '../../core/github/index.ts';

/** GitHub warns at 50 MiB and refuses 100 MiB; a retraining commit carries pointers and records, not data. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** The `files` input: each path read from the workspace and committed at the same repository path. */
export async function readFilesInput(workspace: string): Promise<FileToCommit[]> {
  const paths = core
    .getInput('files')
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
  const files: FileToCommit[] = [];
  for (const shown of paths) {
    const absolute = resolve(workspace, shown);
    const inRepo = relative(workspace, absolute);
    if (
      inRepo === '' ||
      inRepo.startsWith('..') ||
      isAbsolute(inRepo) ||
      inRepo.split(sep).some((part) => part.toLowerCase() === '.git')
    )
      throw new UserError(`input files: ${shown} is not a file in the workspace (${workspace}); list paths inside it.`);
    let size: number;
    try {
      const info = await stat(absolute);
      if (!info.isFile()) throw new UserError(`input files: ${shown} is not a file; list the files themselves.`);
      size = info.size;
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`input files: cannot read ${shown}: ${(error as Error).message}`, { cause: error });
    }
    if (size > MAX_FILE_BYTES)
      throw new UserError(
        `input files: ${shown} is ${Math.round(size / 1024 / 1024)} MiB; commit its .dvc pointer (cairn push) instead of the data.`,
      );
    files.push({ path: inRepo.split(sep).join('/'), content: await readFile(absolute) });
  }
  return files;
}
