/**
 * `cairn push`: `dvc add` + `dvc push` for a file or folder, or `dvc push` for what an existing
 * `.dvc` file or `dvc.lock` names, straight from the workspace (there is no local cache to push
 * from). Objects go to the remote in DVC's layout, so `dvc pull` reads what this writes; pointer
 * files are written only once every object they name is on the remote.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { layoutForHashKind, objectKey } from './internal/dvc/object-key.ts';
import { isDvcPointerPath, readDvcPointers } from './internal/dvc/read-dvc-pointers.ts';
import type { DvcOutput } from './internal/dvc/types.ts';
import { formatDvcFile, type DvcFileOutput } from './internal/dvc/write-dvc-file.ts';
import { filesOf, planOutput, type PlannedOutput } from './internal/push-plan.ts';
import {
  hashFiles,
  uploadObjects,
  type PushProgress,
  type TransferCount,
  type UploadObject,
} from './internal/push-transfer.ts';
import { scanWorkspace, type WorkspaceOutput } from './internal/push-tree.ts';
import type { ObjectStore } from './store.ts';

export type { PushProgress } from './internal/push-transfer.ts';

/** Files hashed and objects uploaded in parallel when the caller does not say. */
export const DEFAULT_PUSH_JOBS = 16;

export interface PushOptions {
  /** The remote. */
  store: ObjectStore;
  logger: Logger;
  /** Files hashed and objects uploaded in parallel (default 16). */
  jobs?: number;
  signal?: AbortSignal;
  /** Called at every uploaded chunk; front doors throttle what they draw. Hashing is not reported. */
  onProgress?: (progress: PushProgress) => void;
}

export interface PushResult {
  /** The `.dvc` file written (pushPath only). */
  pointerPath?: string;
  /** What the pointer records, paths relative to its folder. */
  outputs: DvcFileOutput[];
  /** Objects put on the remote, each distinct file content once; `.dir` manifests are not counted. */
  uploaded: TransferCount;
  /** Objects the remote already had (HEAD, same size), and outputs missing here that the remote has. */
  skipped: TransferCount;
}

/**
 * `dvc add` + `dvc push` for a file or folder: hashes it (raw md5, DVC 3), uploads the objects the
 * remote lacks under files/md5/xx/rest and, for a folder, its `.dir` manifest, then writes
 * `<path>.dvc` (atomically, only after every upload succeeded) as DVC 3 `dvc add` writes it, with
 * `path:` the base name. Symbolic links, inside a folder or as the path itself, and special files
 * are refused. An empty folder is recorded as DVC records it: a `.dir` of `[]`, 0 files.
 */
export async function pushPath(path: string, options: PushOptions): Promise<PushResult> {
  const jobs = checkJobs(options.jobs);
  const target = resolve(path);
  const name = basename(target);
  if (name === '') throw new UserError(`${path} is the root of the filesystem. Push a file or folder inside it.`);
  if (isDvcPointerPath(target)) {
    throw new UserError(
      `${path} is a DVC pointer file, not data. To upload the data it names, push the pointer file as such (\`cairn push ${path}\`).`,
    );
  }
  const scanned = await scanWorkspace(target, { links: 'refuse', logger: options.logger });
  if (!scanned) throw new UserError(`${path} does not exist. Check the path of the file or folder to push.`);

  const digests = await hashFiles(
    filesOf(scanned).map((file) => ({ path: file.path, kind: 'md5' as const })),
    jobs,
    options.signal,
  );
  const [plan] = planOutput(scanned, digests, 'md5');
  const record = recordOf(name, plan);
  const transfer = await uploadObjects(plan.files, plan.manifests, { ...options, jobs });

  const pointerPath = `${target}.dvc`;
  await writeFileAtomic(pointerPath, formatDvcFile([record]));
  options.logger.debug(
    `pushed ${path} (${describe(record)}) to ${options.store.uri}: ${transfer.uploaded.files} uploaded, ${transfer.skipped.files} already there; wrote ${pointerPath}`,
  );
  return { pointerPath, outputs: [record], ...transfer };
}

/**
 * Pushes the outputs a `.dvc` file or `dvc.lock` names, from the workspace, once every one of them
 * is checked: each file and folder must still hash to what the pointer records (DVC 2 outputs by
 * md5-dos2unix, into the 2.x layout), or the push fails naming them and uploads nothing. An output
 * missing from the workspace is fine when the remote already has its object. `dvc.lock` deps and
 * `cache: false` outputs are not data for the remote and are left alone. Links to files are read
 * through (DVC's symlink and hardlink cache types put them in the workspace).
 */
