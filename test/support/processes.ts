import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether `pid` still runs: it exists and is not a zombie (an orphan's zombie waits for PID 1 to reap it). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    try {
      process.kill(pid, 0); // no /proc (macOS)
      return true;
    } catch {
      return false;
    }
  }
}

/** Waits (up to `withinMs`) for a file to appear; throws if it does not. */
export async function waitForFile(path: string, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${withinMs} ms`);
    await sleep(20);
  }
}

export function pidsIn(path: string): number[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number);
}

/** Kills what a failed test left behind, so one failure does not leave sleeps for the rest of the run. */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
