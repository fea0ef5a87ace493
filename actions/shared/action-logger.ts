import * as core from '@actions/core';
import type { Logger } from '../../core/logger.ts';
import { GateFailure, isUserError } from '../../core/errors.ts';

export const actionLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warn: (message) => core.warning(message),
  error: (message) => core.error(message),
};

/**
 * Entry wrapper: a user error or a failed gate fails the step with its message; anything else is a
 * bug and fails the step with the stack so it can be reported.
 */
export async function runAction(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (isUserError(error) || error instanceof GateFailure) core.setFailed(error.message);
    else core.setFailed(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}

export function optionalInput(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}
