import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';

/**
 * Runs `work` on every item, at most `jobs` at a time. The first failure stops the rest: queued
 * items are not started and running ones see `signal` abort. It settles only after every started
 * item has finished, so nothing is still writing when the caller hears of the failure, and it
 * rethrows that first failure (not the aborts it caused). `outer` cancels the whole run.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  jobs: number,
  work: (item: T, signal: AbortSignal) => Promise<void>,
  outer?: AbortSignal,
): Promise<void> {
  const abort = new AbortController();
  // Every running item hangs listeners on the one signal (its read stream, the store's write, the
  // SDK's requests, ranged parts) and removes them when it ends, so their number is bounded by the
  // items running; how many each adds depends on the store, so Node's leak warning would misfire
  // in the user's terminal (an S3 pull with 16 jobs passed 128).
  setMaxListeners(0, abort.signal);
  const cancel = () => abort.abort(outer?.reason);
  if (outer?.aborted) cancel();
  else outer?.addEventListener('abort', cancel, { once: true });
  const limit = pLimit(jobs);
  let failure: { error: unknown } | undefined;
  try {
    await Promise.all(
      items.map((item) =>
        limit(async () => {
          if (abort.signal.aborted) return;
          try {
            await work(item, abort.signal);
          } catch (error) {
            if (failure === undefined && !abort.signal.aborted) {
              failure = { error };
              abort.abort(error);
            }
          }
        }),
      ),
    );
  } finally {
    outer?.removeEventListener('abort', cancel);
  }
  if (failure) throw failure.error;
  outer?.throwIfAborted();
}
