/**
 * What `dvc add` and `dvc remote add -d` leave in a git repository beside the data, so a clone
 * pulls with nothing else to set up: `/NAME` in the `.gitignore` beside the pointer (the data itself
 * stays out of git), and a default remote in `.dvc/config` at the repository's root, with DVC's
 * `.dvc/.gitignore`. Outside a git repository nothing is written (DVC needs a repository too, and a
 * `.dvc` folder in whatever folder the data sits in would surprise more than help): a pull there
 * names its remote. An existing default remote is never changed, and a URL holding credentials is
 * never written, since `.dvc/config` is committed.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import type { Logger } from '../logger.ts';
import { gitRoot } from '../repository-root.ts';
import { pathKind } from '../output-paths.ts';
import { UserError } from '../errors.ts';
import { findDvcDir, readDvcConfig } from './internal/dvc/dvc-config.ts';
import { redactCredentials } from './internal/redact-credentials.ts';
import type { ResolvedRemote } from './resolve-remote.ts';

/** The name `cairn push` gives the default remote it records, as `dvc remote add -d cairn URL` would. */
export const DVC_REMOTE_NAME = 'cairn';
/** What `dvc init` writes in `.dvc/.gitignore`: the local config, temp files and the cache stay out of git. */
const DVC_DIR_GITIGNORE = '/config.local\n/tmp\n/cache\n';

export interface TrackOptions {
  /** The `.dvc` file just written (absolute); its output sits beside it. */
  pointerPath: string;
  /** The output's path (absolute), when `pointerPath` was written for it (not for a pushed pointer file). */
  outputPath?: string;
  /** The remote the user named as a URL or folder; undefined when it came from `.dvc/config`. */
  remote?: ResolvedRemote;
  logger: Logger;
}

/** Records the output and the remote; returns the files it wrote (absolute). */
export async function trackInGit(options: TrackOptions): Promise<string[]> {
  const root = gitRoot(dirname(options.pointerPath));
  if (root === undefined) {
    options.logger.debug(
      `${dirname(options.pointerPath)} is not in a git repository: no .gitignore or .dvc/config written`,
    );
    return [];
  }
  const written: string[] = [];
  if (options.outputPath !== undefined) {
    const gitignore = join(dirname(options.pointerPath), '.gitignore');
    if (await addIgnoreEntry(gitignore, `/${escapeIgnorePattern(basename(options.outputPath))}`))
      written.push(gitignore);
  }
  if (options.remote !== undefined)
    written.push(...(await recordDefaultRemote(root, dirname(options.pointerPath), options.remote, options.logger)));
  return written;
}

/**
 * Refuses, before anything is pushed, what `trackInGit` could not write: a folder where the
 * .gitignore goes, a file where the `.dvc` folder goes, a folder where its config goes.
 */
export async function checkTrackInGit(options: Omit<TrackOptions, 'logger'>): Promise<void> {
  const root = gitRoot(dirname(options.pointerPath));
  if (root === undefined) return;
  const files: string[] = [];
  if (options.outputPath !== undefined) files.push(join(dirname(options.pointerPath), '.gitignore'));
  if (options.remote !== undefined) {
    const dvcDir = (await findDvcDir(dirname(options.pointerPath))) ?? join(root, '.dvc');
    const kind = await pathKind(dvcDir);
    if (kind !== undefined && kind !== 'folder') {
      throw new UserError(
        `${dvcDir} is not a folder, but DVC keeps its config in a .dvc folder where cairn push records the remote; move it aside. Nothing was pushed.`,
      );
    }
    files.push(join(dvcDir, 'config'), join(dvcDir, '.gitignore'));
  }
  for (const file of files) {
    const kind = await pathKind(file);
    if (kind !== undefined && kind !== 'file') {
      throw new UserError(
        `${file} is not a file, but cairn push records the data in it for git (as dvc add does); move it aside. Nothing was pushed.`,
      );
    }
  }
}

/** Appends `entry` as DVC does (scmrepo's _add_entry_to_gitignore): on a line of its own, once. */
async function addIgnoreEntry(gitignore: string, entry: string): Promise<boolean> {
  const text = await readIfAny(gitignore);
  if (text !== undefined && text.split(/\r?\n/).some((line) => line.trim() === entry)) return false;
  const prefix = text === undefined || text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(gitignore, `${text ?? ''}${prefix}${entry}\n`);
  return true;
}

/** gitignore's special characters taken literally, as DVC escapes a name (pathspec's escape). */
function escapeIgnorePattern(name: string): string {
  return name.replace(/[[\]!*#?\\]/g, '\\$&').replace(/ $/, '\\ ');
}

async function recordDefaultRemote(
  gitRoot: string,
  from: string,
  remote: ResolvedRemote,
  logger: Logger,
): Promise<string[]> {
  const url = remote.location.kind === 'file' ? remote.location.root : remote.uri.trim();
  if (redactCredentials(url) !== url) {
    logger.warn(
      `the remote URL holds credentials, so it is not written to .dvc/config (a committed file): run \`dvc remote add -d ${DVC_REMOTE_NAME} URL\` with a URL without them, ` +
        `and keep the credentials in .dvc/config.local (\`dvc remote modify --local ${DVC_REMOTE_NAME} ...\`) or the environment.`,
    );
    return [];
  }
  // The `.dvc` folder a pull from the pointer's folder reads (a DVC repository nested in the git one), else a new one at the root.
  const dvcDir = (await findDvcDir(from)) ?? join(gitRoot, '.dvc');
  const config = await readDvcConfig(dvcDir);
  if (config.defaultRemote) {
    logger.debug(
      `${config.defaultRemote.configFile} already names a default remote (${config.defaultRemote.name}): left as it is`,
    );
    return [];
  }
  const configFile = join(dvcDir, 'config');
  const text = (await readIfAny(configFile)) ?? '';
  // Appending beside a [core] section or a remote of the same name would make a second one; `dvc remote default` edits them in place.
  if (/^\s*\[\s*core\s*\]/im.test(text) || /^\s*\[\s*'?remote\s+"cairn"'?\s*\]/im.test(text)) {
    logger.info(
      `${configFile} has no default remote, and Cairn does not edit its sections: run \`dvc remote add -d ${DVC_REMOTE_NAME} ${url}\` so a clone pulls without --remote.`,
    );
    return [];
  }
  const prefix = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(
    configFile,
    `${text}${prefix}[core]\n    remote = ${DVC_REMOTE_NAME}\n['remote "${DVC_REMOTE_NAME}"']\n    url = ${url}\n`,
  );
  const written = [configFile];
  const dvcGitignore = join(dvcDir, '.gitignore');
  if ((await readIfAny(dvcGitignore)) === undefined) {
    await writeFileAtomic(dvcGitignore, DVC_DIR_GITIGNORE);
    written.push(dvcGitignore);
  }
  return written;
}

async function readIfAny(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}
