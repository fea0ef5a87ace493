/**
 * One file of a pull: skip it when the workspace already has these bytes, else copy it from the
 * local cache, else download it; always through a temp file beside the target that is hashed while
 * it is written and renamed into place only when the hash matches.
 */
import type { BigIntStats } from 'node:fs';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { chmod, copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pLimit from 'p-limit';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createDvcHasher, digestMatches, DVC_HASH_BLOCK_BYTES, hashDvcFile, type DvcDigest } from './dvc/dvc-hasher.ts';
import type { DvcHashKind } from './dvc/types.ts';
import type { WorkspaceState } from './pull-state.ts';
import { ObjectNotFoundError, type ObjectStore } from './store.ts';
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
  signal: AbortSignal;
  /** Objects at least this big are fetched as parallel ranged GETs. */
  largeObjectBytes: number;
  partBytes: number;
  /** Ranged GETs in flight per large object. */
  partJobs: number;
  /** Called as bytes arrive from the remote. */
  onBytes(count: number): void;
}

export async function pullFile(job: FileJob, context: TransferContext): Promise<{ outcome: FileOutcome; bytes: number }> {
  const existing = await statIfAny(job.target);
  if (existing?.isDirectory()) {
    throw new UserError(`${job.target} is a folder, where ${job.display} should be a file. Move the folder away and pull again.`);
  }
  if (existing?.isFile() && (await holdsExpectedBytes(job, existing, context.state))) {
    return { outcome: 'unchanged', bytes: Number(existing.size) };
  }

  const cached = context.cacheDir === undefined ? undefined : join(context.cacheDir, ...job.key.split('/'));
  if (cached !== undefined && (await statIfAny(cached))?.isFile()) {
    const bytes = await placeFromCache(job, cached, context);
    if (bytes !== undefined) return { outcome: 'cache', bytes };
  }

  for (let attempt = 1; ; attempt++) {
    const temp = tempPathFor(job.target);
    try {
      const digest = job.size !== undefined && job.size >= context.largeObjectBytes ? await fetchInParts(job, temp, context) : await fetchWhole(job, temp, context);
      if (digestMatches(digest, job.md5)) {
        if (cached !== undefined) await addToCache(temp, cached, context.logger);
        await place(job, temp, context.state);
        return { outcome: 'downloaded', bytes: digest.size };
      }
      const message = `${job.display}: the bytes of ${context.store.uriOf(job.key)} hash to ${digest.md5}, not ${job.md5}`;
      if (attempt >= 2) {
        throw new UserError(`${message}, twice. The remote object is damaged or was overwritten; push the data again from a good copy. Nothing was written for this file.`);
      }
      context.logger.warn(`${message}; downloading it again.`);
    } finally {
      await rm(temp, { force: true });
    }
  }
}

/** True when the file already holds the bytes: known from the state, or hashed now (and remembered). */
async function holdsExpectedBytes(job: FileJob, info: BigIntStats, state: WorkspaceState): Promise<boolean> {
  if (state.lookup(job.target, info) === job.md5) return true;
  if (job.size !== undefined && Number(info.size) !== job.size) return false;
  const digest = await hashDvcFile(job.target, job.kind);
  if (!digestMatches(digest, job.md5)) return false;
  state.record(job.target, info, job.md5);
  return true;
}

/** Copies a cached object into place, checking it on the way; a damaged cache entry is dropped (undefined). */
async function placeFromCache(job: FileJob, cached: string, context: TransferContext): Promise<number | undefined> {
  const temp = tempPathFor(job.target);
  try {
    const digest = await writeHashed(createReadStream(cached, { highWaterMark: DVC_HASH_BLOCK_BYTES, signal: context.signal }), temp, job.kind);
    if (!digestMatches(digest, job.md5)) {
      context.logger.warn(`the cached copy of ${job.display} (${cached}) is damaged; removing it and downloading the file again.`);
      await rm(cached, { force: true });
      return undefined;
    }
    await place(job, temp, context.state);
    return digest.size;
  } finally {
    await rm(temp, { force: true });
  }
}

/** One GET, streamed through the hasher to the temp file. */
async function fetchWhole(job: FileJob, temp: string, context: TransferContext): Promise<DvcDigest> {
  const body = await context.store.get(job.key, { signal: context.signal });
  return writeHashed(body, temp, job.kind, context.onBytes);
}

