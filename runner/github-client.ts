/**
 * Who `cairn runner` talks to GitHub as: a token (`--token-file`, else GITHUB_TOKEN or GH_TOKEN), or
 * the Cairn app's credentials (APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH, Probot's names) acting as
 * its installation on the repository or organisation. Either needs repository "Administration"
 * write, or organisation "Self-hosted runners" write, which the app does not ask for by default
 * (app/app.yml): whoever runs runners grants it on purpose.
 */
import { readFileSync } from 'node:fs';
import { createAppAuth } from '@octokit/auth-app';
import { UserError } from '../core/errors.ts';
import { createOctokit, statusOf, type GitHubClient, type RunnerScope } from '../core/github/index.ts';
import type { Logger } from '../core/logger.ts';
import { proxiedFetch } from '../core/net/index.ts';

/** Credentials the jobs must never see: run.sh passes its environment on to every job. */
export const CREDENTIAL_VARIABLES = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'APP_ID',
  'PRIVATE_KEY',
  'PRIVATE_KEY_PATH',
  'WEBHOOK_SECRET',
  'GITHUB_CLIENT_SECRET',
];

export interface RunnerClientOptions {
  env: NodeJS.ProcessEnv;
  scope: RunnerScope;
  tokenFile?: string;
  logger: Logger;
  /** Tests: no retries or throttling, so a scripted error is seen at once. */
  retries?: number;
  throttle?: boolean;
}

function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new UserError(`cannot read ${what} ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export async function runnerClient(options: RunnerClientOptions): Promise<GitHubClient> {
  const { env, scope, logger } = options;
  const common = {
    baseUrl: env.GITHUB_API_URL,
    logger,
    fetch: proxiedFetch(env),
    retries: options.retries,
    throttle: options.throttle,
  };
  const token = options.tokenFile
    ? readSecretFile(options.tokenFile, '--token-file')
    : (env.GITHUB_TOKEN ?? env.GH_TOKEN);
  if (token) return createOctokit({ auth: token, ...common });

  const appId = env.APP_ID;
  const privateKey =
    env.PRIVATE_KEY ?? (env.PRIVATE_KEY_PATH ? readSecretFile(env.PRIVATE_KEY_PATH, 'PRIVATE_KEY_PATH') : undefined);
  if (!appId || !privateKey)
    throw new UserError(
      'cairn runner needs credentials: --token-file, GITHUB_TOKEN, or the Cairn app’s APP_ID with PRIVATE_KEY (or PRIVATE_KEY_PATH)',
    );
  // PEM from an environment variable often arrives with its line breaks escaped.
  const pem = privateKey.replace(/\\n/g, '\n');
  const asApp = createOctokit({
    authStrategy: { strategy: createAppAuth, options: { appId, privateKey: pem } },
    ...common,
  });
  let installationId: number;
  try {
    const { data } =
      scope.kind === 'repo'
        ? await asApp.rest.apps.getRepoInstallation({ owner: scope.owner, repo: scope.repo })
        : await asApp.rest.apps.getOrgInstallation({ org: scope.org });
    installationId = data.id;
  } catch (error) {
    if (statusOf(error) === 404)
      throw new UserError(
        `app ${appId} is not installed on ${scope.kind === 'repo' ? `${scope.owner}/${scope.repo}` : scope.org}`,
        { cause: error },
      );
    throw error;
  }
  // As the installation: @octokit/auth-app renews its hour-long token as it expires (a runner runs for days).
  return createOctokit({
    authStrategy: { strategy: createAppAuth, options: { appId, privateKey: pem, installationId } },
    ...common,
  });
}
