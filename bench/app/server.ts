/**
 * The two servers bench/app compares `node dist/app.js` with, as their own processes:
 *   BENCH_SERVER=unthrottled  the Cairn app server (app/http-server.ts) with Probot's Octokit
 *                             throttling off: what the handlers cost, without the 1 write/s spacing;
 *   BENCH_SERVER=floor        Probot with no app loaded behind the same kind of HTTP server: the
 *                             signature check and Probot's webhook plumbing alone.
 * Configured by the same environment as the app (app/app-env.ts); prints the same
 * "listening on URL" line.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, createProbot, ProbotOctokit } from 'probot';
import { AppOctokit, appOctokitOptions } from '../../app/octokit.ts';
import { startAppServer } from '../../app/http-server.ts';

const unthrottled = (options: Record<string, unknown>) => ({ ...options, throttle: { ...(options.throttle as object | undefined), enabled: false } });

// Each server with the Octokit it ships with: the app's own (app/octokit.ts), Probot's for the floor.
const probot =
  process.env.BENCH_SERVER === 'floor'
    ? createProbot({ env: process.env, overrides: { Octokit: ProbotOctokit.defaults(unthrottled) } })
    : createProbot({ env: process.env, overrides: { ...appOctokitOptions(), Octokit: AppOctokit.defaults(unthrottled) } });
if (process.env.BENCH_SERVER === 'floor') {
  const middleware = await createNodeMiddleware(() => {}, { probot });
  const server = createServer((req, res) => {
    if (req.url === '/healthz') return void res.writeHead(200).end('{"status":"ok"}\n');
    void middleware(req, res, () => res.writeHead(404).end());
  });
  server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
    probot.log.info(`Probot (no app) listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
} else {
  const app = await startAppServer({ env: process.env, probot });
  probot.log.info(`Cairn app (throttling off) listening on ${app.url}`);
}
