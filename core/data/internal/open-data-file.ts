import { open, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../../errors.ts';
import { MAX_RECORD_BYTES } from './record-bounds.ts';

/**
 * Opens a data file for reading, turning the usual mistakes (wrong path, a folder, no permission,
 * an empty file) into UserErrors that say what to check.
 */
export async function openDataFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new UserError(
        `${path} is a folder, not a data file. Pass the path of a .csv, .tsv, .jsonl or .parquet file.`,
      );
    }
    size = info.size;
  } catch (error) {
    throw fileError(path, error);
  }
  if (size === 0) throw new UserError(`${path} is empty. It needs a header row and at least one data row.`);
  try {
    return { handle: await open(path, 'r'), size };
  } catch (error) {
    throw fileError(path, error);
  }
}

function fileError(path: string, error: unknown): unknown {
  if (error instanceof UserError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UserError(`data file ${path} does not exist (looked for ${resolve(path)}). Check the path.`, {
      cause: error,
    });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserError(`data file ${path} cannot be read: permission denied. Check the file's permissions.`, {
      cause: error,
    });
  }
  return error;
}

/** Reads into `buffer[offset..]` until it is full or the file ends; returns the bytes read. */
export async function readInto(handle: FileHandle, buffer: Buffer, offset: number): Promise<number> {
  let total = 0;
  while (offset + total < buffer.length) {
    const { bytesRead } = await handle.read(buffer, offset + total, buffer.length - offset - total, null);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  return total;
}

/**
 * A file read a chunk at a time: `buffer[0..filled)` holds the bytes not consumed yet. Memory is one
 * chunk, grown only when a single record (row, line) is longer than the whole buffer, and never past
 * `maxRecordBytes`: a record longer than that is refused with `tooLong()` (the caller knows the line).
 */
export class FileChunks {
  buffer: Buffer;
  filled = 0;
  eof = false;

  constructor(
    private readonly handle: FileHandle,
    chunkSize: number,
    private readonly tooLong: (maxBytes: number) => UserError,
    private readonly maxRecordBytes = MAX_RECORD_BYTES,
  ) {
    this.buffer = Buffer.allocUnsafe(Math.min(chunkSize, maxRecordBytes));
  }

  /** Drops the first `consumed` bytes, keeps the unparsed tail at the start and reads the next chunk after it. */
  async refill(consumed: number): Promise<void> {
    if (consumed > 0) {
      this.buffer.copy(this.buffer, 0, consumed, this.filled);
      this.filled -= consumed;
    } else if (this.filled === this.buffer.length) {
      if (this.buffer.length >= this.maxRecordBytes) throw this.tooLong(this.maxRecordBytes);
      const larger = Buffer.allocUnsafe(Math.min(this.buffer.length * 2, this.maxRecordBytes));
      this.buffer.copy(larger, 0, 0, this.filled);
      this.buffer = larger;
    }
    this.filled += await readInto(this.handle, this.buffer, this.filled);
    this.eof = this.filled < this.buffer.length;
  }
}
