/**
 * A failure the user can fix: bad input, bad config, a missing file. The message says what to
 * change. Front doors map it: CLI exit 2, actions `setFailed`, app a failed check run or a reply.
 * Anything else that is thrown is a bug and keeps its stack.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** A gate or check that ran and failed: CLI exit 1, a failed step. Not a usage error. */
export class GateFailure extends Error {
  override name = 'GateFailure';
  constructor(
    message: string,
    readonly reasons: string[],
  ) {
    super(message);
  }
}
