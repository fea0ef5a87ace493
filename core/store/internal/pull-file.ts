/**
 * One file of a pull: skip it when the workspace already has these bytes, else copy it from the
 * local cache, else download it; always through a temp file beside the target that is hashed while
 * it is written and renamed into place only when the hash matches.
 */
import type { BigIntStats } from 'node:fs';
import { constants, createReadStream, statSync } from 'node:fs';
import { chmod, copyFile, link, mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import pLimit from 'p-limit';
import { UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { createDvcHasher, digestMatches, DVC_HASH_BLOCK_BYTES, hashDvcFile, type DvcDigest } from './dvc/dvc-hasher.ts';
import type { DvcHashKind } from './dvc/types.ts';
import type { WorkspaceState } from './pull-state.ts';
import { ObjectNotFoundError, type ObjectStore } from '../store.ts';
import { Md5Worker } from './md5-worker.ts';
import { tempPathFor } from './temp-file.ts';

export interface FileJob {
  /** Absolute path in the workspace, already checked by resolveSafeTargets. */
  target: string;
  /** How messages name it: the path as the pointer file or manifest writes it. */
  display: string;
  md5: string;
  kind: DvcHashKind;
  /** The object's key in the remote (and in the cache). */
  key: string;
  /** Bytes, when the pointer file says (files; a folder's manifest has no sizes). */
  size?: number;
  isexec?: boolean;
}

export type FileOutcome = 'unchanged' | 'cache' | 'downloaded';

export interface TransferContext {
  store: ObjectStore;
  logger: Logger;
  cacheDir?: string;
  state: WorkspaceState;
  /** False when the target is known not to exist yet (its folder was listed), so no stat is needed. */
  mayExist(path: string): boolean;
  /** Cache folders this pull has made (or found), so each is made once. */
  cacheFolders: Set<string>;
  signal: AbortSignal;
  /** Objects at least this big are fetched as parallel ranged GETs. */
  largeObjectBytes: number;
  /** Size of one ranged GET; undefined: partBytesFor the object. */
  partBytes?: number;
  /** Ranged GETs in flight per large object. */
  partJobs: number;
  /** Called as bytes arrive from the remote. */
  onBytes(count: number): void;
}

export async function pullFile(
  job: FileJob,
  context: TransferContext,
): Promise<{ outcome: FileOutcome; bytes: number }> {
  const existing = context.mayExist(job.target) ? statIfAny(job.target) : undefined;
  if (existing?.isDirectory()) {
    throw new UserError(
      `${job.target} is a folder, where ${job.display} should be a file. Move the folder away and pull again.`,
    );
  }
  if (existing?.isFile() && (await holdsExpectedBytes(job, existing, context.state))) {
    return { outcome: 'unchanged', bytes: Number(existing.size) };
  }

  const cached = context.cacheDir === undefined ? undefined : join(context.cacheDir, ...job.key.split('/'));
  if (cached !== undefined && statIfAny(cached)?.isFile()) {
    const bytes = await placeFromCache(job, cached, context);
    if (bytes !== undefined) return { outcome: 'cache', bytes };
  }

  for (let attempt = 1; ; attempt++) {
    const temp = tempPathFor(job.target);
    let placed = false;
    try {
      const written =
        job.size !== undefined && job.size >= context.largeObjectBytes
          ? await fetchInParts(job, temp, context)
          : await fetchWhole(job, temp, context);
      const { digest } = written;
      if (digestMatches(digest, job.md5)) {
        if (cached !== undefined) await addToCache(temp, cached, context);
        await place(job, temp, written.info, context.state);
        placed = true;
        return { outcome: 'downloaded', bytes: digest.size };
      }
      const message = `${job.display}: the bytes of ${context.store.uriOf(job.key)} hash to ${digest.md5}, not ${job.md5}`;
      if (attempt >= 2) {
        throw new UserError(
          `${message}, twice. The remote object is damaged or was overwritten; push the data again from a good copy. Nothing was written for this file.`,
        );
      }
      context.logger.warn(`${message}; downloading it again.`);
    } finally {
      if (!placed) await rm(temp, { force: true });
    }
  }
}

/** True when the file already holds the bytes: known from the state, or hashed now (and remembered). */
async function holdsExpectedBytes(job: FileJob, info: BigIntStats, state: WorkspaceState): Promise<boolean> {
  // A recorded fingerprint names this exact file version: another md5 means other bytes, no need to hash.
  const recorded = state.lookup(job.target, info);
  if (recorded !== undefined) return recorded === job.md5;
  if (job.size !== undefined && Number(info.size) !== job.size) return false;
  const digest = await hashDvcFile(job.target, job.kind);
  if (!digestMatches(digest, job.md5)) return false;
  state.record(job.target, info, job.md5);
  return true;
}

/** Copies a cached object into place, checking it on the way; a damaged cache entry is dropped (undefined). */
async function placeFromCache(job: FileJob, cached: string, context: TransferContext): Promise<number | undefined> {
  const temp = tempPathFor(job.target);
  let placed = false;
  try {
    const { digest, info } = await writeHashed(
      createReadStream(cached, { highWaterMark: DVC_HASH_BLOCK_BYTES, signal: context.signal }),
      temp,
      job.kind,
    );
    if (!digestMatches(digest, job.md5)) {
      context.logger.warn(
        `the cached copy of ${job.display} (${cached}) no longer matches its hash (damaged, or edited in place through a workspace file linked to it); removing it and downloading the file again.`,
      );
      await rm(cached, { force: true });
      return undefined;
    }
    await place(job, temp, info, context.state);
    placed = true;
    return digest.size;
  } finally {
    if (!placed) await rm(temp, { force: true });
  }
}

/** One GET, streamed through the hasher to the temp file. */
async function fetchWhole(job: FileJob, temp: string, context: TransferContext): Promise<Written> {
  const body = await context.store.get(job.key, { signal: context.signal });
  return writeHashed(body, temp, job.kind, context.onBytes);
}

/** A verified-to-be temp file: its digest, and its stat (the fingerprint the workspace state keeps). */
interface Written {
  digest: DvcDigest;
  info: BigIntStats;
}

/** Writes are gathered to this many bytes: a small file is one write, a large one few. */
const WRITE_BATCH_BYTES = 1 << 20;

/** Streams `source` through the hasher into a new file at `temp`, in writes of about WRITE_BATCH_BYTES. */
async function writeHashed(
  source: Readable,
  temp: string,
  kind: DvcHashKind,
  onBytes?: (count: number) => void,
): Promise<Written> {
  const hasher = createDvcHasher(kind);
  const handle = await open(temp, 'wx');
  try {
    let batch: Uint8Array[] = [];
    let batchBytes = 0;
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      hasher.update(chunk);
      onBytes?.(chunk.length);
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= WRITE_BATCH_BYTES) {
        await writeAll(handle, batch);
        batch = [];
        batchBytes = 0;
      }
    }
    if (batchBytes > 0) await writeAll(handle, batch);
    return { digest: hasher.digest(), info: await handle.stat({ bigint: true }) };
  } finally {
    await handle.close();
  }
}

