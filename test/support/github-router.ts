/**
 * The transport-free core of the fake GitHub REST API: route handlers, the OpenAPI check of every
 * request (github-request.ts), the request log and the violations. github-api.ts serves it through
 * nock for in-process tests; test/e2e/support/fake-github.ts serves it over real HTTP on loopback
 * for the app running as its own process. This module loads no nock, so a process that only talks
 * real HTTP is not slowed by nock's request interception.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { findOperation } from './github-openapi.ts';
import { checkGithubRequest, checkGithubResponse, type CheckOptions } from './github-request.ts';

export interface GithubRequest<Body = Record<string, unknown>> {
  method: string;
  /** The route the request matched, as `gh.on` takes it: `GET /repos/{owner}/{repo}`. */
  route: string;
  /** Absolute URL as sent (with query), e.g. to build Link headers. */
  url: string;
  /** Path parameters, URL-decoded: `{ owner: 'o', repo: 'r', issue_number: '7' }`. */
  params: Record<string, string>;
  query: Record<string, string>;
  body: Body;
  headers: Record<string, string>;
}

export interface GithubReply {
  /** Defaults to 200. */
  status?: number;
  data?: unknown;
  /** `data` as JSON text, from a handler that keeps it (a large list answered often). */
  json?: string;
  headers?: Record<string, string>;
}

export type GithubHandler<Body = Record<string, unknown>> =
  GithubReply | ((request: GithubRequest<Body>) => GithubReply | Promise<GithubReply>);

export interface GithubApiOptions extends CheckOptions {
  /** Defaults to https://api.github.com; a GHES URL such as https://ghe.example/api/v3 works too. */
  baseUrl?: string;
  /**
   * Also check every JSON reply against GitHub's documented response schema. Off by default so a
   * test can reply with only the fields the code reads; the fakes in github-fakes.ts pass it.
   */
  validateResponses?: boolean;
}

interface Route {
  route: string;
  handler: GithubHandler<never>;
  times?: number;
  used: number;
}

export interface GithubApi {
  readonly baseUrl: string;
  /** Answers `route` with `handler` (every time, or `times` times; then the next handler). */
  on<Body = Record<string, unknown>>(
    route: string,
    handler: GithubHandler<Body>,
    options?: { times?: number },
  ): GithubApi;
  /** `on(route, handler, { times: 1 })`: `done()` fails unless it was called exactly once. */
  once<Body = Record<string, unknown>>(route: string, handler: GithubHandler<Body>): GithubApi;
  /** Every request that reached a handler or was rejected, in order. */
  readonly requests: GithubRequest<unknown>[];
  /** The requests that matched `route`, e.g. to assert that no PATCH was sent. */
  calls<Body = Record<string, unknown>>(route: string): GithubRequest<Body>[];
  /** What GitHub would have rejected, and requests no handler was scripted for. */
  readonly violations: string[];
  /** Asserts no violations and every `times` handler used up, then stops serving. */
  done(): void;
  /** Stops serving without asserting (use `done`). */
  close(): void;
}

function normaliseRoute(route: string): string {
  const op = findOperation(route);
  if (!op)
    throw new Error(
      `githubApi: "${route}" is not a route of the GitHub REST API (write it as "GET /repos/{owner}/{repo}/...")`,
    );
  return op.route;
}

/** The ETag the fake gives a JSON answer: a weak one, from the text's hash. */
export function weakEtag(text: string): string {
  return `W/"${createHash('sha1').update(text).digest('hex')}"`;
}

/**
 * Answers the next request of `route` with `reply`, once `release()` is called: for tests of work
 * that overlaps. `reached` settles when that request has arrived.
 */
export function holdNext(
  gh: GithubApi,
  route: string,
  reply: GithubReply,
): { reached: Promise<void>; release: () => void } {
  let arrived!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  gh.on(route, async () => (arrived(), await released, reply), { times: 1 });
  return { reached, release };
}

/** A GitHub-shaped error reply: `{ message, documentation_url }`. */
export function githubError(status: number, message: string): GithubReply {
  return { status, data: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) } };
}

/**
 * One page of `items` as GitHub serves it for `request` (`page`, `per_page` from its query), with
 * the Link header Octokit's paginate follows. `wrap` shapes the page for endpoints that return an
 * object, e.g. `(page, total) => ({ total_count: total, check_runs: page })`.
 */
