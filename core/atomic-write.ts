import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Most filesystems (ext4, XFS, btrfs, APFS for ASCII) cap one name at 255 bytes. */
export const MAX_NAME_BYTES = 255;

/**
 * A hidden temporary name beside `path`, ending in `suffix`: `.<name><suffix>`, or, when that would
 * not fit in a name, `.<16 hex of the name's sha256><suffix>`, so every name the filesystem takes
 * can be written through a temporary file.
 */
export function tempPathBeside(path: string, suffix: string): string {
  const name = basename(path);
  const stem =
    Buffer.byteLength(`.${name}${suffix}`) <= MAX_NAME_BYTES
      ? name
      : createHash('sha256').update(name).digest('hex').slice(0, 16);
  return join(dirname(path), `.${stem}${suffix}`);
}

/**
 * Writes a file so that readers see the old content or the new, never half of it: the bytes go to a
 * temporary file in the same folder (same filesystem, so rename is atomic) and are renamed into place.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathBeside(path, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes several files only after all of their contents are ready; a failure leaves none half-written. */
export async function writeFilesAtomic(
  files: ReadonlyArray<{ path: string; data: string | Uint8Array }>,
): Promise<void> {
  for (const file of files) await writeFileAtomic(file.path, file.data);
}

/** Copies a file, or a folder's files (recursively), each through `writeFileAtomic`. */
export async function copyAtomic(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (entries === undefined) return writeFileAtomic(to, await readFile(from));
  await mkdir(to, { recursive: true });
  for (const entry of entries) await copyAtomic(join(from, entry.name), join(to, entry.name));
}
