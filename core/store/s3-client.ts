/**
 * The S3 client the s3:// store uses, configured from the environment the front door passes in
 * (process.env in the CLI and the actions). The variables are the AWS SDK's and CLI's own, so a job
 * set up by aws-actions/configure-aws-credentials, an AWS profile or an S3-compatible service's
 * documented settings work unchanged:
 *
 *   AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL  an S3-compatible endpoint (MinIO, R2, Ceph, s3rver);
 *                                          path-style addressing; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 *   AWS_REGION, AWS_DEFAULT_REGION         region; else the profile's; else us-east-1
 *   AWS_PROFILE                            a profile in ~/.aws/config (wins over static keys, as in the SDK)
 *   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN   static keys (what OIDC role
 *                                          assumption exports)
 *   AWS_MAX_ATTEMPTS                       attempts per request (default 6)
 *   AWS_REQUEST_CHECKSUM_CALCULATION, AWS_RESPONSE_CHECKSUM_VALIDATION   as in the SDK
 *   HTTPS_PROXY, HTTP_PROXY, NO_PROXY      and their lower-case forms: the proxy, as curl reads them (core/net)
 *
 * Any other credential source (web identity token file, SSO, container or instance roles) is found
 * by the SDK's default provider chain, which reads the process environment and ~/.aws like every
 * AWS tool does.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { UserError } from '../errors.ts';
import { nodeAgents } from '../net/index.ts';
import type { Logger } from '../logger.ts';
import { redactCredentials } from './internal/redact-credentials.ts';
import { DEFAULT_RETRY_POLICY, sdkRetryStrategy, type RetryPolicy } from './retry.ts';

export interface S3ClientOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** An endpoint named outside the environment (a DVC remote's `endpointurl`); wins over AWS_ENDPOINT_URL*. */
  endpoint?: string;
  retry?: Partial<RetryPolicy>;
  /** Concurrent connections (default 64): set it at least as high as the number of parallel transfers. */
  maxSockets?: number;
  /** Plain GETs skip the SDK's command stack while S3 answers 200/206 (default true; see s3-direct-get.ts). */
  directGet?: boolean;
}

export interface ResolvedS3Client {
  client: S3Client;
  endpoint?: string;
  retry: RetryPolicy;
}

export function createS3Client(options: S3ClientOptions): ResolvedS3Client {
  const { env, logger } = options;
  const endpoint = options.endpoint ?? configuredEndpoint(env);
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...maxAttemptsFrom(env), ...options.retry };
  const profile = env.AWS_PROFILE || undefined;
  const config: S3ClientConfig = {
    region: regionProvider(env, profile, endpoint !== undefined),
    profile,
    credentials: profile ? undefined : staticCredentials(env),
    followRegionRedirects: true,
    retryStrategy: sdkRetryStrategy(retry, logger),
    maxAttempts: retry.maxAttempts,
    requestHandler: {
      connectionTimeout: 10_000,
      // Idle-socket timeout: a stalled transfer fails (and is retried or resumed) instead of hanging the job.
      requestTimeout: 60_000,
      // Through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY names the endpoint (core/net); s3-direct-get.ts sends through these too.
      ...nodeAgents(env, { keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
    },
    // The SDK logs every failed command (a HEAD's 404 included) as an object; the store raises its own
    // errors, so these are debug detail only.
    logger: {
      debug: () => {},
      info: () => {},
      warn: (...args: unknown[]) => logger.debug(sdkLogLine(args)),
      error: (...args: unknown[]) => logger.debug(sdkLogLine(args)),
    },
  };
  if (endpoint !== undefined) {
    config.endpoint = endpoint;
    config.forcePathStyle = true;
    // Many S3-compatible servers predate the SDK's default CRC checksums (2025) and mishandle them
    // (s3rver stores the aws-chunked framing as object bytes), so ask for checksums only where S3
    // requires them unless the user chose otherwise.
    config.requestChecksumCalculation = checksumSetting(env.AWS_REQUEST_CHECKSUM_CALCULATION) ?? 'WHEN_REQUIRED';
    config.responseChecksumValidation = checksumSetting(env.AWS_RESPONSE_CHECKSUM_VALIDATION) ?? 'WHEN_REQUIRED';
  } else {
    config.requestChecksumCalculation = checksumSetting(env.AWS_REQUEST_CHECKSUM_CALCULATION);
    config.responseChecksumValidation = checksumSetting(env.AWS_RESPONSE_CHECKSUM_VALIDATION);
  }
  return { client: new S3Client(config), endpoint, retry };
}

function configuredEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  const value = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  if (!value) return undefined;
  const name = env.AWS_ENDPOINT_URL_S3 ? 'AWS_ENDPOINT_URL_S3' : 'AWS_ENDPOINT_URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new UserError(
      `${name}="${redactCredentials(value)}" is not a URL. Set it to the S3 endpoint, like http://127.0.0.1:9000.`,
      { cause: error },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`${name}="${redactCredentials(value)}" must start with http:// or https://.`);
  }
  return value;
}

function maxAttemptsFrom(env: NodeJS.ProcessEnv): Partial<RetryPolicy> {
  const value = env.AWS_MAX_ATTEMPTS;
  if (!value) return {};
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`AWS_MAX_ATTEMPTS must be a positive integer; got "${value}".`);
  return { maxAttempts: n };
}

function staticCredentials(env: NodeJS.ProcessEnv): S3ClientConfig['credentials'] {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined; // the SDK's default chain
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

/**
 * AWS_REGION (the SDK's), AWS_DEFAULT_REGION (the CLI's; configure-aws-credentials sets both), then
 * the profile's region, then us-east-1: S3-compatible servers mostly ignore the region, and a real
 * bucket elsewhere is found through S3's region redirect.
 */
function regionProvider(
  env: NodeJS.ProcessEnv,
  profile: string | undefined,
  customEndpoint: boolean,
): string | (() => Promise<string>) {
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  if (customEndpoint) return 'us-east-1';
  let resolved: Promise<string> | undefined;
  return () => (resolved ??= new S3Client({ profile }).config.region().catch(() => 'us-east-1'));
}

function checksumSetting(value: string | undefined): 'WHEN_REQUIRED' | 'WHEN_SUPPORTED' | undefined {
  const upper = value?.toUpperCase();
  return upper === 'WHEN_REQUIRED' || upper === 'WHEN_SUPPORTED' ? upper : undefined;
}

function sdkLogLine(args: unknown[]): string {
  return redactCredentials(
    args.map((arg) => (typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? String(arg)))).join(' '),
  );
}
