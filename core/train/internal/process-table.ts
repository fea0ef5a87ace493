/**
 * The processes of a training run as Linux's /proc shows them: who belongs to the command's process
 * group, who descends from it (also one that left the group with setsid), and whether each is still
 * running. A zombie counts as gone: it runs nothing and holds no memory, and in a container whose
 * PID 1 does not reap, an orphan's zombie would otherwise look alive forever.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  /** Clock ticks after boot: with the pid, names one process even after its pid is reused. */
  startTime: string;
  zombie: boolean;
}

/** Every process /proc lists; undefined where there is no /proc (macOS), so callers fall back to kill(-pgid, 0). */
export function readProcessTable(procRoot = '/proc'): ProcessEntry[] | undefined {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return undefined;
  }
  const entries: ProcessEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProcessEntry(procRoot, Number(name));
    if (entry) entries.push(entry);
  }
  return entries;
}

export function readProcessEntry(procRoot: string, pid: number): ProcessEntry | undefined {
  let stat: string;
  try {
    stat = readFileSync(join(procRoot, String(pid), 'stat'), 'utf8');
  } catch {
    return undefined; // exited between the listing and the read
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, ppid, pgrp] = fields;
  return {
    pid,
    ppid: Number(ppid),
    pgrp: Number(pgrp),
    startTime: fields[19],
    zombie: state === 'Z' || state === 'X',
  };
}

/** The live processes of group `pgid`, and the live descendants of `rootPid` wherever their group is. */
export function treeOf(table: readonly ProcessEntry[], rootPid: number, pgid: number): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of table) {
    const siblings = children.get(entry.ppid);
    if (siblings) siblings.push(entry);
    else children.set(entry.ppid, [entry]);
  }
  const found = new Map<number, ProcessEntry>();
  for (const entry of table) if (entry.pgrp === pgid) found.set(entry.pid, entry);
  const root = table.find((entry) => entry.pid === rootPid);
  const queue = [...(root ? [root] : []), ...found.values()];
  while (queue.length > 0) {
    const entry = queue.pop()!;
    for (const child of children.get(entry.pid) ?? []) {
      if (found.has(child.pid)) continue;
      found.set(child.pid, child);
      queue.push(child);
    }
  }
  if (root) found.set(root.pid, root);
  return [...found.values()].filter((entry) => !entry.zombie);
}
