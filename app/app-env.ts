/**
 * Every environment variable the app's server and Lambda entry read, in one place. Probot itself
 * reads them (createProbot); we check the ones it would otherwise default dangerously: without
 * WEBHOOK_SECRET Probot accepts deliveries signed with the public secret "development".
 *
 *   APP_ID                 the GitHub App's id
 *   PRIVATE_KEY            its private key (PEM; `\n` escapes allowed), or PRIVATE_KEY_PATH to a .pem file
 *   WEBHOOK_SECRET         the webhook secret set in the app's settings
 *   WEBHOOK_PATH           where webhooks are received; default /api/github/webhooks
 *   GHE_HOST, GHE_PROTOCOL GitHub Enterprise Server (or a local fake): API at GHE_PROTOCOL://GHE_HOST/api/v3
 *   PORT, HOST             where the server listens; default 3000 on all interfaces
 *   LOG_LEVEL, LOG_FORMAT  Probot's pino logger: trace|debug|info|warn|error|fatal (default info), json|pretty
 *   HTTPS_PROXY, HTTP_PROXY, NO_PROXY (and lower-case forms)  the proxy GitHub requests go through,
 *                          NO_PROXY with curl's rules (core/net; app/octokit.ts passes them on)
 */
import { UserError } from '../core/errors.ts';

export type AppEnv = Record<string, string | undefined>;

export function checkAppEnv(env: AppEnv): void {
  const problems: string[] = [];
  if (!env.APP_ID || !/^\d+$/.test(env.APP_ID))
    problems.push('APP_ID must be the GitHub App id (a number, on the app settings page)');
  if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH)
    problems.push('PRIVATE_KEY (the PEM text) or PRIVATE_KEY_PATH (a .pem file) must be set');
  if (!env.WEBHOOK_SECRET)
    problems.push("WEBHOOK_SECRET must be set to the app's webhook secret; without it every delivery would be trusted");
  if (env.GHE_PROTOCOL && !['http', 'https'].includes(env.GHE_PROTOCOL))
    problems.push('GHE_PROTOCOL must be http or https');
  if (problems.length > 0) throw new UserError(`the Cairn app cannot start:\n- ${problems.join('\n- ')}`);
}

export function listenAddress(env: AppEnv): { port: number; host: string } {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UserError(`PORT must be a port number, got "${env.PORT}"`);
  return { port, host: env.HOST || '0.0.0.0' };
}
