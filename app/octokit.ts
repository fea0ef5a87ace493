/**
 * What the app talks to GitHub with: Probot's Octokit (its auth, throttling, pagination, logging),
 * with three per-request costs taken out, measured in bench/app: plugin-retry's Bottleneck limiter
 * is replaced by core's retry loop (the same policy), requests go through a pooled undici
 * dispatcher instead of the global fetch (app/pooled-fetch.ts), and JSON is parsed with JSON.parse
 * (parseJsonNatively; a large list in pieces, app/parse-json.ts). Together they cut the CPU of a
 * GitHub request about threefold.
 */
import type { Octokit } from '@octokit/core';
import { ProbotOctokit, type Options } from 'probot';
import { retryRequests } from '../core/github/index.ts';
import { proxiedFetch, type NetEnv } from '../core/net/index.ts';
import { parseJsonBytes } from './parse-json.ts';
import { BufferedBody, createPooledFetch, type PooledFetch } from './pooled-fetch.ts';

/**
 * Successful answers parsed with JSON.parse. Octokit parses them with json-with-bigint, which keeps
 * integers past 2^53 exact; on Node 20 that is a regex pass over the text and a reviver, about 7
 * times JSON.parse, and the largest single cost of a `/cairn show` (the comments, read to
 * find an earlier reply). Nothing the app reads comes near 2^53 (GitHub's ids are around 2^35).
 * Answers are turned into `data` as Octokit does: JSON that does not parse stays text, other text
 * is text, anything else an ArrayBuffer. A caller that asks for the raw body still gets it (a stream).
 *
 * `data` is parsed when first read. Many answers never are: the echo of a write the app only needed
 * to succeed (an edited issue, a reaction), and a tag list whose ETag shows it was derived already
 * (core/github/conditional-get.ts), which under load is most of them.
 */
export function parseJsonNatively(octokit: Octokit): void {
  octokit.hook.wrap('request', async (request, options) => {
    const own = options.request as { parseSuccessResponseBody?: boolean } | undefined;
    if (own?.parseSuccessResponseBody === false) return request(options);
    // Hooks further in see this same options object (before-after-hook binds it), so the change is
    // made on it; `request` may be the defaults' shared object, so it is replaced, not modified.
    // With the pooled fetch, the body comes as its bytes (no stream made only to be read back).
    const fetch = (own as { fetch?: Partial<PooledFetch> } | undefined)?.fetch;
    options.request = { ...own, parseSuccessResponseBody: false, ...(typeof fetch?.buffered === 'function' ? { fetch: fetch.buffered } : {}) };
    const response = await request(options);
    const body: unknown = response.data;
    const bytes = body instanceof BufferedBody ? body.bytes : body ? Buffer.from(await new Response(body as ReadableStream).arrayBuffer()) : Buffer.alloc(0);
    const type = String(response.headers['content-type'] ?? '');
    let data: { value: unknown } | undefined;
    Object.defineProperty(response, 'data', {
      configurable: true,
      enumerable: true,
      get: () => (data ??= { value: decode(bytes, type) }).value,
      set: (value: unknown) => void (data = { value }),
    });
    return response;
  });
}

function decode(bytes: Buffer, type: string): unknown {
  if (/^application\/(scim\+)?json\b/i.test(type)) {
    try {
      return parseJsonBytes(bytes);
    } catch {
      return bytes.toString('utf8');
    }
  }
  if (type === '' || /^text\//i.test(type) || /charset=utf-8/i.test(type)) return bytes.toString('utf8');
  return new Uint8Array(bytes).buffer;
}

/** Probot's Octokit with plugin-retry off, core's retry on, and JSON parsed natively. */
export const AppOctokit = ProbotOctokit.plugin(retryRequests, parseJsonNatively).defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
})) as unknown as typeof ProbotOctokit; // Probot's option is typed as its own class; this one only adds a plugin

/**
 * The Probot options that make it use them; `fetch` is the process's one pool, or, when `env` sets
 * HTTPS_PROXY / HTTP_PROXY, a fetch through the proxy (core/net, NO_PROXY honoured).
 */
export function appOctokitOptions(options: { env?: NetEnv; fetch?: PooledFetch } = {}): Pick<Options, 'Octokit' | 'request'> {
  const fetch = proxiedFetch(options.env ?? {}) ?? options.fetch ?? sharedFetch();
  return { Octokit: AppOctokit, request: { fetch } };
}

let shared: PooledFetch | undefined;
function sharedFetch(): PooledFetch {
  shared ??= createPooledFetch();
  return shared;
}
