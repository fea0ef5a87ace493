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
  const value = await derive(response.data);
  if (cache && response.headers.etag) cache.set(key, { etag: response.headers.etag, value });
  return value;
}
