/**
 * The two passes of a push over workspace files: hash them (to name their objects), then upload the
 * objects the remote lacks. Each file is read twice, as `dvc add` + `dvc push` read it; the second
 * read is hashed again on its way up, and a file that changed in between fails its upload rather
 * than storing bytes under another file's name.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import {
  createDvcHasher,
  digestMatches,
  DVC_HASH_BLOCK_BYTES,
  hashDvcStream,
  type DvcDigest,
} from './dvc/dvc-hasher.ts';
import type { DvcHashKind } from './dvc/types.ts';
import { forEachLimited } from './for-each-limited.ts';
import type { ObjectStore } from '../store.ts';

export interface PushProgress {
  /** Objects on the remote so far, uploaded or found there already. */
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  elapsedMs: number;
}

export interface TransferCount {
  files: number;
  bytes: number;
}

/** One object to put under `key`: a workspace file (verified as it streams) or bytes in memory. */
export interface UploadObject {
  key: string;
  size: number;
  source: { kind: 'file'; path: string; md5: string; hashKind: DvcHashKind } | { kind: 'bytes'; bytes: Uint8Array };
}

export interface TransferOptions {
  store: ObjectStore;
  logger: Logger;
  jobs: number;
  signal?: AbortSignal;
  onProgress?: (progress: PushProgress) => void;
}

/** DVC's digest of each file (same order), each by its own hash kind, `jobs` files at a time. */
export async function hashFiles(
  files: ReadonlyArray<{ path: string; kind: DvcHashKind }>,
  jobs: number,
  signal?: AbortSignal,
): Promise<DvcDigest[]> {
  const digests: DvcDigest[] = new Array(files.length);
  const indexes = files.map((_, index) => index);
  await forEachLimited(
    indexes,
    jobs,
    async (index, stop) => {
      digests[index] = await hashDvcStream(readWorkspaceFile(files[index].path, stop), files[index].kind);
    },
    signal,
  );
  return digests;
}

/**
 * Puts every object the remote does not already have (HEAD with the same size), `jobs` at a time;
 * `manifests` go up only after every file did, so a remote that has a folder's `.dir` has its files,
 * as DVC arranges it. Counts cover `files` (each key once); manifests are bookkeeping.
 */
export async function uploadObjects(
  files: readonly UploadObject[],
  manifests: readonly UploadObject[],
  options: TransferOptions,
): Promise<{ uploaded: TransferCount; skipped: TransferCount }> {
  const started = performance.now();
  const unique = [...new Map(files.map((object) => [object.key, object])).values()];
  const progress: PushProgress = {
    filesDone: 0,
    filesTotal: unique.length,
    bytesDone: 0,
    bytesTotal: sum(unique),
    elapsedMs: 0,
  };
  const report = () => options.onProgress?.({ ...progress, elapsedMs: performance.now() - started });
  const uploaded: TransferCount = { files: 0, bytes: 0 };
  const skipped: TransferCount = { files: 0, bytes: 0 };
  report();
  await forEachLimited(
    unique,
    options.jobs,
    async (object, signal) => {
      const sent = await putUnlessPresent(object, options, signal, (count) => {
        progress.bytesDone += count;
        report();
      });
      const count = sent ? uploaded : skipped;
      count.files++;
      count.bytes += object.size;
      if (!sent) progress.bytesDone += object.size;
      progress.filesDone++;
      report();
    },
    options.signal,
  );
  const uniqueManifests = [...new Map(manifests.map((object) => [object.key, object])).values()];
  await forEachLimited(
    uniqueManifests,
    options.jobs,
    (object, signal) => putUnlessPresent(object, options, signal, () => {}).then(() => {}),
    options.signal,
  );
  return { uploaded, skipped };
}

/** True when it uploaded, false when the remote had the object. */
async function putUnlessPresent(
  object: UploadObject,
  options: TransferOptions,
  signal: AbortSignal,
  onBytes: (count: number) => void,
): Promise<boolean> {
  const { store, logger } = options;
  const present = await store.head(object.key);
  if (present?.size === object.size) {
    logger.debug(`${store.uriOf(object.key)} is already on the remote`);
    return false;
  }
  if (present)
    logger.warn(
      `${store.uriOf(object.key)} has ${present.size} bytes where ${object.size} belong; uploading it again.`,
    );
  const { source } = object;
  if (source.kind === 'bytes') {
    await store.put(object.key, source.bytes, { size: object.size, signal });
    return true;
  }
  const hasher = createDvcHasher(source.hashKind);
  const body = verifiedFileBody(
    source.path,
    {
      update(chunk) {
        hasher.update(chunk);
        onBytes(chunk.length);
      },
      end() {
        if (!digestMatches(hasher.digest(), source.md5)) {
          throw new UserError(
            `${source.path} changed while it was being pushed; nothing was stored for it. Push again once nothing writes to it.`,
          );
        }
      },
    },
    signal,
  );
  await store.put(object.key, body, { size: object.size, signal });
  return true;
}

/**
 * The bytes of a file as an upload body that errors, before its end reaches the store, when `check.end`
 * throws: the store then keeps nothing (the file store drops its temp file, S3 never completes the upload).
 */
export function verifiedFileBody(
  path: string,
  check: { update(chunk: Uint8Array): void; end(): void },
  signal?: AbortSignal,
): Readable {
  async function* checked() {
    for await (const chunk of readWorkspaceFile(path, signal)) {
      check.update(chunk);
      yield chunk;
    }
    check.end();
  }
  return Readable.from(checked(), { objectMode: false });
}

/** A workspace file's bytes in DVC-sized reads; a file gone missing is the user's to fix, not a bug. */
async function* readWorkspaceFile(path: string, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  try {
    yield* createReadStream(path, { highWaterMark: DVC_HASH_BLOCK_BYTES, signal }) as AsyncIterable<Buffer>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`${path} disappeared while it was being pushed. Push again once nothing moves it.`, {
        cause: error,
      });
    }
    throw error;
  }
}

function sum(objects: readonly UploadObject[]): number {
  return objects.reduce((total, object) => total + object.size, 0);
}