export function paginated(
  request: GithubRequest<unknown>,
  items: readonly unknown[],
  options: { wrap?: (page: unknown[], total: number) => unknown } = {},
): GithubReply {
  const perPage = Math.min(Number(request.query.per_page ?? 30), 100);
  const page = Number(request.query.page ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number, rel: string) => {
    const url = new URL(request.url);
    url.searchParams.set('page', String(n));
    return `<${url}>; rel="${rel}"`;
  };
  const links = [
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
  ];
  return {
    data: options.wrap ? options.wrap(slice, items.length) : slice,
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

/** A GithubApi whose requests come from a transport (nock, an HTTP server) through `answer`. */
export interface GithubRouter extends GithubApi {
  /** Checks, records and answers one request: `path` is the path and query as sent (base path included). */
  answer(
    method: string,
    path: string,
    rawBody: unknown,
    headers: Record<string, string>,
  ): Promise<[number, unknown, Record<string, string>, string?]>;
}

/**
 * `origin` and the base URL's path are what the transport receives requests on; `onClose` stops
 * the transport (called once, by `close` or `done`).
 */
export function githubRouter(options: GithubApiOptions & { onClose?: () => void } = {}): GithubRouter {
  const baseUrl = (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const { origin, pathname: basePath } = new URL(baseUrl);
  const routes: Route[] = [];
  const requests: GithubRequest<unknown>[] = [];
  const violations: string[] = [];
  let closed = false;

  async function answer(
    method: string,
    path: string,
    rawBody: unknown,
    headers: Record<string, string>,
  ): Promise<[number, unknown, Record<string, string>, string?]> {
    const checked = checkGithubRequest(
      { method, path, basePath, contentType: headers['content-type'], body: rawBody === '' ? undefined : rawBody },
      options,
    );
    const request: GithubRequest<unknown> = {
      method,
      route: checked.operation?.route ?? `${method} ${checked.pathname}`,
      url: `${origin}${path}`,
      params: checked.params,
      query: checked.query,
      body: checked.body,
      headers,
    };
    requests.push(request);
    if (checked.rejectStatus) {
      violations.push(...checked.violations);
      const message =
        checked.rejectStatus === 404 ? 'Not Found' : `Invalid request.\n\n${checked.violations.join('\n')}`;
      return [checked.rejectStatus, githubError(checked.rejectStatus, message).data, {}];
    }
    const entry = routes.find((r) => r.route === request.route && (r.times === undefined || r.used < r.times));
    if (!entry) {
      const why = routes.some((r) => r.route === request.route)
        ? 'its handlers are used up'
        : 'no handler was scripted';
      violations.push(`${method} ${path}: ${why} for "${request.route}" (add gh.on('${request.route}', ...))`);
      return [404, githubError(404, `Not Found (test harness: ${why} for ${request.route})`).data, {}];
    }
    entry.used++;
    try {
      const handler = entry.handler as GithubHandler<unknown>;
      const reply = typeof handler === 'function' ? await handler(request) : handler;
      const status = reply.status ?? 200;
      const replyHeaders: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        ...reply.headers,
      };
      if (options.validateResponses && replyHeaders['content-type'].startsWith('application/json')) {
        violations.push(
          ...checkGithubResponse(request.route, status, reply.data).map(
            (m) => `the fake's reply does not match GitHub's: ${m}`,
          ),
        );
      }
      // As GitHub does: an ETag on every successful GET, and 304 with no body when If-None-Match has it.
      // The JSON text goes back too, so an HTTP transport need not serialise it again.
      if (method === 'GET' && status === 200 && reply.data !== undefined) {
        const text = reply.json ?? JSON.stringify(reply.data);
        const etag = (replyHeaders.etag ??= weakEtag(text));
        if (headers['if-none-match'] === etag) return [304, '', { etag }];
        return [status, reply.data, replyHeaders, text];
      }
      return [status, reply.data ?? '', replyHeaders];
    } catch (error) {
      violations.push(
        `${method} ${path}: the handler for "${request.route}" threw: ${(error as Error).stack ?? String(error)}`,
      );
      return [
        500,
        githubError(500, `test harness: the handler for ${request.route} threw: ${(error as Error).message}`).data,
        {},
      ];
    }
  }

  const api: GithubRouter = {
    answer,
    baseUrl,
    requests,
    violations,
    on(route, handler, { times } = {}) {
      routes.push({ route: normaliseRoute(route), handler: handler as GithubHandler<never>, times, used: 0 });
      return api;
    },
    once(route, handler) {
      return api.on(route, handler, { times: 1 });
    },
    calls<Body>(route: string) {
      const wanted = normaliseRoute(route);
      return requests.filter((r) => r.route === wanted) as GithubRequest<Body>[];
    },
    close() {
      if (closed) return;
      closed = true;
      options.onClose?.();
    },
    done() {
      if (closed) return;
      api.close();
      const unused = routes
        .filter((r) => r.times !== undefined && r.used !== r.times)
        .map((r) => `"${r.route}" was expected ${r.times} time(s), called ${r.used}`);
      const problems = [...violations, ...unused];
      assert.ok(problems.length === 0, `GitHub API fake: ${problems.length} problem(s)\n- ${problems.join('\n- ')}`);
    },
  };
  return api;
}
