/**
 * What `cairn push` reads from the workspace: one file, or every file of a folder, found the way DVC
 * walks a folder it adds. DVC leaves out `.git`, `.hg` and `.dvc` at any depth (dvc/ignore.py's
 * defaults); `.dvcignore` files are not read, so a folder with one is reported rather than hashed
 * differently from DVC without a word.
 */
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';

/** One file to hash and upload. */
export interface WorkspaceFile {
  /** Absolute path. */
  path: string;
  /** POSIX path inside the pushed folder, as a `.dir` manifest writes it; the base name for a lone file. */
  relpath: string;
  /** Any execute bit set: DVC's is_exec (`mode & 0o111`); never on Windows, as in DVC. */
  isexec: boolean;
}

export type WorkspaceOutput = { kind: 'file'; file: WorkspaceFile } | { kind: 'dir'; files: WorkspaceFile[] };

export interface ScanOptions {
  /**
   * `refuse`: a symbolic link anywhere is an error (`cairn push PATH` records new content, and a
   * link would record bytes that live elsewhere). `follow-files`: links to files are read through,
   * as a workspace checked out with DVC's symlink cache type has them; links to folders are refused.
   */
  links: 'refuse' | 'follow-files';
  logger: Logger;
}

const IGNORED = new Set(['.git', '.hg', '.dvc']);

/** The file or folder at `path`, or undefined when nothing is there. */
export async function scanWorkspace(path: string, options: ScanOptions): Promise<WorkspaceOutput | undefined> {
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw error;
  }
  info = await resolveEntry(path, info, options);
  if (info.isFile()) return { kind: 'file', file: fileOf(path, basename(path), info) };
  const files: WorkspaceFile[] = [];
  await walk(path, '', files, options);
  return { kind: 'dir', files };
}

async function walk(folder: string, prefix: string, files: WorkspaceFile[], options: ScanOptions): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  if (entries.some((entry) => entry.name === '.dvcignore')) {
    options.logger.warn(
      `${join(folder, '.dvcignore')} is not read by cairn: every file in ${folder} is pushed, so the folder's md5 differs from DVC's if the .dvcignore leaves files out.`,
    );
  }
  const kept = entries.filter((entry) => !IGNORED.has(entry.name) || !(entry.isDirectory() || entry.name === '.git'));
  const found = await Promise.all(
    kept.map(async (entry: Dirent) => {
      const path = join(folder, entry.name);
      if (entry.name.includes('\\')) {
        throw new UserError(
          `${path}: DVC cannot record a file name with a backslash (a folder separator on Windows). Rename it and push again.`,
        );
      }
      const relpath = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const info = await resolveEntry(path, await lstat(path), options);
      return { path, relpath, info };
    }),
  );
  for (const { path, relpath, info } of found) {
    if (info.isDirectory()) await walk(path, relpath, files, options);
    else files.push(fileOf(path, relpath, info));
  }
}

/** What an entry is for pushing: a file or a folder (links followed where allowed), or a UserError. */
async function resolveEntry(path: string, info: Stats, options: ScanOptions): Promise<Stats> {
  if (info.isSymbolicLink()) {
    if (options.links === 'refuse') {
      throw new UserError(
        `${path} is a symbolic link. cairn push records the bytes of real files only (a link's target may lie outside the data). ` +
          'Replace the link with a copy of what it points to, or move it out of the folder, and push again.',
      );
    }
    let target: Stats;
    try {
      target = await stat(path);
    } catch (error) {
      throw new UserError(
        `${path} is a symbolic link to nothing (${(error as NodeJS.ErrnoException).code}). Restore its target (\`dvc checkout\`) or remove it.`,
        { cause: error },
      );
    }
    if (!target.isFile())
      throw new UserError(`${path} is a symbolic link to a folder. Replace it with the folder itself and push again.`);
    return target;
  }
  if (!info.isFile() && !info.isDirectory()) {
    throw new UserError(
      `${path} is not a regular file or folder (a device, socket or pipe). Remove it from the data and push again.`,
    );
  }
  return info;
}

function fileOf(path: string, relpath: string, info: Stats): WorkspaceFile {
  return { path, relpath, isexec: process.platform !== 'win32' && (info.mode & 0o111) !== 0 };
}
