/**
 * GitHub for bench/app: one HTTP server on loopback that serves several installations of the app,
 * each with its own repository (`acme-01/churn`, `acme-02/churn`, ...) kept by the in-memory fake of
 * test/app/support/fake-repo.ts, every request checked against GitHub's OpenAPI description. A
 * request goes to the installation whose repository it names, or whose token it asks for; `GET /app`
 * (the app itself) to the first. Every answer is logged with when the request arrived and the
 * status it got, which is what the benchmark counts: a 304 was sent, but GitHub does not count it
 * against the primary rate limit.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONFIG, fakeRepo, type FakeRepo } from '../../test/app/support/fake-repo.ts';
import { githubRouter, type GithubRouter } from '../../test/support/github-router.ts';

export interface Installation {
  id: number;
  owner: string;
  repo: FakeRepo;
  gh: GithubRouter;
  /** A payload of the tests' repository (acme/churn, installation 42) moved to this installation's. */
  moved<T>(payload: T): T;
}

export interface Answered {
  /** performance.now() when the request arrived. */
  at: number;
  installation: number;
  method: string;
  route: string;
  status: number;
}

export interface FakeInstallations {
  /** `127.0.0.1:PORT`, the app's GHE_HOST. */
  host: string;
  installations: Installation[];
  log: Answered[];
  violations(): string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function moveTo<T>(payload: T, owner: string, id: number): T {
  const moved = JSON.parse(JSON.stringify(payload).replaceAll('acme/churn', `${owner}/churn`)) as {
    repository: { owner: { login: string; html_url: string } };
    installation: { id: number };
  };
  moved.repository.owner.login = owner;
  moved.repository.owner.html_url = `https://github.com/${owner}`;
  moved.installation.id = id;
  return moved as T;
}

export async function startFakeInstallations(count: number): Promise<FakeInstallations> {
  const server: Server = createServer();
  server.keepAliveTimeout = 5_000; // as GitHub; see test/e2e/support/fake-github.ts
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const installations: Installation[] = Array.from({ length: count }, (_, i) => {
    const id = 1001 + i;
    const owner = `acme-${String(i + 1).padStart(2, '0')}`;
    const gh = githubRouter({ baseUrl: `http://${host}/api/v3` });
    const repo = fakeRepo(gh, { installationId: id });
    repo.setConfig(CONFIG);
    return { id, owner, repo, gh, moved: (payload) => moveTo(payload, owner, id) };
  });
  const byOwner = new Map(installations.map((i) => [i.owner, i]));
  const byId = new Map(installations.map((i) => [String(i.id), i]));
  const log: Answered[] = [];
  const failures: string[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const at = performance.now();
    void (async () => {
      const path = req.url ?? '/';
      const owner = /^\/api\/v3\/repos\/([^/]+)\//.exec(path)?.[1];
      const token = /^\/api\/v3\/app\/installations\/(\d+)\//.exec(path)?.[1];
      const installation = (owner && byOwner.get(owner)) || (token && byId.get(token)) || installations[0];
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      const body = await readBody(req);
      const answering = installation.gh.answer(req.method ?? 'GET', path, body, headers);
      const route = installation.gh.requests.at(-1)?.route ?? `${req.method} ${path}`; // recorded before answer's first await
      const [status, data, replyHeaders, json] = await answering;
      log.push({ at, installation: installation.id, method: req.method ?? 'GET', route, status });
      const type = String(replyHeaders['content-type'] ?? '');
      const text =
        status === 204 || data === '' || data === undefined
          ? ''
          : type.startsWith('application/json')
            ? (json ?? JSON.stringify(data))
            : String(data);
      res.writeHead(status, { ...replyHeaders, 'content-length': Buffer.byteLength(text) }).end(text);
    })().catch((error: unknown) => {
      failures.push(`fake GitHub: ${(error as Error).stack ?? String(error)}`);
      res.writeHead(500).end();
    });
  });
  return {
    host,
    installations,
    log,
    violations: () => [...failures, ...installations.flatMap((i) => i.gh.violations)],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
