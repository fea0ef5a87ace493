/**
 * The `fetch` the app's Octokit sends GitHub requests with: undici's request API on one keep-alive
 * connection pool per origin, answering with the part of a `Response` Octokit reads
 * (BufferedResponse). Node's global fetch is undici too, but its WHATWG machinery (request cloning,
 * body streams, abort wiring) cost about as much CPU per request as the app's own work on it
 * (bench/app). Redirects are followed as fetch follows them (up to 5; the authorization header is
 * dropped when the origin changes), so a renamed repository still answers.
 */
import { STATUS_CODES } from 'node:http';
import { Agent, interceptors, type Dispatcher } from 'undici';

const MAX_REDIRECTIONS = 5;

/** Statuses whose Response must have no body (the Response constructor rejects one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | Uint8Array | null;
  signal?: AbortSignal | null;
  redirect?: 'follow' | 'manual' | 'error';
}

/** A body handed over as the bytes themselves, by `PooledFetch.buffered` (no stream to read). */
export class BufferedBody {
  constructor(readonly bytes: Buffer) {}
}

/**
 * The part of a fetch Response that Octokit reads (status, headers, url, the body as text, bytes or
 * a stream), over a body already in memory. A WHATWG Response built for each answer cost more CPU
 * than the HTTP exchange: its constructor wraps the body in a stream, and reading it back goes
 * through that stream again.
 */
class BufferedResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  #bytes: Buffer | null;
  #used = false;
  constructor(
    bytes: Buffer | null,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
    /** `body` is a BufferedBody instead of a stream. */
    private readonly bodyAsBytes = false,
  ) {
    this.#bytes = bytes;
    this.ok = status >= 200 && status < 300;
  }
  get bodyUsed(): boolean {
    return this.#used;
  }
  get body(): ReadableStream<Uint8Array> | BufferedBody | null {
    if (this.#bytes === null && !this.#used) return null; // a 204 or 304
    const bytes = this.#take() ?? Buffer.alloc(0);
    if (this.bodyAsBytes) return new BufferedBody(bytes);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
  }
  #take(): Buffer | null {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    const bytes = this.#bytes;
    this.#bytes = null;
    return bytes;
  }
  async text(): Promise<string> {
    return this.#take()?.toString('utf8') ?? '';
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    return bytes === null ? new ArrayBuffer(0) : new Uint8Array(bytes).buffer;
  }
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

export interface PooledFetch {
  (url: string | URL, init?: FetchInit): Promise<Response>;
  /** The same, but the answer's `body` is a BufferedBody: for a caller that reads the bytes itself (app/octokit.ts). */
  buffered(url: string | URL, init?: FetchInit): Promise<Response>;
  /** Closes the pool's connections (servers call it on shutdown; tests, to exit cleanly). */
  close(): Promise<void>;
}

export function createPooledFetch(options: { connectionsPerOrigin?: number; keepAliveTimeoutMs?: number } = {}): PooledFetch {
  const agent = new Agent({ connections: options.connectionsPerOrigin ?? 16, keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000 });
  const following: Dispatcher = agent.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }));
  const send = async (input: string | URL, init: FetchInit, bodyAsBytes: boolean): Promise<Response> => {
    const url = new URL(input);
    if (init.redirect === 'error' || init.redirect === 'manual') throw new TypeError(`pooled fetch follows redirects; redirect: "${init.redirect}" is not supported`);
    const answer = await following.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body ?? null,
      signal: init.signal ?? undefined,
    });
    const status = answer.statusCode;
    const body = NULL_BODY.has(status) ? (await answer.body.dump(), null) : Buffer.from(await answer.body.arrayBuffer());
    return new BufferedResponse(body, status, STATUS_CODES[status] ?? '', toHeaders(answer.headers), url.href, bodyAsBytes) as unknown as Response;
  };
  const pooledFetch = (input: string | URL, init: FetchInit = {}) => send(input, init, false);
  return Object.assign(pooledFetch, { buffered: (input: string | URL, init: FetchInit = {}) => send(input, init, true), close: () => agent.close() });
}
