/**
 * A real Probot instance running the Cairn app, as GitHub would drive it: deliveries are signed
 * with the webhook secret (sha256 HMAC, @octokit/webhooks-methods) and go through
 * `webhooks.verifyAndReceive`, so signature checking is the real one; the installation token is
 * fetched from the (intercepted) API with a JWT signed by a throwaway RSA key.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { Probot, ProbotOctokit, type Logger as PinoLogger } from 'probot';
import cairn from '../../../app/index.ts';
import { createRuntime, type AppRuntime, type AppRuntimeOptions } from '../../../app/runtime.ts';

export const WEBHOOK_SECRET = 'cairn-test-secret';
export const APP_ID = 1234;
export const INSTALLATION_ID = 42;

let cachedKey: string | undefined;
/** One throwaway key per test process: generating RSA keys is slow. PKCS#1, as GitHub hands them out. */
export function privateKey(): string {
  cachedKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
  return cachedKey;
}

export interface LogLine {
  level: string;
  message: string;
}

/** A pino-shaped logger that keeps what was logged (Probot only calls these methods and child()). */
export function memoryPino(): PinoLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (first: unknown, second?: unknown) => {
    const message =
      typeof first === 'string'
        ? first
        : typeof second === 'string'
          ? second
          : first instanceof Error
            ? first.message
            : JSON.stringify(first);
    lines.push({ level, message });
  };
  const logger = {
    lines,
    level: 'trace',
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: () => logger,
  };
  // The app and Probot call only the methods above.
  return logger as unknown as PinoLogger & { lines: LogLine[] };
}

export interface TestApp {
  probot: Probot;
  runtime: AppRuntime;
  log: ReturnType<typeof memoryPino>;
  /** Signs and delivers an event; resolves when every handler has finished. */
  deliver(name: string, payload: unknown, options?: { id?: string }): Promise<{ id: string }>;
  /** Delivers exactly these bytes with this signature (for tampering tests). */
  deliverRaw(event: { name: string; id?: string; body: string; signature: string }): Promise<void>;
}

export async function signBody(body: string, secret = WEBHOOK_SECRET): Promise<string> {
  return sign(secret, body);
}

/**
 * Probot's Octokit with retries and throttling off. The function form matters: Probot wraps the
 * class in its own defaults, which would put its throttle options back over plain-object defaults,
 * and the throttle plugin then spaces writes 1-3 s apart.
 */
export const quietOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object | undefined), enabled: false },
}));

/** A Probot with the test key and secret and no app loaded (for the server and Lambda entries). */
export function testProbot(log = memoryPino()): Probot {
  return new Probot({ appId: APP_ID, privateKey: privateKey(), secret: WEBHOOK_SECRET, log, Octokit: quietOctokit });
}

export async function testApp(options: { runtime?: AppRuntimeOptions } = {}): Promise<TestApp> {
  const log = memoryPino();
  const probot = testProbot(log);
  const runtime = createRuntime(options.runtime);
  await probot.load((app, appOptions) => cairn(app, { ...appOptions, cairn: runtime }));
  const deliverRaw: TestApp['deliverRaw'] = async ({ name, id, body, signature }) => {
    await probot.webhooks.verifyAndReceive({ id: id ?? randomUUID(), name: name as never, payload: body, signature });
  };
  return {
    probot,
    runtime,
    log,
    deliverRaw,
    async deliver(name, payload, { id = randomUUID() } = {}) {
      const body = JSON.stringify(payload);
      await deliverRaw({ name, id, body, signature: await signBody(body) });
      return { id };
    },
  };
}

/** The status an error from verifyAndReceive carries (its first inner error's, as the middleware reads it). */
export function deliveryStatus(error: unknown): number | undefined {
  const inner = error instanceof AggregateError ? error.errors[0] : error;
  return (inner as { status?: number } | undefined)?.status;
}
