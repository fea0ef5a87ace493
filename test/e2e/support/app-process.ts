/**
 * The Cairn app as its own process (`node dist/app.js`, the file `npm run app` starts), configured
 * only through its environment (app/app-env.ts), and a client that sends it webhooks as GitHub
 * does: JSON body, X-GitHub-Event, X-GitHub-Delivery and the sha256 HMAC in X-Hub-Signature-256.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { sign } from '@octokit/webhooks-methods';
import { request } from 'undici';
import { APP_ID, privateKey, WEBHOOK_SECRET } from '../../app/support/probot.ts';

export const APP_ENTRY = 'dist/app.js';
export const WEBHOOK_PATH = '/api/github/webhooks';

export interface AppProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` as the server reported it. */
  url: string;
  /** Everything the process wrote, stdout and stderr together. */
  output(): string;
  /** The messages of the JSON log lines at `level` (pino: 30 info, 40 warn, 50 error) or above. */
  logged(level: number): string[];
  /** Waits (up to 5 s) for a log message at info level or above: the log reaches the pipe after the webhook answer. */
  waitForLog(message: string): Promise<boolean>;
  /** Sends one delivery; resolves with the HTTP status and body the app answered. */
  deliver(
    name: string,
    payload: unknown,
    options?: { id?: string; signature?: string },
  ): Promise<{ status: number; body: string; id: string }>;
  stop(): Promise<void>;
}

export interface StartAppOptions {
  /** The fake GitHub's `127.0.0.1:PORT`. */
  gheHost: string;
  /** Added to (or, as `undefined`, removed from) the defaults below. */
  env?: Record<string, string | undefined>;
  /** Runs the app under `taskset -c <cpus>` where taskset exists. */
  cpus?: string;
  /** Keep the process's output (tests); a benchmark drains it instead. */
  keepOutput?: boolean;
  /** Node's arguments; default `[dist/app.js]`. */
  nodeArgs?: string[];
}

export function hasTaskset(): boolean {
  return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}

export async function startAppProcess(options: StartAppOptions): Promise<AppProcess> {
  const nodeArgs = options.nodeArgs ?? [APP_ENTRY];
  if (!options.nodeArgs && !existsSync(APP_ENTRY)) throw new Error(`${APP_ENTRY} is missing: run npm run build first`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    APP_ID: String(APP_ID),
    PRIVATE_KEY: privateKey(),
    WEBHOOK_SECRET,
    GHE_HOST: options.gheHost,
    GHE_PROTOCOL: 'http',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const command =
    options.cpus && hasTaskset()
      ? ['taskset', '-c', options.cpus, process.execPath, ...nodeArgs]
      : [process.execPath, ...nodeArgs];
  const child = spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = options.keepOutput ?? true;
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (keep || !output.includes('listening on')) output += text;
      const found = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (found) resolve(found[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`the app did not report its address in 20 s:\n${output}`)), 20_000).unref();
  });
  const health = await fetch(`${url}/healthz`);
  if (health.status !== 200) throw new Error(`GET /healthz answered ${health.status}`);

  const logged = (level: number) =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((line) => line.level >= level)
      .map((line) => line.msg);
  return {
    child,
    url,
    output: () => output,
    logged,
    async waitForLog(message) {
      for (let waited = 0; waited < 5_000; waited += 20) {
        if (logged(30).includes(message)) return true;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return false;
    },
    async deliver(name, payload, { id = randomUUID(), signature } = {}) {
      const body = JSON.stringify(payload);
      // undici's request API rather than fetch: bench/app sends thousands of these from a
      // process that is also the fake GitHub, and fetch cost that one core a tenth of its time.
      const response = await request(`${url}${WEBHOOK_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': name,
          'x-github-delivery': id,
          'x-hub-signature-256': signature ?? (await sign(WEBHOOK_SECRET, body)),
          'user-agent': 'GitHub-Hookshot/e2e',
        },
        body,
      });
      return { status: response.statusCode, body: await response.body.text(), id };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
