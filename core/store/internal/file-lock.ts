/**
 * A lock file beside one object, for the file store's compare-and-swap (`ifMatch`): check the
 * current version and rename the new one into place with no other conditional writer in between.
 * Created with O_EXCL, so two processes cannot both hold it; a lock left by a crashed process is
 * taken over once it is older than any real critical section.
 */
import { open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { sleep } from '../retry.ts';

const STALE_MS = 30_000;
const WAIT_MS = 10_000;

export async function withKeyLock<T>(path: string, critical: () => Promise<T>): Promise<T> {
  const lock = join(dirname(path), `.${basename(path)}.cairn-lock`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      await (await open(lock, 'wx')).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await rm(lock, { force: true });
      else if (Date.now() > deadline)
        throw new Error(
          `${path} is locked by another writer (${lock}); remove the lock file if no cairn process is running`,
          { cause: error },
        );
      else await sleep(5 + Math.random() * 20);
    }
  }
  try {
    return await critical();
  } finally {
    await rm(lock, { force: true });
  }
}
