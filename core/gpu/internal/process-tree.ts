/**
 * The resident memory of a process and all its descendants, read from /proc. Descendants are found
 * through /proc/<pid>/task/<tid>/children (one small file per thread, no scan of every process);
 * where the kernel lacks them (CONFIG_PROC_CHILDREN off) every /proc/<pid>/stat is read for its
 * ppid. The sum counts shared pages once per process, like `ps` summed: an upper bound, not PSS.
 *
 * Synchronous on purpose: /proc is memory, not disk, and a sample is ~100 small reads; through the
 * thread pool each read costs a round trip that made a sample several times dearer
 * (bench/train/gpu-sampling). scanParents is exported for that bench, which measures both walks.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function treeRssKib(rootPid: number, procRoot = '/proc'): number {
  return treePids(rootPid, procRoot).reduce((sum, pid) => sum + rssKib(pid, procRoot), 0);
}

export function treePids(rootPid: number, procRoot = '/proc'): number[] {
  return walkChildrenFiles(rootPid, procRoot) ?? scanParents(rootPid, procRoot);
}

/** null when this kernel has no children files (the root exists, yet none could be read). */
function walkChildrenFiles(rootPid: number, procRoot: string): number[] | null {
  const seen = new Set<number>();
  let frontier = [rootPid];
  let anyChildrenFile = false;
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const pid of frontier) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      for (const tid of list(join(procRoot, String(pid), 'task'))) {
        const children = read(join(procRoot, String(pid), 'task', tid, 'children'));
        if (children === null) continue; // the thread ended, or no such file on this kernel
        anyChildrenFile = true;
        for (const child of children.split(' ')) if (child.trim()) next.push(Number(child));
      }
    }
    frontier = next;
  }
  if (!anyChildrenFile && read(join(procRoot, String(rootPid), 'stat')) !== null) return null;
  return [...seen];
}

export function scanParents(rootPid: number, procRoot = '/proc'): number[] {
  const children = new Map<number, number[]>();
  for (const entry of list(procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(Number(entry), procRoot);
    if (ppid === null) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree = new Set<number>();
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (tree.has(pid)) continue;
    tree.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return [...tree];
}

/** The stat line's comm is in parentheses and may hold spaces or ")": the fields follow the last ")". */
function parentOf(pid: number, procRoot: string): number | null {
  const stat = read(join(procRoot, String(pid), 'stat'));
  if (stat === null) return null;
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** VmRSS from status is in KiB whatever the page size (statm counts pages: 4 KiB, or 64 KiB on some arm64). */
function rssKib(pid: number, procRoot: string): number {
  const status = read(join(procRoot, String(pid), 'status'));
  const match = status === null ? null : /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0; // gone, a zombie, or a kernel thread: no VmRSS
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function list(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
