/**
 * Turns the S3 failures a user can fix (wrong bucket, missing or refused credentials, an endpoint
 * that does not answer) into UserErrors that say what to change. Anything else is returned as is.
 */
import { UserError } from '../../errors.ts';
import { redactCredentials } from './redact-credentials.ts';
import { describeSdkError } from '../retry.ts';
import { ObjectNotFoundError, PreconditionFailedError } from '../store.ts';

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

export interface S3ErrorContext {
  /** The bucket-level URI (s3://bucket/prefix). */
  storeUri: string;
  /** The object's URI when the request was about one object. */
  objectUri?: string;
  bucket: string;
  endpoint?: string;
  /** For messages: the condition a conditional request carried. */
  condition?: string;
}

const DENIED = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'AllAccessDisabled',
]);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

export function s3Error(error: unknown, context: S3ErrorContext): unknown {
  const e = error as SdkError;
  if (!e || typeof e !== 'object' || error instanceof UserError) return error;
  const endpoint = context.endpoint === undefined ? undefined : redactCredentials(context.endpoint);
  const status = e.$metadata?.httpStatusCode;
  const where = context.objectUri ?? context.storeUri;
  if (e.name === 'NoSuchKey' || (e.name === 'NotFound' && context.objectUri)) {
    return new ObjectNotFoundError(context.objectUri ?? where, { cause: error });
  }
  if (e.name === 'NoSuchBucket') {
    return new UserError(
      `bucket "${context.bucket}" does not exist${endpoint ? ` at ${endpoint}` : ''} (${context.storeUri}). Check the bucket name in the remote URI${endpoint ? '' : ', and AWS_ENDPOINT_URL if it is not on AWS'}.`,
      { cause: error },
    );
  }
  if (status === 412 || status === 409 || e.name === 'PreconditionFailed' || e.name === 'ConditionalRequestConflict') {
    return new PreconditionFailedError(where, context.condition ?? 'the request condition', { cause: error });
  }
  if (status === 416 || e.name === 'InvalidRange') {
    return new RangeError(`${where}: the requested byte range is past the end of the object`, { cause: error });
  }
  if (DENIED.has(e.name ?? '') || status === 403) {
    return new UserError(
      `access to ${where} was refused (${describeSdkError(e)}). Check the AWS credentials this job uses: ` +
        'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a role assumed with aws-actions/configure-aws-credentials, ' +
        'and that they allow s3:GetObject, s3:PutObject and s3:ListBucket on the bucket.',
      { cause: error },
    );
  }
  if (e.name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    return new UserError(
      `no AWS credentials found for ${where}. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, ` +
        'or assume a role with aws-actions/configure-aws-credentials (OIDC) before this step.',
      { cause: error },
    );
  }
  if (UNREACHABLE.has(e.code ?? '') || UNREACHABLE.has(e.name ?? '')) {
    const target = endpoint ?? 'S3';
    return new UserError(
      `cannot reach ${target} for ${where} (${describeSdkError(e)}). Check the network, and AWS_ENDPOINT_URL if you use an S3-compatible server.`,
      {
        cause: error,
      },
    );
  }
  if (e.$metadata || e.code) {
    // Retries are spent (or it was not retryable): name the object; the SDK error stays as the cause.
    const attempts = (e.$metadata as { attempts?: number } | undefined)?.attempts;
    const detail = e.message && e.message !== 'UnknownError' ? `: ${redactCredentials(e.message)}` : '';
    return new Error(
      `${where}: ${describeSdkError(e)}${attempts && attempts > 1 ? ` (gave up after ${attempts} attempts)` : ''}${detail}`,
      { cause: error },
    );
  }
  return error;
}
