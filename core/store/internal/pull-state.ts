/**
 * What a pull remembers about the files it put in place, so the next pull can skip a file without
 * hashing it: path -> (inode, size, mtime in ns) -> md5, as DVC's state database does. Any write to
 * the file changes its mtime or inode, and then the file is hashed again. Kept in the cache folder
 * as one JSON file, written atomically; a missing or unreadable file just means "hash everything".
 */
import type { BigIntStats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../atomic-write.ts';

const STATE_FILE = 'workspace-state.json';
const SCHEMA = 'cairn.workspace-state/v1';
/** Entries beyond this many (oldest first) are dropped, so the file stays small on long-lived runners. */
const MAX_ENTRIES = 200_000;

export class WorkspaceState {
  private entries: Map<string, string>;
  private changed = false;

  private constructor(
    private readonly path: string | undefined,
    entries: Map<string, string>,
  ) {
    this.entries = entries;
  }

  /** The state kept in `cacheDir`, or an empty one that is never saved when there is no cache. */
  static async load(cacheDir: string | undefined): Promise<WorkspaceState> {
    if (cacheDir === undefined) return new WorkspaceState(undefined, new Map());
    const path = join(cacheDir, STATE_FILE);
    const entries = new Map<string, string>();
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as { schema?: unknown; files?: unknown };
      if (parsed.schema === SCHEMA && typeof parsed.files === 'object' && parsed.files !== null) {
        for (const [file, value] of Object.entries(parsed.files))
          if (typeof value === 'string') entries.set(file, value);
      }
    } catch {
      // absent or damaged: start empty, files are hashed instead
    }
    return new WorkspaceState(path, entries);
  }

  /** The md5 recorded for this exact file version, if any. */
  lookup(path: string, info: BigIntStats): string | undefined {
    const value = this.entries.get(path);
    if (value === undefined) return undefined;
    const cut = value.lastIndexOf(' ');
    return value.slice(0, cut) === fingerprint(info) ? value.slice(cut + 1) : undefined;
  }

  record(path: string, info: BigIntStats, md5: string): void {
    this.entries.delete(path); // re-inserted last: Map order is age order
    this.entries.set(path, `${fingerprint(info)} ${md5}`);
    this.changed = true;
  }

  async save(): Promise<void> {
    if (this.path === undefined || !this.changed) return;
    const all = [...this.entries];
    const kept = all.slice(Math.max(0, all.length - MAX_ENTRIES));
    await writeFileAtomic(this.path, JSON.stringify({ schema: SCHEMA, files: Object.fromEntries(kept) }));
    this.changed = false;
  }
}

function fingerprint(info: BigIntStats): string {
  return `${info.ino}:${info.size}:${info.mtimeNs}`;
}