export async function pushPointerFile(pointerPath: string, options: PushOptions): Promise<PushResult> {
  const jobs = checkJobs(options.jobs);
  const { store, logger } = options;
  const root = dirname(resolve(pointerPath));
  const wanted = (await readDvcPointers(pointerPath)).filter((output) => output.role === 'out' && output.cache);

  const present: Array<{ output: DvcOutput; scanned: WorkspaceOutput }> = [];
  const records = new Map<DvcOutput, DvcFileOutput>();
  const problems: string[] = [];
  const skippedAbsent: TransferCount = { files: 0, bytes: 0 };
  for (const output of wanted) {
    const scanned = await scanWorkspace(join(root, ...output.path.split('/')), { links: 'follow-files', logger });
    if (scanned === undefined) {
      const remote = await store.head(objectKey(output.md5, layoutForHashKind(output.hashKind)));
      if (remote === undefined) {
        problems.push(
          `${output.path} is not in the workspace, and ${store.uri} does not have it. Restore it (\`dvc checkout\`, \`cairn pull\`) and push again.`,
        );
        continue;
      }
      logger.info(`${output.path} is not in the workspace; ${store.uri} already has it.`);
      skippedAbsent.files += output.nfiles ?? 1;
      skippedAbsent.bytes += output.size ?? (output.isDir ? 0 : remote.size);
      records.set(output, {
        path: output.path,
        md5: output.md5,
        size: output.size ?? (output.isDir ? 0 : remote.size),
        ...(output.isDir ? { nfiles: output.nfiles ?? 0 } : {}),
      });
    } else if ((scanned.kind === 'dir') !== output.isDir) {
      problems.push(
        `${output.path} is a ${scanned.kind === 'dir' ? 'folder' : 'file'} in the workspace, but the pointer records a ${output.isDir ? 'folder' : 'file'}. ${howToFix(pointerPath, output)}`,
      );
    } else {
      present.push({ output, scanned });
    }
  }

  const hashed = present.flatMap(({ output, scanned }) =>
    filesOf(scanned).map((file) => ({ path: file.path, kind: output.hashKind })),
  );
  const digests = await hashFiles(hashed, jobs, options.signal);
  const files: UploadObject[] = [];
  const manifests: UploadObject[] = [];
  let next = 0;
  for (const { output, scanned } of present) {
    const count = filesOf(scanned).length;
    const plans = planOutput(scanned, digests.slice(next, next + count), output.hashKind);
    next += count;
    const match = plans.find((plan) => plan.md5 === output.md5);
    if (!match) {
      problems.push(
        `${output.path} has changed: the workspace ${output.isDir ? 'folder' : 'file'} hashes to ${plans[0].md5}, the pointer records ${output.md5}. ${howToFix(pointerPath, output)}`,
      );
      continue;
    }
    files.push(...match.files);
    manifests.push(...match.manifests);
    records.set(output, recordOf(output.path, match));
  }
  if (problems.length > 0) {
    throw new UserError(
      `nothing was pushed: ${problems.length === 1 ? 'an output' : `${problems.length} outputs`} of ${pointerPath} cannot be pushed.\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }

  const transfer = await uploadObjects(files, manifests, { ...options, jobs });
  const skipped = {
    files: transfer.skipped.files + skippedAbsent.files,
    bytes: transfer.skipped.bytes + skippedAbsent.bytes,
  };
  logger.debug(
    `pushed ${pointerPath} to ${store.uri}: ${transfer.uploaded.files} uploaded, ${skipped.files} already there`,
  );
  return { outputs: wanted.map((output) => records.get(output)!), uploaded: transfer.uploaded, skipped };
}

function recordOf(path: string, plan: PlannedOutput): DvcFileOutput {
  const record: DvcFileOutput = { path, md5: plan.md5, size: plan.size };
  if (plan.nfiles !== undefined) record.nfiles = plan.nfiles;
  if (plan.isexec) record.isexec = true;
  return record;
}

function describe(record: DvcFileOutput): string {
  return record.nfiles === undefined ? `${record.size} bytes` : `${record.nfiles} files, ${record.size} bytes`;
}

/** `jobs` as a user may have typed it (a flag, an action input): a whole number of at least 1. */
function checkJobs(jobs: number | undefined): number {
  if (jobs === undefined) return DEFAULT_PUSH_JOBS;
  if (!Number.isSafeInteger(jobs) || jobs < 1)
    throw new UserError(`jobs must be a whole number of at least 1, got ${jobs}.`);
  return jobs;
}

/** A `.dvc` output is re-recorded with `cairn push PATH`; a stage's outputs belong to `dvc commit`. */
function howToFix(pointerPath: string, output: DvcOutput): string {
  const where = join(dirname(pointerPath), output.path);
  if (basename(pointerPath) === 'dvc.lock') {
    return `Run \`dvc commit\` (or \`dvc repro\`) to record the stage's new outputs, or \`dvc checkout ${where}\` to restore the recorded ones.`;
  }
  return `Run \`cairn push ${where}\` to record the new content, or \`dvc checkout ${where}\` to restore the recorded one.`;
}
