/**
 * The file:// store, the embedded default for local runs and the demo: objects are files under a
 * root folder. A write goes to a temporary file beside its destination and is renamed into place,
 * so readers see the old object or the new one, never a partial one. No read or write follows a
 * symbolic link out of the root (file-containment.ts).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type BigIntStats } from 'node:fs';
import { link, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.ts';
import { tempPathBeside } from '../atomic-write.ts';
import { Containment } from './internal/file-containment.ts';
import { listFiles } from './internal/file-listing.ts';
import { withKeyLock } from './internal/file-lock.ts';
import {
  checkListPrefix,
  checkObjectKey,
  checkRange,
  ObjectNotFoundError,
  PreconditionFailedError,
  type GetOptions,
  type ListedObject,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  type PutResult,
} from './store.ts';

export class FileStore implements ObjectStore {
  readonly uri: string;
  private readonly containment: Containment;

  /** `root` is an absolute folder path; it is created by the first put. */
  constructor(readonly root: string) {
    this.uri = pathToFileURL(root).href.replace(/\/$/, '');
    this.containment = new Containment(root);
  }

  uriOf(key: string): string {
    return `${this.uri}/${key}`;
  }

  /** The file that holds `key`; never outside the root. */
  pathOf(key: string): string {
    return join(this.root, ...checkObjectKey(key).split('/'));
  }

  async checkKey(key: string): Promise<void> {
    await this.containedPathOf(key);
  }

  /** pathOf, once checked that no symbolic link on it leads out of the root. */
  private async containedPathOf(key: string): Promise<string> {
    const segments = checkObjectKey(key).split('/');
    await this.containment.check(segments, this.uriOf(key));
    return join(this.root, ...segments);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const info = await statFile(await this.containedPathOf(key));
    return info && { size: Number(info.size), etag: etagOf(info) };
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const path = await this.containedPathOf(key);
    if (options.range) checkRange(options.range);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw missing(error) ? new ObjectNotFoundError(this.uriOf(key), { cause: error }) : error;
    }
    try {
      const info = await handle.stat({ bigint: true });
      if (!info.isFile()) throw new ObjectNotFoundError(this.uriOf(key));
      if (options.ifMatch !== undefined && etagOf(info) !== options.ifMatch) {
        throw new PreconditionFailedError(this.uriOf(key), `If-Match ${options.ifMatch}`);
      }
      const size = Number(info.size);
      const start = options.range?.start ?? 0;
      if (options.range && start >= size)
        throw new RangeError(`${this.uriOf(key)}: the requested byte range is past the end of the object`);
      const end = Math.min(options.range?.end ?? size - 1, size - 1);
      if (end < start) {
        await handle.close();
        return Readable.from([]);
      }
      // The open handle keeps reading the version we checked even if a writer renames a new one into place.
      return handle.createReadStream({ start, end, highWaterMark: 1 << 16, signal: options.signal });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async put(key: string, body: Readable | Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    const path = await this.containedPathOf(key); // before mkdir, which would make folders through a linked one
    const folder = dirname(path);
    const temp = tempPathBeside(path, `.${randomBytes(6).toString('hex')}.cairn-tmp`);
    try {
      await mkdir(folder, { recursive: true });
      if (body instanceof Uint8Array) await writeFile(temp, body, { signal: options.signal });
      else await pipeline(body, createWriteStream(temp), { signal: options.signal });
      const written = await stat(temp);
      if (options.size !== undefined && written.size !== options.size) {
        throw new UserError(
          `${this.uriOf(key)}: the body has ${written.size} bytes but ${options.size} were expected (did the file change while it was read?). Nothing was stored.`,
        );
      }
      if (options.ifNoneMatch === '*') {
        // link() fails if the name is taken, atomically, where rename() would replace it.
        await link(temp, path).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'EEXIST'
            ? new PreconditionFailedError(this.uriOf(key), 'If-None-Match *', { cause: error })
            : error;
        });
      } else if (options.ifMatch !== undefined) {
        const ifMatch = options.ifMatch;
        await withKeyLock(path, async () => {
          const current = await statFile(path);
          if (!current || etagOf(current) !== ifMatch)
            throw new PreconditionFailedError(this.uriOf(key), `If-Match ${ifMatch}`);
          await rename(temp, path);
        });
      } else {
        await rename(temp, path);
      }
    } catch (error) {
      throw conflict(error, key, this.uriOf(key));
    } finally {
      await rm(temp, { force: true }).catch(() => {}); // gone already, or its folder could not be made
    }
    const info = await statFile(path);
    return { etag: info && etagOf(info) };
  }

  async delete(key: string): Promise<void> {
    await rm(await this.containedPathOf(key), { force: true });
  }

  async *list(prefix = ''): AsyncIterable<ListedObject> {
    yield* listFiles(this.root, checkListPrefix(prefix));
  }

  close(): void {}
}

/**
 * Every write makes a new inode (temp file + rename), so inode, size and mtime change with each
 * version without reading the bytes.
 */
function etagOf(info: BigIntStats): string {
  return `${info.ino.toString(16)}-${info.size.toString(16)}-${info.mtimeNs.toString(16)}`;
}

async function statFile(path: string): Promise<BigIntStats | undefined> {
  try {
    const info = await stat(path, { bigint: true });
    return info.isFile() ? info : undefined;
  } catch (error) {
    if (missing(error)) return undefined;
    throw error;
  }
}

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

/** S3 allows both "a" and "a/b" as keys; a folder cannot. Say so instead of surfacing ENOTDIR. */
function conflict(error: unknown, key: string, uri: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
    return new UserError(
      `${uri}: cannot store "${key}" because a file and a folder of the store would have the same name. Choose another key or remote.`,
      { cause: error },
    );
  }
  return error;
}
