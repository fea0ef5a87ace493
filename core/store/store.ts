/**
 * The one interface every object store implements (s3://, file://). Keys are `/`-separated paths
 * relative to the store's root (a bucket prefix or a folder); the DVC layout and the model registry
 * are written in terms of keys, never of backends.
 */
import type { Readable } from 'node:stream';
import { UserError } from '../errors.ts';

export interface ObjectInfo {
  size: number;
  /**
   * Changes whenever the object is rewritten; pass it back as `ifMatch`. S3: the ETag without
   * quotes. File store: inode, size and mtime, so it is cheap and never reads the bytes.
   */
  etag?: string;
}

export interface ListedObject {
  key: string;
  size: number;
}

/** Bytes `start` to `end` inclusive, as in an HTTP `Range: bytes=start-end`; no `end`: to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface GetOptions {
  range?: ByteRange;
  /** Fail with PreconditionFailedError unless the object still has this etag (parallel ranged reads of one version). */
  ifMatch?: string;
  signal?: AbortSignal;
}

export interface PutOptions {
  /** The body's length when known: a body of another length is refused and nothing is stored. */
  size?: number;
  contentType?: string;
  /**
   * Conditional writes, for pointers several writers may race on. `ifNoneMatch: '*'` stores only if
   * the key is free; `ifMatch` only if the object still has that etag. Otherwise PreconditionFailedError.
   * Meant for small objects: the body is buffered and sent in one request. (S3 has enforced these
   * since 2024; some S3-compatible servers, s3rver among them, ignore them.)
   */
  ifNoneMatch?: '*';
  ifMatch?: string;
  signal?: AbortSignal;
}

export interface PutResult {
  etag?: string;
}

export interface ObjectStore {
  /** The store's root as the user would write it: `s3://bucket/prefix`, `file:///abs/path`. */
  readonly uri: string;
  /** Size and etag, or undefined when there is no object at `key`. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /**
   * The object's bytes (or a range of them). Rejects with ObjectNotFoundError before any byte when
   * the key is missing. The S3 store resumes a body cut off mid-way with a ranged GET, so the stream
   * errors only when retries are exhausted; callers still verify content hashes.
   */
  get(key: string, options?: GetOptions): Promise<Readable>;
  /** Stores the whole body or nothing: readers never see a partial object. */
  put(key: string, body: Readable | Uint8Array, options?: PutOptions): Promise<PutResult>;
  /**
   * Every object whose key starts with `prefix` (a plain string prefix, as in S3). AWS S3 and the
   * file store list in key byte order; some S3-compatible servers (s3rver) do not, so do not rely on it.
   */
  list(prefix?: string): AsyncIterable<ListedObject>;
  /**
   * Refuses, before any transfer, a key the store would refuse to read or write for where it is
   * rather than what it holds (the file store: a symbolic link out of its root). Cheap: no object is
   * read. Optional: stores with nothing to check leave it out.
   */
  checkKey?(key: string): Promise<void>;
  /** Removes the object at `key`; no object there is not an error. (Optional: stores that never delete leave it out.) */
  delete?(key: string): Promise<void>;
  /** The full address of `key`, for messages and lineage. */
  uriOf(key: string): string;
  /** Releases connections (S3 keeps them alive between requests); the store is not used afterwards. */
  close(): void;
}

/** The remote has no object at this key: usually data that was never pushed, or the wrong remote. */
export class ObjectNotFoundError extends UserError {
  override name = 'ObjectNotFoundError';
  constructor(
    readonly uri: string,
    options?: { cause?: unknown },
  ) {
    super(`${uri} does not exist. Check the remote URI, or push the data first.`, options);
  }
}

/** A conditional read or write found another version than the one it was conditioned on. */
export class PreconditionFailedError extends Error {
  override name = 'PreconditionFailedError';
  constructor(
    readonly uri: string,
    condition: string,
    options?: { cause?: unknown },
  ) {
    super(`${uri}: ${condition} did not hold (another writer changed it)`, options);
  }
}

/**
 * Keys are relative and cannot climb out of the root, so a manifest or a caller can never name an
 * object outside the store (or, in the file store, a file outside its folder).
 */
export function checkObjectKey(key: string): string {
  const problem =
    key === ''
      ? 'is empty'
      : key.startsWith('/') || /^[a-zA-Z]:/.test(key)
        ? 'is absolute'
        : key.includes('\\')
          ? 'contains a backslash'
          : key.includes('\0')
            ? 'contains a NUL byte'
            : key.split('/').some((part) => part === '..' || part === '.')
              ? 'contains a "." or ".." segment'
              : key.split('/').some((part) => part === '')
                ? 'contains an empty segment ("//" or a trailing "/")'
                : undefined;
  if (problem)
    throw new UserError(
      `object key ${JSON.stringify(key)} ${problem}. Keys are relative paths like "files/md5/ab/cdef".`,
    );
  return key;
}

/** A list prefix is a key or the start of one: the same rules, except that it may be empty or end in "/". */
export function checkListPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  checkObjectKey(prefix.endsWith('/') ? `${prefix}x` : prefix);
  return prefix;
}

export function checkRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw new RangeError(`invalid byte range ${start}-${end ?? ''}`);
  }
}

/** Orders keys as S3 lists them: by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
