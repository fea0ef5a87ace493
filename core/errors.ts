import { cliOption, type SpellOption } from './option-names.ts';

/** A message that names options: the front door says how (`--model` or `model:`). */
export type WordedMessage = (option: SpellOption) => string;

/**
 * A failure the user can fix: bad input, bad config, a missing file. The message says what to
 * change. Front doors map it: CLI exit 2, actions `setFailed`, app a failed check run or a reply.
 * Anything else that is thrown is a bug and keeps its stack.
 */
export class UserError extends Error {
  override name = 'UserError';
  readonly #worded: WordedMessage | undefined;
  constructor(message: string | WordedMessage, options?: { cause?: unknown }) {
    super(typeof message === 'string' ? message : message(cliOption), options);
    this.#worded = typeof message === 'string' ? undefined : message;
  }

  /** The message with options named as `spell` names them; `message` names them as the CLI does. */
  messageFor(spell: SpellOption): string {
    return this.#worded ? this.#worded(spell) : this.message;
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
