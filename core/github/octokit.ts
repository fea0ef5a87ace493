/**
 * The CLI's Octokit, composed as @actions/github's `getOctokit(token, options, throttling, retry)`
 * composes the actions' (actions/shared/github-client.ts) and Probot's the app's: REST methods,
 * pagination, @octokit/plugin-throttling and @octokit/plugin-retry, one retry policy everywhere.
 * Both front doors pass it the same options (`clientOptions`): server errors retried, rate limits
 * waited out and said so in the log instead of failing the job.
 */
import { Octokit, type OctokitOptions } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';

const CairnOctokitClass = Octokit.plugin(restEndpointMethods, paginateRest, throttling, retry);

export type CairnOctokit = InstanceType<typeof CairnOctokitClass>;

/**
 * What the helpers in core/github need. Probot's and @actions/github's clients have the same
 * `rest` and `paginate`, so they can be passed where a CairnOctokit is expected.
 */
export type GitHubClient = Pick<CairnOctokit, 'rest' | 'paginate'>;

export interface ClientOptions {
  logger?: Logger;
  /** Retries of server errors (5xx) and rate limits. 0 turns retrying off (tests). Default 3. */
  retries?: number;
  /** Queue requests to stay under GitHub's limits. false for tests (writes are spaced 1 s). Default true. */
  throttle?: boolean;
}

export interface CreateOctokitOptions extends ClientOptions {
  /** A token; none for public data (GitHub's lower unauthenticated limits), or with `authStrategy`. */
  auth?: string;
  /**
   * Octokit's other way to authenticate: a strategy and its options, e.g. @octokit/auth-app's
   * `createAppAuth` with an app's id, key and installation, which renews the installation's
   * hour-long token as it expires. The one front door that needs it (runner/) imports the strategy,
   * so the actions' bundles do not carry it.
   */
  authStrategy?: { strategy: NonNullable<OctokitOptions['authStrategy']>; options: Record<string, unknown> };
  /** GitHub Enterprise Server: `https://ghe.example.com/api/v3`. */
  baseUrl?: string;
  /** The fetch requests go through: `proxiedFetch(env)` from core/net behind a proxy. Default the global fetch. */
  fetch?: typeof globalThis.fetch;
}

/** The longest we wait for a primary rate limit to reset: beyond this a CI job is better off failing. */
export const MAX_RATE_LIMIT_WAIT_S = 120;

interface LimitedRequest {
  method: string;
  /** The route template; its parameters are the other keys. */
  url: string;
  [parameter: string]: unknown;
}

const expand = (options: LimitedRequest) =>
  options.url.replace(/\{(\w+)\}/g, (whole, name: string) =>
    options[name] === undefined ? whole : String(options[name]),
  );

/**
 * Decides whether to retry a rate-limited request; Octokit's throttling plugin calls it. Pure,
 * so the policy is testable without waiting for a real limit.
 */
export function rateLimitPolicy(logger: Logger, retries: number) {
  const onLimit =
    (kind: string, wait: (retryAfter: number) => boolean) =>
    (retryAfter: number, options: LimitedRequest, _octokit: unknown, retryCount: number) => {
      const request = `${options.method} ${expand(options)}`;
      if (retryCount < retries && wait(retryAfter)) {
        logger.warn(
          `GitHub ${kind} rate limit hit by ${request}; retrying in ${retryAfter} s (retry ${retryCount + 1} of ${retries})`,
        );
        return true;
      }
      logger.error(
        `GitHub ${kind} rate limit hit by ${request}; giving up after ${retryCount} retries (reset in ${retryAfter} s)`,
      );
      return false;
    };
  return {
    onRateLimit: onLimit('primary', (retryAfter) => retryAfter <= MAX_RATE_LIMIT_WAIT_S),
    onSecondaryRateLimit: onLimit('secondary', () => true),
  };
}

/**
 * The options of a Cairn client besides its token and base URL, for Octokit with the throttling and
 * retry plugins: the CLI's (createOctokit) and the actions' (getOctokit) alike.
 */
export function clientOptions(
  options: ClientOptions = {},
): Pick<OctokitOptions, 'userAgent' | 'log' | 'retry' | 'throttle'> {
  const logger = options.logger ?? silentLogger;
  const retries = options.retries ?? 3;
  return {
    userAgent: 'cairn',
    log: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.info(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
    retry: { enabled: retries > 0, retries },
    throttle:
      (options.throttle ?? true) ? { enabled: true, ...rateLimitPolicy(logger, retries) } : { enabled: false as const },
  };
}

export function createOctokit(options: CreateOctokitOptions): CairnOctokit {
  return new CairnOctokitClass({
    ...(options.authStrategy
      ? { authStrategy: options.authStrategy.strategy, auth: options.authStrategy.options }
      : { auth: options.auth }),
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}),
    ...clientOptions(options),
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
}
