/**
 * The app as an HTTP server: Probot's webhook middleware (signature check, then the handlers),
 * plus `GET /healthz` for load balancers and the process supervisor. Every request's body is
 * bounded first, whatever its route (app/body-limit.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, createProbot, type Probot } from 'probot';
import { UserError } from '../core/errors.ts';
import { declaresTooLarge, readBoundedBody, refuseTooLarge, WEBHOOK_BODY_LIMIT } from './body-limit.ts';
import { checkAppEnv, listenAddress, type AppEnv } from './app-env.ts';
import cairn, { type CairnAppOptions } from './index.ts';
import { appOctokitOptions } from './octokit.ts';

export interface AppServer {
  server: Server;
  /** `http://host:port` as bound (port 0 picks a free one). */
  url: string;
  probot: Probot;
  close(): Promise<void>;
}

export interface StartAppServerOptions {
  env: AppEnv;
  /** Overrides PORT / HOST. */
  port?: number;
  host?: string;
  /** A ready Probot (tests); otherwise one is made from `env`. */
  probot?: Probot;
  cairn?: CairnAppOptions['cairn'];
  /** Largest request body read, in bytes; default 25 MiB (GitHub's cap on webhook payloads). */
  bodyLimit?: number;
}

function healthz(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/healthz') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(req.method === 'HEAD' ? undefined : '{"status":"ok"}\n');
  return true;
}

function probotFromEnv(env: AppEnv): Probot {
  try {
    // Probot's createProbot defaults LOG_LEVEL to warn, which hides the address line `npm run app`
    // prints on start; `probot run` defaults to info, and so do we. A LOG_LEVEL set still wins.
    // Probot types LOG_LEVEL as its level names and, like Probot, we pass the user's value on as is.
    const logLevel = (env.LOG_LEVEL || 'info') as NodeJS.ProcessEnv['LOG_LEVEL'];
    return createProbot({ env: { ...env, LOG_LEVEL: logLevel }, overrides: appOctokitOptions({ env }) });
  } catch (error) {
    // Probot drops a key it cannot read and then finds none.
    if (/privateKey/.test((error as Error).message)) {
      throw new UserError(
        'PRIVATE_KEY (or the file at PRIVATE_KEY_PATH) is not a PEM private key: paste the .pem the app settings page generated',
        { cause: error },
      );
    }
    throw error;
  }
}

export async function startAppServer(options: StartAppServerOptions): Promise<AppServer> {
  const { env } = options;
  if (!options.probot) checkAppEnv(env);
  const address = listenAddress(env);
  const probot = options.probot ?? probotFromEnv(env);
  const middleware = await createNodeMiddleware(
    (app, appOptions) => cairn(app, { ...appOptions, cairn: options.cairn }),
    { probot },
  );
  const bodyLimit = options.bodyLimit ?? WEBHOOK_BODY_LIMIT;
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    if (declaresTooLarge(req, bodyLimit)) return refuseTooLarge(req, res, bodyLimit);
    // Only a POST can be a delivery: any other body is counted and dropped.
    const keep = req.method === 'POST';
    const body = await readBoundedBody(req, res, bodyLimit, keep);
    if (!body) return;
    if (healthz(req, res)) return;
    // @octokit/webhooks' middleware takes a body read already as a string, as from a body parser;
    // decoded as it decodes one itself, so the signature is checked over the same text.
    if (keep) (req as IncomingMessage & { body?: string }).body = new TextDecoder().decode(body);
    await middleware(req, res, () => {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}\n');
    });
  };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      probot.log.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  // `Expect: 100-continue`: a body declared too large is refused before the client sends it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (declaresTooLarge(req, bodyLimit)) return refuseTooLarge(req, res, bodyLimit);
    res.writeContinue();
    server.emit('request', req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? address.port, options.host ?? address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound.port}`,
    probot,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
