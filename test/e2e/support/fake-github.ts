/**
 * GitHub's REST API as a real HTTP server on loopback, for the app running as its own process
 * (Probot pointed at it with GHE_HOST / GHE_PROTOCOL, so its base URL is http://127.0.0.1:PORT/api/v3).
 * Requests go through the same router as the nock harness (test/support/github-router.ts): each is
 * checked against GitHub's OpenAPI description, recorded, and answered by the routes the caller
 * scripts, typically test/app/support/fake-repo.ts's in-memory repository.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { githubRouter, type GithubApiOptions, type GithubRouter } from '../../support/github-router.ts';

export interface FakeGithub {
  /** The router: `gh.on(route, handler)`, `gh.requests`, `gh.violations`, `gh.done()`. */
  gh: GithubRouter;
  /** `127.0.0.1:PORT`, the app's GHE_HOST. */
  host: string;
  /** `http://127.0.0.1:PORT/api/v3`. */
  baseUrl: string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return '';
  // Parsed as nock hands bodies to the harness: JSON when it is JSON, else the text.
  if (/^application\/json\b/i.test(String(req.headers['content-type'] ?? 'application/json'))) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export async function startFakeGithub(options: GithubApiOptions = {}): Promise<FakeGithub> {
  // Listen first: the router needs the port for its base URL and for the Link headers it writes.
  const server: Server = createServer();
  // Keep-alive as GitHub does. Not shorter: undici (the app's fetch) drops a connection whose server
  // timeout hint is within its 1 s safety margin, so a 1 s timeout meant a new connection per request.
  // close() ends the idle sockets, so they do not hold the test process open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  const baseUrl = `http://${host}/api/v3`;
  const gh = githubRouter({ ...options, baseUrl });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      const [status, data, replyHeaders, json] = await gh.answer(
        req.method ?? 'GET',
        req.url ?? '/',
        await readBody(req),
        headers,
      );
      const type = String(replyHeaders['content-type'] ?? '');
      const text =
        status === 204 || data === '' || data === undefined
          ? ''
          : type.startsWith('application/json')
            ? (json ?? JSON.stringify(data))
            : String(data);
      res.writeHead(status, { ...replyHeaders, 'content-length': Buffer.byteLength(text) }).end(text);
    })().catch((error: unknown) => {
      gh.violations.push(`fake GitHub: ${(error as Error).stack ?? String(error)}`);
      res.writeHead(500).end();
    });
  });
  return {
    gh,
    host,
    baseUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
