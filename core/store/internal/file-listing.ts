/**
 * Lists a file store's folder the way S3 lists a bucket: every file whose key (path relative to the
 * root, "/"-separated) starts with a string prefix, in key byte order, without reading folders the
 * prefix rules out. Our own temporary and lock files are not objects and are skipped.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isWithin, resolveExisting } from './file-containment.ts';
import { compareKeys, type ListedObject } from '../store.ts';

/** Names of in-flight writes (`.name.random.cairn-tmp`) and of conditional-write locks. */
export const isScratchName = (name: string): boolean =>
  name.startsWith('.') && (name.endsWith('.cairn-tmp') || name.endsWith('.cairn-lock'));

export async function* listFiles(root: string, prefix: string): AsyncIterable<ListedObject> {
  const slash = prefix.lastIndexOf('/');
  const folderKey = slash < 0 ? '' : prefix.slice(0, slash);
  yield* walk(root, await resolveExisting(root), folderKey, prefix.slice(slash + 1));
}

async function* walk(
  root: string,
  realRoot: string,
  folderKey: string,
  namePrefix: string,
): AsyncIterable<ListedObject> {
  let entries: Dirent[];
  try {
    entries = await readdir(folderKey ? join(root, ...folderKey.split('/')) : root, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return; // nothing stored under this prefix yet
    throw error;
  }
  const kept: Array<{ entry: Dirent; folder: boolean; sortKey: string }> = [];
  for (const entry of entries) {
    if (!entry.name.startsWith(namePrefix) || isScratchName(entry.name)) continue;
    // Symlinked folders are not followed (no cycles, nothing outside the root); symlinked files inside the root are listed.
    const folder = entry.isDirectory();
    if (!folder && !entry.isFile() && !entry.isSymbolicLink()) continue;
    // A folder's keys all start with "name/", which is how it sorts among its siblings' keys.
    kept.push({ entry, folder, sortKey: folder ? `${entry.name}/` : entry.name });
  }
  kept.sort((a, b) => compareKeys(a.sortKey, b.sortKey));
  for (const { entry, folder } of kept) {
    const key = folderKey ? `${folderKey}/${entry.name}` : entry.name;
    if (folder) {
      yield* walk(root, realRoot, key, '');
      continue;
    }
    try {
      const path = join(root, ...key.split('/'));
      // A linked file is an object only when it stays in the store: its size is not ours to list otherwise.
      if (entry.isSymbolicLink() && !isWithin(realRoot, await realpath(path))) continue;
      const info = await stat(path);
      if (info.isFile()) yield { key, size: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // removed since readdir, or a dangling link
    }
  }
}
