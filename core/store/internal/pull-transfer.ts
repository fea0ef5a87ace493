/**
 * The second half of a pull: the files of planned targets (pull-plan.ts) put in place, in parallel
 * on the one forEachLimited, each verified before it takes its name (pull-file.ts). The first
 * failure stops the rest; every file verified before it stays, so a rerun resumes.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isUserError, UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { forEachLimited } from './for-each-limited.ts';
import { pullFile, type FileJob, type FileOutcome, type TransferContext } from './pull-file.ts';
import { cancelledError, manifestHashOf, reasonOf, type TargetPlan } from './pull-plan.ts';
import { WorkspaceState } from './pull-state.ts';
import type { ObjectStore } from '../store.ts';
import { removeStaleTempFiles } from './temp-file.ts';

export interface PullProgress {
  /** Files in place so far: downloaded, copied from the cache, or already there. */
  filesDone: number;
  filesTotal: number;
  /** Bytes of the files in place, plus what arrived so far of those still downloading. */
  bytesDone: number;
  /** From the pointer files' sizes; 0 when they do not say. */
  bytesTotal: number;
  /** Bytes read from the remote in this run. */
  bytesDownloaded: number;
  elapsedMs: number;
}

export interface PulledOutput {
  /** Absolute path in the workspace. */
  path: string;
  /** As the pointer file writes it, relative to its folder. */
  relpath: string;
  /** Object id: `<md5>`, or `<md5>.dir` for a folder. */
  md5: string;
  isDir: boolean;
  files: number;
  bytes: number;
}

export interface TransferCount {
  files: number;
  bytes: number;
}

export interface PullResult {
  outputs: PulledOutput[];
  /** Totals in the workspace. */
  files: number;
  bytes: number;
  downloaded: TransferCount;
  fromCache: TransferCount;
  unchanged: TransferCount;
  /** For lineage and cache keys; see manifestHashOf. */
  manifestHash: string;
  elapsedMs: number;
}

export interface TransferOptions {
  logger: Logger;
  /** Files transferred in parallel. */
  jobs: number;
  /** Local content-addressed cache (DVC 3 layout); none when undefined. */
  cacheDir?: string;
  /** Called often (every chunk); front doors throttle what they draw. */
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
  /** Objects this big or bigger are fetched with parallel ranged GETs. */
  largeObjectBytes: number;
  /** Size of one ranged GET (default: partBytesFor the object). */
  partBytes?: number;
  /** Ranged GETs in flight for one large object. */
  partJobs: number;
  /** When the pull started (performance.now()), for elapsed times. */
  started: number;
  /** The workspace state the plan already consulted (loaded from the cache folder when absent). */
  state?: WorkspaceState;
}