async function writeHashed(source: Readable, temp: string, kind: DvcHashKind, onBytes?: (count: number) => void): Promise<DvcDigest> {
  const hasher = createDvcHasher(kind);
  await pipeline(
    source,
    async function* (chunks: AsyncIterable<Uint8Array>) {
      for await (const chunk of chunks) {
        hasher.update(chunk);
        onBytes?.(chunk.length);
        yield chunk;
      }
    },
    createWriteStream(temp, { flags: 'wx' }),
  );
  return hasher.digest();
}

/**
 * Parallel ranged GETs of one object version (If-Match on the etag HEAD gave), each written at its
 * offset. md5 needs the bytes in order, so every part that completes the prefix is read back from
 * the file (the page cache still holds it) and hashed while later parts are still downloading.
 */
async function fetchInParts(job: FileJob, temp: string, context: TransferContext): Promise<DvcDigest> {
  const info = await context.store.head(job.key);
  if (info === undefined) throw new ObjectNotFoundError(context.store.uriOf(job.key));
  const size = info.size;
  const parts: Array<{ start: number; end: number; done: boolean }> = [];
  for (let start = 0; start < size; start += context.partBytes) parts.push({ start, end: Math.min(start + context.partBytes, size) - 1, done: false });

  const abort = new AbortController();
  const stop = () => abort.abort(context.signal.reason);
  context.signal.addEventListener('abort', stop, { once: true });
  const handle = await open(temp, 'wx+'); // read back for hashing
  const hasher = createDvcHasher(job.kind);
  let hashedParts = 0;
  let hashing = Promise.resolve();
  const hashReadyParts = async () => {
    const buffer = Buffer.allocUnsafe(DVC_HASH_BLOCK_BYTES);
    while (hashedParts < parts.length && parts[hashedParts].done) {
      const { start, end } = parts[hashedParts];
      for (let offset = start; offset <= end; ) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end + 1 - offset), offset);
        if (bytesRead === 0) throw new Error(`${temp}: read back fewer bytes than were written`);
        hasher.update(buffer.subarray(0, bytesRead));
        offset += bytesRead;
      }
      hashedParts++;
    }
  };

  const limit = pLimit(context.partJobs);
  try {
    const fetches = parts.map((part) =>
      limit(async () => {
        const body = await context.store.get(job.key, { range: { start: part.start, end: part.end }, ifMatch: info.etag, signal: abort.signal });
        let position = part.start;
        for await (const chunk of body as AsyncIterable<Uint8Array>) {
          if (position + chunk.length > part.end + 1) throw new Error(`${context.store.uriOf(job.key)}: a ranged GET returned more bytes than asked for`);
          await handle.write(chunk, 0, chunk.length, position);
          position += chunk.length;
          context.onBytes(chunk.length);
        }
        if (position !== part.end + 1) throw new Error(`${context.store.uriOf(job.key)}: bytes ${part.start}-${part.end} ended after ${position - part.start} bytes`);
        part.done = true;
        hashing = hashing.then(hashReadyParts);
        await hashing;
      }),
    );
    const settled = await Promise.allSettled(fetches.map((fetch) => fetch.catch((error: unknown) => (abort.abort(error), Promise.reject(error)))));
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    await hashing;
    const digest = hasher.digest();
    if (digest.size !== size) throw new Error(`${context.store.uriOf(job.key)}: hashed ${digest.size} of ${size} bytes`);
    return digest;
  } finally {
    context.signal.removeEventListener('abort', stop);
    limit.clearQueue();
    await handle.close();
  }
}

/** Renames the verified temp file into place and remembers it, so the next pull need not hash it. */
async function place(job: FileJob, temp: string, state: WorkspaceState): Promise<void> {
  if (job.isexec) await chmod(temp, 0o755);
  await rename(temp, job.target);
  state.record(job.target, await stat(job.target, { bigint: true }), job.md5);
}

/**
 * Keeps a verified download in the cache, as a copy (a reflink where the filesystem has them): a
 * hard link would share bytes with the workspace file, and tools that rewrite a file in place
 * (pandas' to_csv, for one) would damage the cached copy too. A failure to cache is logged, never fatal.
 */
async function addToCache(temp: string, cached: string, logger: Logger): Promise<void> {
  const staging = tempPathFor(cached);
  try {
    await mkdir(dirname(cached), { recursive: true });
    await copyFile(temp, staging, constants.COPYFILE_FICLONE);
    await rename(staging, cached);
  } catch (error) {
    logger.warn(`could not add ${cached} to the cache (${(error as Error).message}); the pull goes on without it.`);
  } finally {
    await rm(staging, { force: true });
  }
}

async function statIfAny(path: string): Promise<BigIntStats | undefined> {
  try {
    return await stat(path, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
