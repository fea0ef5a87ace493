/**
 * A GET body that survives a dropped connection. The SDK retries a request until the response
 * headers arrive; after that a reset, a stall or a connection closed early would fail the whole
 * transfer. Here the stream picks up where it stopped with a ranged GET of the rest (conditioned on
 * the first response's etag, so two versions of an object are never spliced together), backing off
 * with jitter between attempts.
 */
import { Readable } from 'node:stream';
import type { Logger } from '../logger.ts';
import { backoffDelay, isDroppedConnection, sleep, type RetryPolicy } from './retry.ts';

/** The body ended before the length the response announced. */
export class TruncatedBodyError extends Error {
  override name = 'TruncatedBodyError';
}

/** A response body and the object offset of its first byte (a server may answer with more than the range asked for). */
export interface BodySource {
  body: Readable;
  start: number;
}

export interface ResumeOptions {
  /** First and last byte (inclusive) the stream delivers; end = start - 1 for an empty body. */
  start: number;
  end: number;
  etag?: string;
  /** Fetches bytes [start, end] again, conditioned on `etag`. */
  refetch: (start: number, end: number, etag: string | undefined) => Promise<BodySource>;
  policy: RetryPolicy;
  logger: Logger;
  uri: string;
  signal?: AbortSignal;
}

/** Resumes at most this often in one transfer even when every attempt makes progress. */
const MAX_RESUMES = 100;
/** Bytes past the wanted range still read (and dropped) so the connection can be reused. */
const MAX_EXCESS_BYTES = 1 << 20;

export function resumingBody(first: BodySource, options: ResumeOptions): Readable {
  return Readable.from(chunks(first, options), { objectMode: false, highWaterMark: 1 << 16 });
}

async function* chunks(first: BodySource, options: ResumeOptions): AsyncGenerator<Buffer> {
  const { end, policy, logger, uri, signal } = options;
  let source = first;
  let offset = options.start;
  let failuresWithoutProgress = 0;
  let resumes = 0;
  try {
    for (;;) {
      const startedAt = offset;
      let at = source.start; // object offset of the next byte this source yields
      try {
        if (offset > end) return;
        // The body is read to its natural end: a response abandoned before its last byte closes the
        // connection instead of returning it to the keep-alive pool. Only a server that sends far
        // more than was asked for is cut off.
        for await (const raw of source.body as AsyncIterable<Buffer>) {
          const chunkStart = at;
          at += raw.length;
          if (offset > end) {
            if (at - offset > MAX_EXCESS_BYTES) return;
            continue;
          }
          if (at <= offset) continue; // all before the bytes still wanted
          let chunk = chunkStart < offset ? raw.subarray(offset - chunkStart) : raw;
          if (offset + chunk.length > end + 1) chunk = chunk.subarray(0, end + 1 - offset);
          offset += chunk.length;
          yield chunk;
        }
        if (offset > end) return;
        throw new TruncatedBodyError(
          `${uri}: the connection closed after ${offset - options.start} of ${end + 1 - options.start} bytes`,
        );
      } catch (error) {
        if (!isDroppedConnection(error) || signal?.aborted) throw error;
        failuresWithoutProgress = offset > startedAt ? 1 : failuresWithoutProgress + 1;
        if (failuresWithoutProgress >= policy.maxAttempts || ++resumes > MAX_RESUMES) {
          throw new Error(
            `${uri}: download kept failing (${describe(error)}) at byte ${offset}; gave up after ${resumes} resumes`,
            { cause: error },
          );
        }
        const delay = backoffDelay(failuresWithoutProgress - 1, policy.baseDelayMs, policy.maxDelayMs);
        logger.debug(`${uri}: ${describe(error)} at byte ${offset}; resuming in ${delay} ms`);
        source.body.destroy();
        await sleep(delay, signal);
        source = await options.refetch(offset, end, options.etag);
      }
    }
  } finally {
    source.body.destroy();
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; name?: string; message?: string };
  return e.code ?? e.name ?? String(error);
}
