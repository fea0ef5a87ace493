/**
 * Data for bench/pull: random bytes (nothing compresses or dedupes), pushed with `pushPath`, which
 * leaves what `dvc add` + `dvc push` would: objects in DVC 3's layout and a `.dvc` pointer beside the data.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pLimit from 'p-limit';
import { silentLogger } from '../../core/logger.ts';
import { openStore, pushPath } from '../../core/store/index.ts';

/** `count` files of `bytes` random bytes each: `folder/00000.bin`, ... */
export async function writeRandomFolder(folder: string, count: number, bytes: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  const limit = pLimit(8);
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      limit(() => writeFile(join(folder, `${String(index).padStart(5, '0')}.bin`), randomBytes(bytes))),
    ),
  );
}

/** One file of `bytes` random bytes, written a MiB at a time so memory stays flat. */
export async function writeRandomFile(path: string, bytes: number): Promise<void> {
  await pipeline(async function* () {
    for (let left = bytes; left > 0; left -= 1 << 20) yield randomBytes(Math.min(left, 1 << 20));
  }, createWriteStream(path));
}

/** Pushes a file or folder to `remote` and returns the `.dvc` pointer written beside it. */
export async function pushForBench(path: string, remote: string, env: NodeJS.ProcessEnv): Promise<string> {
  const store = openStore(remote, { env, logger: silentLogger });
  try {
    const { pointerPath } = await pushPath(path, { store, logger: silentLogger });
    if (pointerPath === undefined) throw new Error(`pushPath(${path}) wrote no pointer file`);
    return pointerPath;
  } finally {
    store.close();
  }
}
