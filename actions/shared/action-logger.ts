import * as core from '@actions/core';
import { withoutWorkflowCommands, type Logger } from '../../core/logger.ts';
import { GateFailure, isUserError, UserError } from '../../core/errors.ts';
import { actionInput } from '../../core/option-names.ts';
import { describeNetworkFailure, networkFailure } from '../../core/net/index.ts';

/**
 * `core.info` for a line that may hold a model name, a path or any other text from a user or a
 * record: core.info writes it raw, so a `::warning::` in it would run. Warnings and errors need no
 * such care (the toolkit keeps their message on one line).
 */
export function info(message: string): void {
  core.info(withoutWorkflowCommands(message));
}

export const actionLogger: Logger = {
  debug: (message) => core.debug(message),
  info,
  warn: (message) => core.warning(message),
  error: (message) => core.error(message),
};

/**
 * Entry wrapper: a user error or a failed gate fails the step with its message, options named as
 * the action's inputs (`model:`, not `--model`); anything else is a bug and fails the step with the
 * stack so it can be reported. A request the network did not carry says which host and what to check.
 */
export async function runAction(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (isUserError(error)) core.setFailed(error.messageFor(actionInput));
    else if (error instanceof GateFailure) core.setFailed(error.message);
    else {
      const unreachable = networkFailure(error);
      if (unreachable) core.setFailed(describeNetworkFailure(unreachable));
      else core.setFailed(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
  }
}

export function optionalInput(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}

/** An input the step cannot run without; missing, it is the workflow's mistake (a UserError), not a bug with a stack. */
export function requiredInput(name: string): string {
  const value = optionalInput(name);
  if (value === undefined)
    throw new UserError(`input ${name} is required: set \`${name}:\` under \`with:\` in the workflow step.`);
  return value;
}
