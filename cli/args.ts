import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.ts';
import { checkChoice, checkPositiveInt } from '../core/options.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export const commonOptions = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
} as const satisfies Options;

/** parseArgs with its errors turned into usage errors (exit 2) that name the command's help. */
export function parseCommandArgs<T extends Options>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options: { ...commonOptions, ...options }, allowPositionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `${message.replace(/\. To specify a positional.*$/s, '')}\nRun \`cairn ${command} --help\` for the options.`,
      { cause: error },
    );
  }
}

export function requireOption(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '')
    throw new UserError(`--${name} is required. Run \`cairn ${command} --help\` for the options.`);
  return value;
}

export function parseChoice<const T extends readonly string[]>(
  flag: string,
  value: string | undefined,
  choices: T,
  fallback: T[number],
): T[number] {
  return checkChoice(`--${flag}`, value, choices, fallback);
}

export function parsePositiveInt(flag: string, value: string | undefined, fallback: number): number {
  return checkPositiveInt(`--${flag}`, value, fallback);
}

export function verbosityOf(values: { quiet?: boolean; verbose?: boolean }): 'quiet' | 'normal' | 'verbose' {
  return values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal';
}
