/**
 * The resident memory of a process and all its descendants, read from /proc. Descendants are found
 * through /proc/<pid>/task/<tid>/children (one small file per thread, no scan of every process);
 * where the kernel lacks it (CONFIG_PROC_CHILDREN off) every /proc/<pid>/stat is read for its ppid.
 * The sum counts shared pages once per process, like `ps` summed: an upper bound, not PSS.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function treeRssKib(rootPid: number, procRoot = '/proc'): Promise<number> {
  const pids = await treePids(rootPid, procRoot);
  const sizes = await Promise.all(pids.map((pid) => rssKib(pid, procRoot)));
  return sizes.reduce((sum, size) => sum + size, 0);
}

export async function treePids(rootPid: number, procRoot = '/proc'): Promise<number[]> {
  const byChildrenFiles = await walkChildrenFiles(rootPid, procRoot);
  return byChildrenFiles ?? scanParents(rootPid, procRoot);
}

/** null when this kernel has no children files. */
async function walkChildrenFiles(rootPid: number, procRoot: string): Promise<number[] | null> {
  const seen = new Set<number>();
  let frontier = [rootPid];
  let anyChildrenFile = false;
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const pid of frontier) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      let tids: string[];
      try {
        tids = await readdir(join(procRoot, String(pid), 'task'));
      } catch {
        continue; // exited between two reads
      }
      for (const tid of tids) {
        try {
          const text = await readFile(join(procRoot, String(pid), 'task', tid, 'children'), 'utf8');
          anyChildrenFile = true;
          for (const child of text.split(' ')) if (child.trim()) next.push(Number(child));
        } catch {
          // thread gone, or no such file on this kernel
        }
      }
    }
    frontier = next;
  }
  if (!anyChildrenFile && seen.size > 0 && (await exists(join(procRoot, String(rootPid))))) return null;
  return [...seen];
}

async function scanParents(rootPid: number, procRoot: string): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir(procRoot).catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = await parentOf(Number(entry), procRoot);
    if (ppid === null) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (tree.includes(pid)) continue;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** The stat line's comm is in parentheses and may hold spaces or ")": the fields follow the last ")". */
async function parentOf(pid: number, procRoot: string): Promise<number | null> {
  try {
    const stat = await readFile(join(procRoot, String(pid), 'stat'), 'utf8');
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(after[1]);
  } catch {
    return null;
  }
}

/** VmRSS from status is in KiB whatever the page size (statm counts pages: 4 KiB or 64 KiB on arm64). */
async function rssKib(pid: number, procRoot: string): Promise<number> {
  try {
    const status = await readFile(join(procRoot, String(pid), 'status'), 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : 0; // kernel threads and zombies have no VmRSS
  } catch {
    return 0;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await readdir(path);
    return true;
  } catch {
    return false;
  }
}
