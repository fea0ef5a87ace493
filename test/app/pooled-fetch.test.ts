import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BufferedBody, createPooledFetch } from '../../app/pooled-fetch.ts';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A loopback server whose answers the test scripts by path; it records what it was sent. */
async function server(routes: Record<string, Handler>) {
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  let connections = 0;
  const http = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const handler = routes[(req.url ?? '').split('?')[0]];
      if (handler) handler(req, body, res);
      else res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
    });
  });
  http.keepAliveTimeout = 5_000;
  http.on('connection', () => connections++);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    origin,
    seen,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections(); }),
  };
}

describe('createPooledFetch', () => {
  const fetch = createPooledFetch();
  after(() => fetch.close());

  test('answers as fetch does: status, headers (repeated ones joined), url, body as text or JSON; one connection for many requests', async () => {
    const s = await server({
      '/repos/acme/churn': (_req, _body, res) => {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', etag: 'W/"x"' }).end('{"full_name":"acme/churn","id":1}');
      },
    });
    try {
      for (let i = 0; i < 20; i++) {
        const response = await fetch(`${s.origin}/repos/acme/churn?per_page=1`, { method: 'GET', headers: { authorization: 'token t' } });
        assert.equal(response.status, 200);
        assert.equal(response.ok, true);
        assert.equal(response.statusText, 'OK');
        assert.equal(response.url, `${s.origin}/repos/acme/churn?per_page=1`);
        assert.equal(response.headers.get('etag'), 'W/"x"');
        assert.equal(response.headers.get('set-cookie'), 'a=1, b=2');
        assert.deepEqual(await response.json(), { full_name: 'acme/churn', id: 1 });
        assert.equal(response.bodyUsed, true);
        await assert.rejects(response.text(), /already been read/);
      }
      assert.equal(s.seen[0].url, '/repos/acme/churn?per_page=1');
      assert.equal(s.seen[0].headers.authorization, 'token t');
      // A pool may open a second connection while the first is being handed back; never one per request.
      assert.ok(s.connections() <= 2, `20 requests used ${s.connections()} connections`);
    } finally {
      await s.close();
    }
  });

  test('sends a request body; 204 and 304 have none; an error status is an answer, not a throw', async () => {
    const s = await server({
      '/post': (_req, body, res) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ echoed: JSON.parse(body) })),
      '/empty': (_req, _body, res) => res.writeHead(204).end(),
      '/same': (_req, _body, res) => res.writeHead(304, { etag: 'W/"x"' }).end(),
    });
    try {
      const created = await fetch(`${s.origin}/post`, { method: 'post', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
      assert.equal(created.status, 201);
      assert.deepEqual(await created.json(), { echoed: { name: 'x' } });
      assert.equal(s.seen[0].method, 'POST');
      const empty = await fetch(`${s.origin}/empty`);
      assert.equal(empty.status, 204);
      assert.equal(empty.body, null);
      assert.equal(await empty.text(), '');
      const same = await fetch(`${s.origin}/same`);
      assert.equal(same.status, 304);
      assert.equal(same.headers.get('etag'), 'W/"x"');
      const missing = await fetch(`${s.origin}/nowhere`);
      assert.equal(missing.status, 404);
      assert.equal(missing.ok, false);
      assert.deepEqual(await missing.json(), { message: 'Not Found' });
    } finally {
      await s.close();
    }
  });

  test('the body is also a stream, for callers that read it unparsed, or the bytes themselves from buffered()', async () => {
    const s = await server({ '/refs': (_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[{"ref":"refs/tags/a"}]') });
    try {
      const response = await fetch(`${s.origin}/refs`);
      const stream = response.body;
      assert.ok(stream instanceof ReadableStream);
      assert.equal(await new Response(stream).text(), '[{"ref":"refs/tags/a"}]');
      const buffered = (await fetch.buffered(`${s.origin}/refs`)).body as unknown;
      assert.ok(buffered instanceof BufferedBody);
      assert.equal(buffered.bytes.toString('utf8'), '[{"ref":"refs/tags/a"}]');
    } finally {
      await s.close();
    }
  });

  test('follows redirects as fetch does, and drops the authorization header when the origin changes', async () => {
    const other = await server({ '/elsewhere': (_req, _body, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('moved here') });
    const s = await server({
      '/renamed': (_req, _body, res) => res.writeHead(301, { location: '/repos/acme/new-name' }).end(),
      '/repos/acme/new-name': (_req, _body, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('same origin'),
      '/away': (_req, _body, res) => res.writeHead(302, { location: `${other.origin}/elsewhere` }).end(),
    });
    try {
      const same = await fetch(`${s.origin}/renamed`, { headers: { authorization: 'token t' } });
      assert.equal(await same.text(), 'same origin');
      assert.equal(s.seen.at(-1)?.headers.authorization, 'token t');
      const away = await fetch(`${s.origin}/away`, { headers: { authorization: 'token t' } });
      assert.equal(await away.text(), 'moved here');
      assert.equal(other.seen[0].headers.authorization, undefined, 'no token for another origin');
    } finally {
      await s.close();
      await other.close();
    }
  });

  test('a request that gets no answer rejects, and an aborted one rejects as an AbortError', async () => {
    const s = await server({ '/slow': () => {} });
    try {
      const controller = new AbortController();
      const pending = fetch(`${s.origin}/slow`, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      await assert.rejects(pending, { name: 'AbortError' });
    } finally {
      await s.close();
    }
    await assert.rejects(fetch(s.origin + '/gone'), (error: Error) => error instanceof Error);
  });
});
