/**
 * The s3:// store on the AWS SDK v3: HEAD, ranged and resumable GET, PUT (multipart through
 * @aws-sdk/lib-storage for large or streamed bodies), conditional PUT, and paginated listing.
 */
import { pipeline, Readable, Transform } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { resumingBody } from './resuming-body.ts';
import { DirectGetter } from './internal/s3-direct-get.ts';
import type { RetryPolicy } from './retry.ts';
import { createS3Client, type S3ClientOptions } from './s3-client.ts';
import { s3Error, type S3ErrorContext } from './internal/s3-errors.ts';
import {
  checkListPrefix,
  checkObjectKey,
  checkRange,
  type GetOptions,
  type ListedObject,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  type PutResult,
} from './store.ts';

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing "/"; "" for the bucket's root. */
  prefix: string;
}

/** Bodies up to this size go in one PutObject; larger and streamed ones as multipart parts of this size. */
export const MULTIPART_PART_SIZE = 8 * 1024 * 1024;
const MAX_PARTS = 10_000;

export class S3Store implements ObjectStore {
  readonly uri: string;
  readonly client: S3Client;
  private readonly endpoint?: string;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private readonly direct?: DirectGetter;

  constructor(
    readonly location: S3Location,
    options: S3ClientOptions,
  ) {
    this.uri = `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
    ({ client: this.client, endpoint: this.endpoint, retry: this.retry } = createS3Client(options));
    this.logger = options.logger;
    if (options.directGet !== false) this.direct = new DirectGetter(this.client, location.bucket);
  }

  uriOf(key: string): string {
    return `${this.uri}/${key}`;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const Key = this.objectKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key }));
      return { size: out.ContentLength ?? 0, etag: unquote(out.ETag) };
    } catch (error) {
      if ((error as { name?: string }).name === 'NotFound' || (error as { name?: string }).name === 'NoSuchKey')
        return undefined;
      throw s3Error(error, this.context(key));
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const Key = this.objectKey(key);
    const uri = this.uriOf(key);
    if (options.range) checkRange(options.range);
    const send = async (start: number | undefined, end: number | undefined, etag: string | undefined) => {
      const Range = start === undefined ? undefined : `bytes=${start}-${end ?? ''}`;
      const IfMatch = etag === undefined ? undefined : `"${etag}"`;
      try {
        // The fast path when S3 answers 200/206; any other answer is asked again through the SDK's command.
        const direct = await this.direct?.get(Key, { range: Range, ifMatch: IfMatch }, options.signal);
        const out = direct
          ? {
              Body: direct.body,
              ETag: direct.etag,
              ContentRange: direct.contentRange,
              ContentLength: direct.contentLength,
            }
          : await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key, Range, IfMatch }), {
              abortSignal: options.signal,
            });
        return { out, served: servedRange(out.ContentRange, out.ContentLength ?? 0) };
      } catch (error) {
        throw s3Error(error, this.context(key, etag === undefined ? undefined : `If-Match ${etag}`));
      }
    };
    const { out, served } = await send(options.range?.start, options.range?.end, options.ifMatch);
    const start = options.range?.start ?? 0;
    const end = Math.min(options.range?.end ?? Infinity, served.total - 1);
    // Some S3-compatible servers answer a range with more than was asked (s3rver: all of it for
    // "bytes=0-0"); the body stream skips and cuts to the bytes asked for. Less than asked is an error.
    const covers = (got: ServedRange, from: number) => got.start <= from && got.end >= end;
    if (!covers(served, start))
      throw new Error(`${uri}: asked for bytes ${start}-${end}, the server sent ${served.start}-${served.end}`);
    return resumingBody(
      { body: out.Body as Readable, start: served.start },
      {
        start,
        end,
        etag: unquote(out.ETag) ?? options.ifMatch,
        refetch: async (from, to, etag) => {
          const again = await send(from, to, etag);
          if (!covers(again.served, from))
            throw new Error(
              `${uri}: asked for bytes ${from}-${to}, the server sent ${again.served.start}-${again.served.end}`,
            );
          return { body: again.out.Body as Readable, start: again.served.start };
        },
        policy: this.retry,
        logger: this.logger,
        uri,
        signal: options.signal,
      },
    );
  }

  async put(key: string, body: Readable | Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    const Key = this.objectKey(key);
    const base = { Bucket: this.location.bucket, Key, ContentType: options.contentType ?? 'application/octet-stream' };
    const conditional = options.ifNoneMatch !== undefined || options.ifMatch !== undefined;
    if (body instanceof Uint8Array) checkBodySize(this.uriOf(key), body.length, options.size);
    try {
      if (conditional || (body instanceof Uint8Array && body.length <= MULTIPART_PART_SIZE)) {
        const bytes = body instanceof Uint8Array ? body : await readAll(body, this.uriOf(key), options.size);
        const out = await this.client.send(
          new PutObjectCommand({
            ...base,
            Body: bytes,
            ContentLength: bytes.length,
            IfNoneMatch: options.ifNoneMatch,
            IfMatch: options.ifMatch === undefined ? undefined : `"${options.ifMatch}"`,
          }),
          { abortSignal: options.signal },
        );
        return { etag: unquote(out.ETag) };
      }
      // lib-storage cuts the body into Buffer parts, which the SDK can resend on a retry (a stream it cannot).
      const source =
        body instanceof Uint8Array || options.size === undefined
          ? body
          : checkedStream(body, this.uriOf(key), options.size);
      const size = options.size ?? (body instanceof Uint8Array ? body.length : undefined);
      const upload = new Upload({
        client: this.client,
        params: { ...base, Body: source },
        partSize: size === undefined ? MULTIPART_PART_SIZE : Math.max(MULTIPART_PART_SIZE, Math.ceil(size / MAX_PARTS)),
        queueSize: 4,
      });
      options.signal?.addEventListener('abort', () => void upload.abort(), { once: true });
      const out = await upload.done();
      return { etag: unquote(out.ETag) };
    } catch (error) {
      const condition = options.ifNoneMatch
        ? 'If-None-Match *'
        : options.ifMatch
          ? `If-Match ${options.ifMatch}`
          : undefined;
      throw s3Error(error, this.context(key, condition));
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      throw s3Error(error, this.context(key));
    }
  }

  async *list(prefix = ''): AsyncIterable<ListedObject> {
    checkListPrefix(prefix);
    const root = this.location.prefix ? `${this.location.prefix}/` : '';
    const pages = paginateListObjectsV2(
      { client: this.client, pageSize: 1000 },
      { Bucket: this.location.bucket, Prefix: root + prefix },
    );
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          // "folder/" placeholders that consoles create are not objects in our sense.
          if (!object.Key || object.Key.endsWith('/')) continue;
          yield { key: object.Key.slice(root.length), size: object.Size ?? 0 };
        }
      }
    } catch (error) {
      throw s3Error(error, this.context());
    }
  }

  close(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    checkObjectKey(key);
    return this.location.prefix ? `${this.location.prefix}/${key}` : key;
  }

  private context(key?: string, condition?: string): S3ErrorContext {
    return {
      storeUri: this.uri,
      objectUri: key === undefined ? undefined : this.uriOf(key),
      bucket: this.location.bucket,
      endpoint: this.endpoint,
      condition,
    };
  }
}

interface ServedRange {
  start: number;
  end: number;
  total: number;
}

/** What a GET answer holds: `Content-Range: bytes a-b/total`, or the whole object when there is none. */
function servedRange(contentRange: string | undefined, contentLength: number): ServedRange {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange ?? '');
  if (!match) return { start: 0, end: contentLength - 1, total: contentLength };
  const [start, end] = [Number(match[1]), Number(match[2])];
  return { start, end, total: match[3] === '*' ? end + 1 : Number(match[3]) };
}

function unquote(etag: string | undefined): string | undefined {
  return etag?.replace(/^(W\/)?"(.*)"$/, '$2');
}

function checkBodySize(uri: string, actual: number, expected: number | undefined): void {
  if (expected !== undefined && actual !== expected) {
    throw new UserError(
      `${uri}: the body has ${actual} bytes but ${expected} were expected (did the file change while it was read?). Nothing was stored.`,
    );
  }
}

/** Passes bytes through and fails the stream, before its end reaches the uploader, when the count is off. */
function checkedStream(body: Readable, uri: string, expected: number): Readable {
  let seen = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      try {
        checkBodySize(uri, seen, expected);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  return pipeline(body, check, () => {}); // an error in `body` reaches the uploader through `check`
}

async function readAll(body: Readable, uri: string, expected: number | undefined): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(parts);
  checkBodySize(uri, bytes.length, expected);
  return bytes;
}
