/**
 * GitHub redelivers webhooks (on timeouts, or when someone presses "Redeliver"), with the same
 * X-GitHub-Delivery id. The first line of defence is this in-memory record of delivery ids; the
 * durable markers each handler keeps in GitHub itself (check run external ids, reply markers)
 * cover restarts and several app instances. A delivery that failed is forgotten, so its
 * redelivery runs again. Work on one key (a tag, a comment) is also serialised within the process,
 * so two deliveries of the same event cannot both miss the marker and both act.
 */
import { LruCache } from './lru.ts';

export type DeliveryOutcome = 'handled' | 'duplicate';

export class DeliveryGuard {
  readonly #seen: LruCache<string, 'running' | 'done'>;
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(capacity = 10_000) {
    this.#seen = new LruCache(capacity);
  }

  /** Runs `work` unless delivery `id` ran (or is running) already. */
  async once(id: string, work: () => Promise<void>): Promise<DeliveryOutcome> {
    if (this.#seen.has(id)) return 'duplicate';
    this.#seen.set(id, 'running');
    try {
      await work();
    } catch (error) {
      this.#seen.delete(id);
      throw error;
    }
    this.#seen.set(id, 'done');
    return 'handled';
  }

  /** Runs `work` after any other work on `key` in this process has finished. */
  async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(work);
    const tail = run.catch(() => undefined);
    this.#locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    }
  }
}