/** Puts every planned file in place; one result per target, in order. */
export async function transferPlanned(targets: readonly TargetPlan[], options: TransferOptions): Promise<PullResult[]> {
  const { logger } = options;
  const source = targets.map((target) => target.source).join(', ');
  const work = targets.flatMap((target, index) =>
    target.outputs.flatMap((output) => output.jobs.map((job) => ({ job, index }))),
  );

  // Folders made, leftovers of killed runs cleared.
  for (const target of targets)
    for (const output of target.outputs) if (output.output.isDir) await mkdir(output.target, { recursive: true });
  const present = new Set<string>(); // paths already in the workspace; the rest need no stat
  for (const folder of new Set(work.map(({ job }) => dirname(job.target)))) {
    await mkdir(folder, { recursive: true });
    for (const name of await removeStaleTempFiles(folder)) present.add(join(folder, name));
  }

  const state = options.state ?? (await WorkspaceState.load(options.cacheDir));
  const progress: PullProgress = {
    filesDone: 0,
    filesTotal: work.length,
    bytesDone: 0,
    bytesTotal: targets.reduce(
      (sum, target) => sum + target.wanted.reduce((bytes, output) => bytes + (output.size ?? 0), 0),
      0,
    ),
    bytesDownloaded: 0,
    elapsedMs: 0,
  };
  let bytesArriving = 0; // of files still downloading: counted in bytesDone, so a large file moves the bar
  const report = () =>
    options.onProgress?.({
      ...progress,
      bytesDone: progress.bytesDone + bytesArriving,
      elapsedMs: performance.now() - options.started,
    });
  const counts = targets.map((): Record<FileOutcome, TransferCount> => ({
    unchanged: { files: 0, bytes: 0 },
    cache: { files: 0, bytes: 0 },
    downloaded: { files: 0, bytes: 0 },
  }));
  const bytesOf = new Map<FileJob, number>();
  const cacheFolders = new Set<string>();
  const contextFor = (store: ObjectStore, signal: AbortSignal, onBytes: (count: number) => void): TransferContext => ({
    store,
    logger,
    cacheDir: options.cacheDir,
    state,
    mayExist: (path) => present.has(path),
    cacheFolders,
    signal,
    largeObjectBytes: options.largeObjectBytes,
    partBytes: options.partBytes,
    partJobs: options.partJobs,
    onBytes,
  });

  try {
    await forEachLimited(
      work,
      options.jobs,
      async ({ job, index }, signal) => {
        const { store } = targets[index];
        const arriving = arrivingBytes(job.size, (change) => (bytesArriving += change));
        const onBytes = (count: number) => {
          progress.bytesDownloaded += count;
          arriving.add(count);
          report();
        };
        const { outcome, bytes } = await pullFile(job, contextFor(store, signal, onBytes)).catch((error: unknown) => {
          throw describeFailure(error, job, store);
        });
        arriving.clear(); // the file's own bytes take its place
        counts[index][outcome].files++;
        counts[index][outcome].bytes += bytes;
        bytesOf.set(job, bytes);
        progress.filesDone++;
        progress.bytesDone += bytes;
        report();
      },
      options.signal,
    );
  } catch (error) {
    // A cancel from the caller aborts the transfers; report it as such, not as the first transfer it cut.
    throw options.signal?.aborted ? cancelledError(source) : error;
  } finally {
    await state.save(); // what was verified stays known, so a rerun resumes without hashing it again
  }

  const elapsedMs = performance.now() - options.started;
  return targets.map((target, index) => {
    const outputs = target.outputs.map(({ output, target: path, jobs }): PulledOutput => ({
      path,
      relpath: output.path,
      md5: output.md5,
      isDir: output.isDir,
      files: jobs.length,
      bytes: jobs.reduce((sum, job) => sum + (bytesOf.get(job) ?? 0), 0),
    }));
    const { downloaded, cache, unchanged } = counts[index];
    return {
      outputs,
      files: outputs.reduce((sum, output) => sum + output.files, 0),
      bytes: outputs.reduce((sum, output) => sum + output.bytes, 0),
      downloaded,
      fromCache: cache,
      unchanged,
      manifestHash: manifestHashOf(target.wanted),
      elapsedMs,
    };
  });
}

/**
 * One downloading file's share of the progress: what arrived so far, never more than its size (a
 * retried range or a second download after a bad hash arrives twice).
 */
function arrivingBytes(
  size: number | undefined,
  onChange: (change: number) => void,
): { add(count: number): void; clear(): void } {
  let received = 0;
  let counted = 0;
  return {
    add(count) {
      received += count;
      const now = Math.min(received, size ?? Number.POSITIVE_INFINITY);
      onChange(now - counted);
      counted = now;
    },
    clear() {
      onChange(-counted);
      counted = 0;
    },
  };
}

/** Names the file in any failure; a remote that kept failing after retries says so and how to go on. */
function describeFailure(error: unknown, job: FileJob, store: ObjectStore): unknown {
  if (isUserError(error)) return error;
  return new UserError(
    `could not pull ${job.display}: ${reasonOf(error, store.uriOf(job.key))}. Files already verified stay in place; run the pull again to resume.`,
    {
      cause: error,
    },
  );
}
