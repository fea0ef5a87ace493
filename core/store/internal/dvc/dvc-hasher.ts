import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UserError } from '../../../errors.ts';
import { dos2unix, isTextBlock } from './text-detection.ts';
import type { DvcHashKind } from './types.ts';

/** DVC hashes in 1 MiB reads and normalises each read on its own, so block edges change the md5. */
export const DVC_HASH_BLOCK_BYTES = 1 << 20;

export interface DvcDigest {
  kind: DvcHashKind;
  /** The md5 DVC writes: raw bytes (md5), or as DVC 2.x computed md5-dos2unix. */
  md5: string;
  /**
   * Every md5 a DVC release would give these bytes. Holds one value, except for md5-dos2unix files
   * over 1 MiB whose blocks disagree about being text: DVC 2.x asked once (first 512 bytes of the
   * file), DVC 3 asks per block, so either may have written the pointer.
   */
  accepted: readonly string[];
  /** Bytes read (before any normalisation). */
  size: number;
}

export interface DvcHasher {
  update(chunk: Uint8Array): void;
  digest(): DvcDigest;
}

/** Incremental hashing for bytes that stream past (a download being written to disk). */
export function createDvcHasher(kind: DvcHashKind): DvcHasher {
  return kind === 'md5' ? rawHasher() : dos2unixHasher();
}

function rawHasher(): DvcHasher {
  const hash = createHash('md5');
  let size = 0;
  return {
    update(chunk) {
      hash.update(chunk);
      size += chunk.length;
    },
    digest() {
      const md5 = hash.digest('hex');
      return { kind: 'md5', md5, accepted: [md5], size };
    },
  };
}

function dos2unixHasher(): DvcHasher {
  const block = Buffer.allocUnsafe(DVC_HASH_BLOCK_BYTES);
  let filled = 0;
  let size = 0;
  let fileIsText: boolean | undefined; // DVC 2.x: decided once, by the file's first block
  const asV2 = createHash('md5');
  let asV3: Hash | undefined; // forked from asV2 at the first block where per-block detection disagrees

  const flush = () => {
    const bytes = block.subarray(0, filled);
    const blockIsText = isTextBlock(bytes);
    fileIsText ??= blockIsText;
    if (!asV3 && blockIsText !== fileIsText) asV3 = asV2.copy();
    asV2.update(fileIsText ? dos2unix(bytes) : bytes);
    asV3?.update(blockIsText ? dos2unix(bytes) : bytes);
    filled = 0;
  };

  return {
    update(chunk) {
      size += chunk.length;
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(chunk.length - offset, DVC_HASH_BLOCK_BYTES - filled);
        block.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === DVC_HASH_BLOCK_BYTES) flush();
      }
    },
    digest() {
      if (filled > 0) flush();
      const md5 = asV2.digest('hex');
      const accepted = asV3 ? [md5, asV3.digest('hex')] : [md5];
      return { kind: 'md5-dos2unix', md5, accepted, size };
    },
  };
}

/** Hashes a stream of bytes the way DVC hashes a file of those bytes. */
export async function hashDvcStream(source: AsyncIterable<Uint8Array>, kind: DvcHashKind): Promise<DvcDigest> {
  const hasher = createDvcHasher(kind);
  for await (const chunk of source) hasher.update(chunk);
  return hasher.digest();
}

/** Hashes a file the way DVC does, streamed (the file may be larger than memory). */
export async function hashDvcFile(path: string, kind: DvcHashKind): Promise<DvcDigest> {
  try {
    return await hashDvcStream(createReadStream(path, { highWaterMark: DVC_HASH_BLOCK_BYTES }), kind);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${path} does not exist. Check the path.`, { cause: error });
    if (code === 'EISDIR')
      throw new UserError(`${path} is a folder, not a file. Pass the path of a file.`, { cause: error });
    throw error;
  }
}

/**
 * True when `expected` (an id from a pointer file or manifest) is one DVC could have written for
 * these bytes. A folder's id `<md5>.dir` is checked against the bytes of its manifest.
 */
export function digestMatches(digest: DvcDigest, expected: string): boolean {
  return digest.accepted.includes(expected.endsWith('.dir') ? expected.slice(0, -4) : expected);
}
