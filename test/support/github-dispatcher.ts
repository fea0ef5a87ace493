/**
 * The fake GitHub for clients that fetch with the undici package rather than Node's global fetch:
 * @actions/github's `getOctokit` does (its proxy-aware fetch), and nock sees only Node's own HTTP
 * and fetch. Installed as undici's global dispatcher while a fake is open, it answers requests to
 * a fake's origin through the same router (OpenAPI check, log, handlers) and passes every other
 * request to the dispatcher it replaced, so loopback servers still work.
 */
import { Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import type { GithubRouter } from './github-router.ts';

const routers: Array<{ origin: string; router: GithubRouter }> = [];
let previous: Dispatcher | undefined;

async function readBody(body: unknown): Promise<unknown> {
  if (body === null || body === undefined) return '';
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = Buffer.from(body).toString('utf8');
  else {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    text = Buffer.concat(chunks).toString('utf8');
  }
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function headerObject(headers: Dispatcher.DispatchOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(headers))
    for (let i = 0; i < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  else if (headers)
    for (const [k, v] of Object.entries(headers as Record<string, unknown>))
      if (v !== undefined) out[k.toLowerCase()] = String(v);
  return out;
}

class FakeGithubDispatcher extends Dispatcher {
  // undici's fetch hands a mock dispatcher the request body as its source (a string), not a stream.
  isMockActive = true;

  constructor(private readonly fallback: Dispatcher) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const origin = String(options.origin);
    const entry = routers.findLast((r) => r.origin === origin);
    if (!entry) return this.fallback.dispatch(options, handler);
    let aborted = false;
    handler.onConnect?.(() => (aborted = true));
    void (async () => {
      const [status, data, replyHeaders, json] = await entry.router.answer(
        options.method,
        options.path,
        await readBody(options.body),
        headerObject(options.headers),
      );
      if (aborted) return;
      const type = String(replyHeaders['content-type'] ?? '');
      const text =
        status === 204 || status === 304 || data === '' || data === undefined
          ? ''
          : type.startsWith('application/json')
            ? (json ?? JSON.stringify(data))
            : String(data);
      const raw = Object.entries({ ...replyHeaders, 'content-length': String(Buffer.byteLength(text)) }).flatMap(
        ([k, v]) => [Buffer.from(k), Buffer.from(String(v))],
      );
      handler.onHeaders?.(status, raw, () => {}, '');
      if (text !== '') handler.onData?.(Buffer.from(text));
      handler.onComplete?.([]);
    })().catch((error: unknown) => handler.onError?.(error as Error));
    return true;
  }
}

/** Serves `router` to undici fetch at `origin` until the returned function is called. */
export function serveThroughUndici(origin: string, router: GithubRouter): () => void {
  if (routers.length === 0) {
    previous = getGlobalDispatcher();
    setGlobalDispatcher(new FakeGithubDispatcher(previous));
  }
  const entry = { origin, router };
  routers.push(entry);
  return () => {
    const at = routers.indexOf(entry);
    if (at === -1) return;
    routers.splice(at, 1);
    if (routers.length === 0 && previous) setGlobalDispatcher(previous);
  };
}