/** writev (at `position`, else at the file's offset), again for whatever a short write left. */
async function writeAll(handle: FileHandle, chunks: Uint8Array[], position?: number): Promise<void> {
  let left = chunks;
  let at = position;
  while (left.length > 0) {
    let { bytesWritten } = await handle.writev(left, at);
    if (at !== undefined) at += bytesWritten;
    const rest: Uint8Array[] = [];
    for (const chunk of left) {
      if (bytesWritten >= chunk.length) bytesWritten -= chunk.length;
      else {
        rest.push(chunk.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    left = rest;
  }
}

const MIN_PART_BYTES = 8 << 20;
const MAX_PART_BYTES = 64 << 20;

/**
 * The part size for an object of `size` bytes fetched `jobs` parts at a time: enough parts to keep
 * every job busy, and none over 64 MiB. Fewer, larger requests cost the server less, and on bench/pull's
 * large file they were faster too (the figures: bench/RESULTS.md).
 */
export function partBytesFor(size: number, jobs: number): number {
  return Math.min(MAX_PART_BYTES, Math.max(MIN_PART_BYTES, Math.ceil(size / jobs)));
}

/**
 * Parallel ranged GETs of one object version (If-Match on the etag HEAD gave), each written at its
 * offset. md5 needs the bytes in order, so every part that completes the prefix is read back from
 * the file (the page cache still holds it) and hashed, on a worker thread, while later parts are
 * still downloading.
 */
async function fetchInParts(job: FileJob, temp: string, context: TransferContext): Promise<Written> {
  const info = await context.store.head(job.key);
  if (info === undefined) throw new ObjectNotFoundError(context.store.uriOf(job.key));
  const size = info.size;
  const parts: Array<{ start: number; end: number; done: boolean }> = [];
  const partBytes = context.partBytes ?? partBytesFor(size, context.partJobs);
  for (let start = 0; start < size; start += partBytes)
    parts.push({ start, end: Math.min(start + partBytes, size) - 1, done: false });

  const abort = new AbortController();
  const stop = () => abort.abort(context.signal.reason);
  context.signal.addEventListener('abort', stop, { once: true });
  const handle = await open(temp, 'wx+'); // read back for hashing
  const hasher = job.kind === 'md5' ? workerHasher(temp) : mainThreadHasher(job.kind, handle, temp);
  let hashedParts = 0;
  let hashing = Promise.resolve();
  const hashReadyParts = async () => {
    while (hashedParts < parts.length && parts[hashedParts].done) {
      await hasher.add(parts[hashedParts].start, parts[hashedParts].end);
      hashedParts++;
    }
  };

  const limit = pLimit(context.partJobs);
  try {
    const fetches = parts.map((part) =>
      limit(async () => {
        const body = await context.store.get(job.key, {
          range: { start: part.start, end: part.end },
          ifMatch: info.etag,
          signal: abort.signal,
        });
        let position = part.start; // bytes received so far end here
        let written = part.start; // and are on disk up to here
        let batch: Uint8Array[] = [];
        for await (const chunk of body as AsyncIterable<Uint8Array>) {
          if (position + chunk.length > part.end + 1)
            throw new Error(`${context.store.uriOf(job.key)}: a ranged GET returned more bytes than asked for`);
          batch.push(chunk);
          position += chunk.length;
          context.onBytes(chunk.length);
          if (position - written >= WRITE_BATCH_BYTES) {
            await writeAll(handle, batch, written);
            [batch, written] = [[], position];
          }
        }
        if (batch.length > 0) await writeAll(handle, batch, written);
        if (position !== part.end + 1)
          throw new Error(
            `${context.store.uriOf(job.key)}: bytes ${part.start}-${part.end} ended after ${position - part.start} bytes`,
          );
        part.done = true;
        // The slot goes to the next part now; hashing catches up from the page cache. A hash
        // failure stops the downloads, and is thrown below.
        hashing = hashing.then(hashReadyParts);
        hashing.catch((error: unknown) => abort.abort(error));
      }),
    );
    const settled = await Promise.allSettled(
      fetches.map((fetch) => fetch.catch((error: unknown) => (abort.abort(error), Promise.reject(error)))),
    );
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    await hashing;
    const digest = await hasher.digest();
    if (digest.size !== size)
      throw new Error(`${context.store.uriOf(job.key)}: hashed ${digest.size} of ${size} bytes`);
    return { digest, info: await handle.stat({ bigint: true }) };
  } finally {
    context.signal.removeEventListener('abort', stop);
    limit.clearQueue();
    await hasher.close();
    await handle.close();
  }
}

/** Hashes byte ranges of the file being written, in order. */
interface RangeHasher {
  add(start: number, end: number): Promise<void>;
  digest(): Promise<DvcDigest>;
  close(): Promise<void>;
}

/** md5 (DVC 3) on a worker thread, beside the downloads. */
function workerHasher(path: string): RangeHasher {
  const worker = new Md5Worker(path);
  return {
    add: (start, end) => worker.add(start, end),
    digest: async () => {
      const { md5, size } = await worker.digest();
      return { kind: 'md5', md5, accepted: [md5], size };
    },
    close: () => worker.close(),
  };
}

/** DVC 2.x's md5 of text-normalised blocks, read back through the open handle. */
function mainThreadHasher(kind: DvcHashKind, handle: FileHandle, path: string): RangeHasher {
  const hasher = createDvcHasher(kind);
  const buffer = Buffer.allocUnsafe(DVC_HASH_BLOCK_BYTES);
  return {
    add: async (start, end) => {
      for (let offset = start; offset <= end;) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end + 1 - offset), offset);
        if (bytesRead === 0) throw new Error(`${path}: read back fewer bytes than were written`);
        hasher.update(buffer.subarray(0, bytesRead));
        offset += bytesRead;
      }
    },
    digest: async () => hasher.digest(),
    close: async () => {},
  };
}

