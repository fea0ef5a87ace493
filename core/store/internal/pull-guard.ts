/**
 * A pull never loses work: a file already at an output's path is replaced only when Cairn knows its
 * bytes, because they are the pointer's version, or a version a pull put there (the workspace
 * state records it), or a version the cache holds (so it can be brought back). Anything else was
 * edited or made by the user, and the pull refuses before the first byte is written, naming the
 * files and the force option, as `dvc pull`/`dvc checkout` refuse to remove a file their cache does
 * not hold ("unable to remove ... without a confirmation. Use `-f` to force.").
 */
import type { BigIntStats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../../errors.ts';
import { digestMatches, hashDvcFile } from './dvc/dvc-hasher.ts';
import { layoutForHashKind, objectKey } from './dvc/object-key.ts';
import { forEachLimited } from './for-each-limited.ts';
import { statIfAny, type FileJob } from './pull-file.ts';
import type { TargetPlan } from './pull-plan.ts';
import type { WorkspaceState } from './pull-state.ts';

export interface GuardOptions {
  state: WorkspaceState;
  cacheDir?: string;
  /** Files hashed in parallel. */
  jobs: number;
  signal?: AbortSignal;
}

/** Files named in the refusal before "and N more". */
const SHOWN = 10;

/** Refuses (UserError) when a planned file would replace bytes Cairn does not know; files it hashes are remembered in `state`. */
export async function checkNothingUnsaved(targets: readonly TargetPlan[], options: GuardOptions): Promise<void> {
  const present = await existingFiles(
    targets.flatMap((target) =>
      target.outputs.flatMap((output) => output.jobs.map((job) => ({ job, source: target.source }))),
    ),
  );
  const unsaved: Array<{ job: FileJob; source: string }> = [];
  await forEachLimited(
    present,
    options.jobs,
    async (item) => {
      const info = statIfAny(item.job.target);
      if (info?.isDirectory()) {
        throw new UserError(
          `${item.job.target} is a folder, where ${item.job.display} should be a file. Move the folder away and pull again. Nothing was written.`,
        );
      }
      if (info === undefined || !info.isFile()) return;
      if (!(await isKnown(item.job, info, options))) unsaved.push(item);
    },
    options.signal,
  );
  if (unsaved.length === 0) return;
  unsaved.sort((a, b) => (a.job.target < b.job.target ? -1 : 1));
  const names = unsaved.slice(0, SHOWN).map(({ job, source }) => `${job.display} (${source})`);
  if (unsaved.length > SHOWN) names.push(`and ${unsaved.length - SHOWN} more`);
  const count = unsaved.length === 1 ? 'a file' : `${unsaved.length} files`;
  throw new UserError(
    (option) =>
      `the pull would overwrite ${count} changed in the workspace, whose bytes no pull put there and the cache does not hold: ${names.join(', ')}. ` +
      `Nothing was written. Move ${unsaved.length === 1 ? 'it' : 'them'} away (or push the change with \`cairn push\`), or pass ${option('force')} to replace ${unsaved.length === 1 ? 'it' : 'them'} with the pointer's version.`,
  );
}

/** The planned files that exist: each folder is listed once, so a first pull into an empty folder stats nothing. */
async function existingFiles<T extends { job: FileJob }>(items: readonly T[]): Promise<T[]> {
  const byFolder = new Map<string, T[]>();
  for (const item of items) {
    const folder = dirname(item.job.target);
    const list = byFolder.get(folder);
    if (list) list.push(item);
    else byFolder.set(folder, [item]);
  }
  const present: T[] = [];
  for (const [folder, list] of byFolder) {
    const names = await readdir(folder).then(
      (entries) => new Set(entries),
      () => undefined, // missing (or not a folder: refused by the plan): nothing there to lose
    );
    if (names) for (const item of list) if (names.has(basename(item.job.target))) present.push(item);
  }
  return present;
}

async function isKnown(job: FileJob, info: BigIntStats, options: GuardOptions): Promise<boolean> {
  // This exact file (inode, size, mtime) was placed or verified by a pull: whatever version it is, Cairn put it there.
  if (options.state.lookup(job.target, info) !== undefined) return true;
  const sizeDiffers = job.size !== undefined && Number(info.size) !== job.size;
  if (sizeDiffers && options.cacheDir === undefined) return false;
  const digest = await hashDvcFile(job.target, job.kind);
  if (digestMatches(digest, job.md5)) {
    options.state.record(job.target, info, job.md5); // the transfer then skips it without hashing again
    return true;
  }
  if (options.cacheDir === undefined) return false;
  const layout = layoutForHashKind(job.kind);
  for (const md5 of digest.accepted) {
    if (statIfAny(join(options.cacheDir, ...objectKey(md5, layout).split('/')))?.isFile()) {
      options.state.record(job.target, info, md5);
      return true;
    }
  }
  return false;
}
