/**
 * A request that never got an answer because the network did not carry it (no DNS name, a refused
 * or reset connection, a timeout) is the user's environment to fix, not a bug: the front doors say
 * which host and what to check, with the exit code of a user error, instead of a stack trace.
 * Octokit wraps such a failure in a RequestError (status 500, no response) around undici's
 * "fetch failed", whose cause carries the system error; the AWS SDK throws the system error itself.
 */
const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_SOCKET',
]);

interface Failure {
  code: string;
  host?: string;
}

/** The unanswered request's host and system error code, or undefined when `error` is something else. */
export function networkFailure(error: unknown): Failure | undefined {
  let host: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const failure = current as {
      code?: unknown;
      hostname?: unknown;
      address?: unknown;
      port?: unknown;
      request?: { url?: unknown };
      response?: unknown;
      cause?: unknown;
    };
    if (!host && typeof failure.request?.url === 'string') host = hostOf(failure.request.url);
    if (!host && typeof failure.hostname === 'string') host = failure.hostname;
    if (!host && typeof failure.address === 'string')
      host = failure.port === undefined ? failure.address : `${failure.address}:${String(failure.port)}`;
    // An answer came back (a 5xx after retries, say): that is not the network's doing.
    if (failure.response) return undefined;
    if (typeof failure.code === 'string' && NETWORK_CODES.has(failure.code)) return { code: failure.code, host };
    current = failure.cause;
  }
  return undefined;
}

/** What a front door prints for such a failure. */
export function describeNetworkFailure(failure: Failure): string {
  const where = failure.host ? `could not reach ${failure.host}` : 'a network request got no answer';
  return `${where} (${failure.code}). Check the machine's network connection and DNS; behind a proxy, set HTTPS_PROXY (and NO_PROXY for hosts reached directly).`;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
