/**
 * Pull requests from forks run with a read-only GITHUB_TOKEN: writing a comment or a check run
 * fails with 403 "Resource not accessible by integration". That is expected, not a failure of
 * the evaluation, so callers fall back to the job summary instead of failing the job.
 */
import type { Logger } from '../logger.ts';

interface HttpError {
  status?: number;
  message?: string;
  response?: { data?: { message?: string }; headers?: Record<string, string | undefined> };
}

/** True for a 403 that means "this token may not write here" (not a rate limit, also 403). */
export function isForbidden(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as HttpError;
  if (e.status !== 403) return false;
  const message = `${e.message ?? ''} ${e.response?.data?.message ?? ''}`;
  return !/rate limit/i.test(message) && e.response?.headers?.['x-ratelimit-remaining'] !== '0';
}

/**
 * Runs `write`; when the token may not write, logs why and returns undefined so the caller can
 * fall back (job summary). Other errors propagate.
 */
export async function tryWrite<T>(what: string, write: () => Promise<T>, logger: Logger): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (!isForbidden(error)) throw error;
    logger.warn(
      `could not ${what}: the token is read-only here (${(error as Error).message}). ` +
        'This is expected on pull requests from forks; the report is in the job summary instead.',
    );
    return undefined;
  }
}
