/**
 * A proxy on loopback as a company network has one: CONNECT tunnels (what undici and @actions/github
 * use for every target, core/net's agents included) and forwarded absolute-form requests (what
 * other clients send for http:// targets). It counts what it carried.
 *
 * Hosts under `.cairn-proxy.test` exist only for the proxy: it sends them to 127.0.0.1 on the same
 * port, while a client that tries to reach one directly gets ENOTFOUND (`.test` never resolves).
 * So a request that arrives at a server through such a name went through the proxy.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export const PROXY_ONLY_DOMAIN = 'cairn-proxy.test';

export interface Carried {
  kind: 'connect' | 'forward';
  /** `host:port` as the client named it. */
  target: string;
  /** Forwarded requests only. */
  method?: string;
  path?: string;
}

export interface HttpProxy {
  /** `http://127.0.0.1:PORT`, for HTTPS_PROXY / HTTP_PROXY. */
  url: string;
  carried: Carried[];
  /** The hosts (without port) of everything carried, once each. */
  hosts(): string[];
  close(): Promise<void>;
}

/** `name.cairn-proxy.test:PORT` -> 127.0.0.1:PORT; anything else as named. */
function resolveTarget(host: string, port: number): { host: string; port: number } {
  return { host: host === PROXY_ONLY_DOMAIN || host.endsWith(`.${PROXY_ONLY_DOMAIN}`) ? '127.0.0.1' : host, port };
}

export async function startHttpProxy(): Promise<HttpProxy> {
  const carried: Carried[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form request expected');
      return;
    }
    const port = Number(target.port || 80);
    carried.push({
      kind: 'forward',
      target: `${target.hostname}:${port}`,
      method: req.method,
      path: target.pathname + target.search,
    });
    const to = resolveTarget(target.hostname, port);
    // Headers as sent (Host included), so a signed request (SigV4) still verifies.
    const upstream = httpRequest(
      { host: to.host, port: to.port, method: req.method, path: target.pathname + target.search, headers: req.headers },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const [host, portText] = splitHostPort(req.url ?? '');
    carried.push({ kind: 'connect', target: `${host}:${portText}` });
    const to = resolveTarget(host, Number(portText));
    const upstream = connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    carried,
    hosts: () => [...new Set(carried.map((c) => c.target.replace(/:\d+$/, '')))],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function splitHostPort(target: string): [string, string] {
  const at = target.lastIndexOf(':');
  return [target.slice(0, at).replace(/^\[|\]$/g, ''), target.slice(at + 1)];
}