/** Renames the verified temp file into place and remembers it, so the next pull need not hash it. */
async function place(job: FileJob, temp: string, info: BigIntStats, state: WorkspaceState): Promise<void> {
  if (job.isexec) await chmod(temp, 0o755); // changes ctime only; the state's fingerprint holds
  await rename(temp, job.target); // keeps inode, size and mtime
  state.record(job.target, info, job.md5);
}

/**
 * Keeps a verified download in the cache: a hard link where the cache shares the workspace's
 * filesystem (no bytes copied: a 1 GiB pull fills its cache for free), else a copy (a reflink where
 * the filesystem has them). The link shares bytes with the workspace file, so a tool that rewrites
 * that file in place (pandas' to_csv, for one) changes the cached copy too; that is safe because
 * every read from the cache is verified against its hash, and costs only a download the next time
 * that version is pulled. A failure to cache is logged, never fatal.
 */
async function addToCache(temp: string, cached: string, context: TransferContext): Promise<void> {
  const folder = dirname(cached);
  try {
    if (!context.cacheFolders.has(folder)) {
      await mkdir(folder, { recursive: true });
      context.cacheFolders.add(folder);
    }
    await link(temp, cached);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return; // cached meanwhile by another pull
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP')
      return warnNotCached(cached, error, context.logger);
  }
  const staging = tempPathFor(cached);
  try {
    await copyFile(temp, staging, constants.COPYFILE_FICLONE);
    await rename(staging, cached);
  } catch (error) {
    await rm(staging, { force: true });
    warnNotCached(cached, error, context.logger);
  }
}

function warnNotCached(cached: string, error: unknown, logger: Logger): void {
  logger.warn(`could not add ${cached} to the cache (${(error as Error).message}); the pull goes on without it.`);
}

/**
 * Synchronous on purpose: on a local disk a stat takes microseconds, less than the promise API's
 * round trip through the thread pool, and a re-pull stats every one of thousands of files
 * (bench/pull (c)).
 */
export function statIfAny(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}
