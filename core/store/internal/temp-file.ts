/**
 * Temp files beside their destination, named so a later run can tell its own leftovers from the
 * user's files: `.<name>.cairn-<pid>-<random>.tmp` (a hash for a name too long to fit). A pull writes every file through one and renames
 * it into place only once its bytes are verified, so a killed run leaves temp files, never a partial
 * file under the real name; the next run removes the leftovers of processes that no longer exist.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempPathBeside } from '../../atomic-write.ts';

const TEMP_NAME = /^\..+\.cairn-(\d+)-[0-9a-f]{12}\.tmp$/;

export function tempPathFor(path: string): string {
  return tempPathBeside(path, `.cairn-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Removes temp files in `folder` left by Cairn processes that have exited. Returns the names the
 * folder holds besides Cairn's temp files (empty when it does not exist), so a caller can skip
 * looking for files that are not there.
 */
export async function removeStaleTempFiles(folder: string): Promise<Set<string>> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return new Set(); // not there yet: nothing to clean
  }
  const others = new Set<string>();
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined) others.add(name);
    else if (!isRunning(Number(pid))) await rm(join(folder, name), { force: true });
  }
  return others;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}
