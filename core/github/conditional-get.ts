/**
 * Conditional GETs: a response is kept with its ETag, and the next GET of the same resource carries
 * `If-None-Match`. GitHub answers 304 when nothing changed, which costs no primary rate limit, and
 * what was computed from the last body (a parsed config, a registry state) is reused as is.
 */
import { statusOf } from './status.ts';

export interface EtagEntry {
  etag: string;
  value: unknown;
}

/** Where entries are kept between calls: any Map-like store (the app passes an LRU). */
export interface EtagCache {
  get(key: string): EtagEntry | undefined;
  set(key: string, entry: EtagEntry): unknown;
}

interface Response<R> {
  data: R;
  headers: { etag?: string };
}

/**
 * `derive(data)` for the resource `key`, fetched by `request` with the given extra headers; on a 304
 * the value derived from the body the ETag belongs to. A value whose derivation threw is never
 * kept, so a bad file is read (and reported) again. Without a cache this is a plain GET.
 */
export async function conditionalGet<R, T>(
  cache: EtagCache | undefined,
  key: string,
  request: (headers: Record<string, string>) => Promise<Response<R>>,
  derive: (data: R) => T | Promise<T>,
): Promise<T> {
  const known = cache?.get(key);
  let response: Response<R>;
  try {
    response = await request(known ? { 'if-none-match': known.etag } : {});
  } catch (error) {
    if (known && statusOf(error) === 304) return known.value as T;
    throw error;
  }
  const etag = response.headers.etag;
  if (!cache || !etag) return derive(response.data);
  // Several handlers can get the same new answer at once (a tag push, and the comments right
  // after it): the same ETag is the same body, so it is derived once and shared.
  const current = cache.get(key);
  if (current?.etag === etag) return current.value as T;
  const inFlight = derivingFor(cache);
  const flight = `${key}\n${etag}`;
  const pending = inFlight.get(flight);
  if (pending) return pending as Promise<T>;
  const deriving = Promise.resolve().then(() => derive(response.data));
  inFlight.set(flight, deriving);
  try {
    const value = await deriving;
    cache.set(key, { etag, value });
    return value;
  } finally {
    inFlight.delete(flight);
  }
}

/** Derivations under way, per cache, by resource and ETag. */
const derivations = new WeakMap<EtagCache, Map<string, Promise<unknown>>>();

function derivingFor(cache: EtagCache): Map<string, Promise<unknown>> {
  let map = derivations.get(cache);
  if (!map) derivations.set(cache, (map = new Map()));
  return map;
}
