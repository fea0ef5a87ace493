/**
 * The command's process tree, and how it is stopped. Stopping signals the whole process group and,
 * where /proc shows them, every descendant that left the group (setsid, a daemonising double fork)
 * and was seen while the run went on: the tree is watched at the telemetry interval, so a process
 * that escaped the group and lost its parent between two looks is the one case not covered.
 */
import { readProcessEntry, readProcessTable, treeOf } from './process-table.ts';

const POLL_MS = 50;
/** SIGKILL takes effect at once, except for a process in uninterruptible sleep (stuck I/O): wait this long for those. */
const KILL_WAIT_MS = 2_000;

export interface StopReport {
  /** SIGTERM was not enough within the grace period: the rest got SIGKILL. */
  killed: boolean;
  /** Processes still there after SIGKILL (uninterruptible sleep); empty when the tree is gone. */
  survivors: number[];
}

export class ProcessTree {
  /** pid -> start time, of every live process of the tree seen so far. */
  readonly #known = new Map<number, string>();
  readonly #procRoot: string;

  constructor(
    readonly rootPid: number,
    options: { procRoot?: string } = {},
  ) {
    this.#procRoot = options.procRoot ?? '/proc';
  }

  /** Looks again: adds new members of the tree, forgets those that ended; the live pids, or undefined without /proc. */
  refresh(): number[] | undefined {
    const table = readProcessTable(this.#procRoot);
    if (!table) return undefined;
    for (const entry of treeOf(table, this.rootPid, this.rootPid)) this.#known.set(entry.pid, entry.startTime);
    for (const [pid, startTime] of this.#known) {
      const entry = table.find((candidate) => candidate.pid === pid);
      if (!entry || entry.zombie || entry.startTime !== startTime) this.#known.delete(pid);
    }
    return [...this.#known.keys()];
  }

  /** Whether any process of the tree still runs. */
  alive(): boolean {
    const live = this.refresh();
    if (live !== undefined) return live.length > 0;
    try {
      process.kill(-this.rootPid, 0); // no /proc: the group is all we can see
      return true;
    } catch {
      return false;
    }
  }

  signal(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.rootPid, signal);
    } catch {
      // ESRCH: no process left in the group; descendants outside it are signalled below
    }
    for (const [pid, startTime] of this.#known) {
      const entry = readProcessEntry(this.#procRoot, pid);
      if (!entry || entry.zombie || entry.startTime !== startTime || entry.pgrp === this.rootPid) continue;
      try {
        process.kill(pid, signal);
      } catch {
        // ended meanwhile
      }
    }
  }

  /** SIGTERM to all, up to `graceMs` for them to end, then SIGKILL to what is left. */
  async stop(graceMs: number): Promise<StopReport> {
    this.refresh();
    this.signal('SIGTERM');
    if (await this.#gone(graceMs)) return { killed: false, survivors: [] };
    this.refresh();
    this.signal('SIGKILL');
    await this.#gone(KILL_WAIT_MS);
    return { killed: true, survivors: this.refresh() ?? [] };
  }

  async #gone(withinMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      if (!this.alive()) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
    }
  }
}
