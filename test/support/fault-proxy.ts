/**
 * A loopback HTTP proxy that sits between an S3 client and s3rver and injects the faults a real
 * network and a busy bucket produce: 503 SlowDown, other error answers, connection resets before an
 * answer or in the middle of a body, bodies that end early, and flipped bytes. Requests are
 * forwarded unchanged (Host included, so SigV4 signatures still verify).
 *
 *   const proxy = await startFaultProxy(server.endpoint);
 *   proxy.inject({ fault: { kind: 'slow-down' }, times: 3 });
 *   proxy.injectRandomly({ rate: 0.2, faults: [...], seed: 7 });   // for soak tests
 */
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from './seeded-random.ts';

export type Fault =
  /** 503 SlowDown, S3's throttling answer; not forwarded. */
  | { kind: 'slow-down' }
  /** Any S3 error answer; not forwarded. */
  | { kind: 'status'; status: number; code: string; message?: string }
  /** The connection is reset before any answer; not forwarded. */
  | { kind: 'reset' }
  /** Forwarded; the answer's body is cut by a TCP reset after `afterBytes` (default: half). */
  | { kind: 'reset-mid-body'; afterBytes?: number }
  /** Forwarded; the connection closes cleanly after `afterBytes` of the body (default: half), Content-Length unchanged. */
  | { kind: 'truncate'; afterBytes?: number }
  /** Forwarded; the body byte at `at` (default: the middle one) is inverted; length and headers unchanged. */
  | { kind: 'flip-byte'; at?: number };

export type FaultKind = Fault['kind'];

export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The fault this request got, if any. */
  fault?: FaultKind;
}

export interface FaultRule {
  fault: Fault;
  /** How many matching requests get it (default 1). */
  times?: number;
  /** Which requests it applies to. Default: any for answer faults; for body faults, GETs (and only answers with a body). */
  match?: (request: ProxiedRequest) => boolean;
}

export interface RandomFaults {
  /** Probability that a matching request gets a fault. */
  rate: number;
  faults: Fault[];
  seed?: number;
  match?: (request: ProxiedRequest) => boolean;
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT: use it as the client's endpoint. */
  endpoint: string;
  requests: ProxiedRequest[];
  /** Client connections opened to the proxy since the last reset (keep-alive reuses them). */
  connections: number;
  /** Faults actually delivered so far, by kind. */
  injected: Record<FaultKind, number>;
  inject(...rules: FaultRule[]): void;
  injectRandomly(options: RandomFaults): void;
  /** Rules that still have faults to deliver. */
  pending(): number;
  /** Drops every rule, the random mode, the request log and the counts. */
  reset(): void;
  close(): Promise<void>;
}

const BODY_FAULTS = new Set<FaultKind>(['reset-mid-body', 'truncate', 'flip-byte']);

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const rules: Array<Required<Pick<FaultRule, 'fault' | 'times'>> & Pick<FaultRule, 'match'>> = [];
  let random: (RandomFaults & { next: () => number }) | undefined;
  const emptyCounts = (): Record<FaultKind, number> => ({
    'slow-down': 0,
    status: 0,
    reset: 0,
    'reset-mid-body': 0,
    truncate: 0,
    'flip-byte': 0,
  });
  const proxy: FaultProxy = {
    endpoint: '',
    requests: [],
    connections: 0,
    injected: emptyCounts(),
    inject: (...added) =>
      void rules.push(...added.map((rule) => ({ fault: rule.fault, times: rule.times ?? 1, match: rule.match }))),
    injectRandomly: (options) => void (random = { ...options, next: seededRandom(options.seed ?? 1) }),
    pending: () => rules.filter((rule) => rule.times > 0).length,
    reset: () => {
      rules.length = 0;
      random = undefined;
      proxy.requests.length = 0;
      proxy.connections = 0;
      proxy.injected = emptyCounts();
    },
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };

  /** The fault for this request, and a way to hand it back if the answer turns out to have no body. */
  function choose(request: ProxiedRequest): { fault: Fault; giveBack: () => void } | undefined {
    const applies = (fault: Fault, match?: (r: ProxiedRequest) => boolean) =>
      match ? match(request) : !BODY_FAULTS.has(fault.kind) || request.method === 'GET';
    const rule = rules.find((candidate) => candidate.times > 0 && applies(candidate.fault, candidate.match));
    if (rule) {
      rule.times -= 1;
      return { fault: rule.fault, giveBack: () => void (rule.times += 1) };
    }
    if (random && random.next() < random.rate) {
      const candidates = random.faults.filter((fault) => applies(fault, random?.match));
      if (candidates.length > 0)
        return { fault: candidates[Math.floor(random.next() * candidates.length)], giveBack: () => {} };
    }
    return undefined;
  }

  const server = createServer((req, res) => {
    const request: ProxiedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    proxy.requests.push(request);
    const chosen = choose(request);
    const fault = chosen?.fault;
    const deliver = () => {
      if (fault) {
        request.fault = fault.kind;
        proxy.injected[fault.kind] += 1;
      }
    };
    if (fault?.kind === 'reset') {
      deliver();
      req.socket.resetAndDestroy();
      return;
    }
    if (fault?.kind === 'slow-down' || fault?.kind === 'status') {
      deliver();
      const [status, code, message] =
        fault.kind === 'slow-down'
          ? [503, 'SlowDown', 'Please reduce your request rate.']
          : [fault.status, fault.code, fault.message ?? fault.code];
      req.resume();
      req.once('end', () => sendError(res, req.method === 'HEAD', status, code, message));
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        const length = Number(answer.headers['content-length'] ?? 0);
        const bodyFault =
          fault &&
          BODY_FAULTS.has(fault.kind) &&
          answer.statusCode !== undefined &&
          answer.statusCode < 300 &&
          length > 0 &&
          req.method !== 'HEAD';
        if (fault && !bodyFault) chosen?.giveBack();
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        if (!bodyFault || !fault) {
          answer.pipe(res);
          return;
        }
        deliver();
        res.flushHeaders(); // the client has its answer before the body goes wrong
        corrupt(answer, res, req.socket, fault, length);
      },
    );
    forward.on('error', (error) => {
      if (!res.headersSent) sendError(res, false, 502, 'BadGateway', `fault proxy: upstream failed: ${error.message}`);
      else res.destroy();
    });
    req.pipe(forward);
  });
  server.on('connection', () => void proxy.connections++);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function corrupt(answer: IncomingMessage, res: ServerResponse, client: Socket, fault: Fault, length: number): void {
  const cutAt =
    fault.kind === 'reset-mid-body' || fault.kind === 'truncate'
      ? Math.min(fault.afterBytes ?? Math.floor(length / 2), length - 1)
      : -1;
  const flipAt = fault.kind === 'flip-byte' ? Math.min(fault.at ?? Math.floor(length / 2), length - 1) : -1;
  let offset = 0;
  answer.on('data', (chunk: Buffer) => {
    const from = offset;
    offset += chunk.length;
    if (flipAt >= from && flipAt < offset) {
      chunk = Buffer.from(chunk);
      chunk[flipAt - from] ^= 0xff;
    }
    if (cutAt < 0 || offset <= cutAt) {
      res.write(chunk);
      return;
    }
    answer.destroy();
    const cut = () => (fault.kind === 'truncate' ? client.end() : client.resetAndDestroy());
    if (cutAt > from) res.write(chunk.subarray(0, cutAt - from), cut);
    else cut();
  });
  answer.on('end', () => res.end());
}

function sendError(res: ServerResponse, head: boolean, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': head ? 0 : Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}
