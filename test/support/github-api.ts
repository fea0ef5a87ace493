/**
 * A fake GitHub REST API for tests, on nock. Every request is first checked against GitHub's
 * OpenAPI description (see github-request.ts): a request GitHub would reject gets GitHub's answer
 * (404 or 422) AND is recorded, so the test fails in `done()` even when the code under test
 * swallows the error. Valid requests go to handlers the test scripts per route:
 *
 *   const gh = githubApi(t);                       // t: node:test context, runs gh.done() after
 *   gh.on('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', (req) => paginated(req, comments));
 *   gh.once('POST /repos/{owner}/{repo}/check-runs', (req) => ({ status: 201, data: { id: 1, ...req.body } }));
 *
 * The network is disabled except for loopback, so local test servers still work. Clients that
 * fetch with the undici package, which nock does not see, reach the same fake (github-dispatcher.ts). The routing,
 * checking and recording live in github-router.ts, shared with the HTTP fake of test/e2e.
 */
import nock from 'nock';
import { serveThroughUndici } from './github-dispatcher.ts';
import { githubRouter, type GithubApi, type GithubApiOptions } from './github-router.ts';

export { githubError, githubRouter, holdNext, paginated } from './github-router.ts';
export type {
  GithubApi,
  GithubApiOptions,
  GithubHandler,
  GithubReply,
  GithubRequest,
  GithubRouter,
} from './github-router.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

export function githubApi(test?: { after(fn: () => void): void }, options: GithubApiOptions = {}): GithubApi {
  nock.disableNetConnect();
  nock.enableNetConnect((host: string) => LOOPBACK.test(host));

  let interceptors: nock.Interceptor[] = [];
  let stopUndici = () => {};
  const api = githubRouter({
    ...options,
    onClose: () => {
      interceptors.forEach((interceptor) => nock.removeInterceptor(interceptor));
      stopUndici();
    },
  });
  // Clients that fetch with the undici package (@actions/github's getOctokit) bypass nock.
  stopUndici = serveThroughUndici(new URL(api.baseUrl).origin, api);
  const scope = nock(new URL(api.baseUrl).origin);
  interceptors = METHODS.map((method) => {
    const interceptor = scope.persist().intercept(() => true, method);
    interceptor.reply(async function (path, body) {
      const headers = Object.fromEntries(
        Object.entries(this.req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
      const [status, data, replyHeaders] = await api.answer(method, path, body, headers);
      return [status, data, replyHeaders];
    });
    return interceptor;
  });
  test?.after(() => api.done());
  return api;
}
