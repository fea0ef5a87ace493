/**
 * `/cairn ...` commands in issue and pull request comments:
 *
 *   /cairn promote NAME@vX.Y.Z to STAGE [--force]
 *   /cairn register NAME [--bump major|minor|patch | --version vX.Y.Z] [--ref REV]
 *   /cairn rollback NAME STAGE
 *   /cairn show
 *   /cairn sync
 *   /cairn help
 *
 * The first line that starts with `/cairn` is the command; the rest of the comment is free text.
 */
import { parseArgs } from 'node:util';
import { UserError } from '../../core/errors.ts';
import { BUMP_PARTS, checkModelName, checkStageName, checkVersion, type BumpPart } from '../../core/registry/index.ts';

export type ChatCommand =
  | { kind: 'promote'; name: string; version: string; stage: string; force: boolean }
  | { kind: 'register'; name: string; version?: string; bump?: BumpPart; ref?: string }
  | { kind: 'rollback'; name: string; stage: string }
  | { kind: 'show' }
  | { kind: 'sync' }
  | { kind: 'help' };

export const USAGE = [
  '```',
  '/cairn promote NAME@vX.Y.Z to STAGE [--force]',
  '/cairn register NAME [--bump major|minor|patch | --version vX.Y.Z] [--ref REV]',
  '/cairn rollback NAME STAGE',
  '/cairn show',
  '/cairn sync',
  '```',
].join('\n');

/** A command that does not parse: the reply shows the message and the usage. */
export class CommandSyntaxError extends UserError {
  override name = 'CommandSyntaxError';
}

const COMMAND_LINE = /^\/cairn(?:\s+(.*))?$/;

/**
 * The `/cairn` line of a comment, or undefined when the comment is not addressed to Cairn. Only a
 * line a reader sees as text counts: not one in a fenced or indented code block, nor one hidden in
 * an HTML comment (`<!-- /cairn promote ... -->`, which the rendered comment does not show), nor a
 * quoted reply (`> /cairn ...`, which quotes someone else's command).
 */
export function commandLine(body: string): string | undefined {
  let fenced = false;
  let inComment = false;
  for (const raw of body.split(/\r\n|\r|\n/)) {
    let line = raw;
    if (!fenced) {
      if (inComment) {
        const end = line.indexOf('-->');
        if (end < 0) continue;
        inComment = false;
        line = line.slice(end + 3);
      }
      line = line.replace(/<!--[\s\S]*?-->/g, '');
      const open = line.indexOf('<!--');
      if (open >= 0) {
        inComment = true;
        line = line.slice(0, open);
      }
    }
    const trimmed = line.trim();
    if (/^(```|~~~)/.test(trimmed)) fenced = !fenced;
    if (fenced) continue;
    // Four columns of indentation (a tab counts as four) make an indented code block.
    if (/^(?: {4}| {0,3}\t)/.test(line)) continue;
    if (trimmed === '/cairn' || trimmed.startsWith('/cairn ') || trimmed.startsWith('/cairn\t')) return trimmed;
  }
  return undefined;
}

type OptionTypes = Record<string, 'string' | 'boolean'>;
type Flags<T extends OptionTypes> = { [K in keyof T]?: T[K] extends 'string' ? string : boolean };

/**
 * The command's words through `parseArgs`, strict as the CLI's (cli/args.ts), its errors reworded
 * for a comment reply. A bare `--` is refused rather than read as "positionals follow": no command
 * takes a positional that starts with a dash.
 */
function options<T extends OptionTypes>(words: string[], allowed: T): { positional: string[]; flags: Flags<T> } {
  if (words.includes('--')) throw new CommandSyntaxError('unknown option --');
  const config = Object.fromEntries(Object.entries(allowed).map(([name, type]) => [name, { type }]));
  try {
    const { values, positionals } = parseArgs({ args: words, options: config, allowPositionals: true, strict: true });
    return { positional: positionals, flags: values as Flags<T> };
  } catch (error) {
    throw syntaxErrorOf(error);
  }
}

function syntaxErrorOf(error: unknown): Error {
  const { code, message } = error as { code?: string; message?: string };
  const flag = /'(-{1,2}[^'\s]*)/.exec(message ?? '')?.[1];
  if (flag === undefined) return error as Error;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return new CommandSyntaxError(`unknown option ${flag}`, { cause: error });
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const reason = /does not take an argument/.test(message ?? '') ? 'takes no value' : 'needs a value';
    return new CommandSyntaxError(`${flag} ${reason}`, { cause: error });
  }
  return error as Error;
}

/** Parses the comment; undefined when it holds no `/cairn` line. Bad syntax is a CommandSyntaxError. */
export function parseCommand(body: string): ChatCommand | undefined {
  const line = commandLine(body);
  if (line === undefined) return undefined;
  const [, rest = ''] = COMMAND_LINE.exec(line) ?? [];
  const [verb, ...words] = rest.split(/\s+/).filter(Boolean);
  switch (verb) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'show':
      if (words.length > 0) throw new CommandSyntaxError('show takes no arguments');
      return { kind: 'show' };
    case 'sync':
      if (words.length > 0) throw new CommandSyntaxError('sync takes no arguments');
      return { kind: 'sync' };
    case 'promote': {
      const { positional, flags } = options(words, { force: 'boolean' });
      const [target, ...more] = positional;
      const stage = more[0] === 'to' ? more[1] : more[0];
      const extra = more.slice(more[0] === 'to' ? 2 : 1);
      const at = target?.lastIndexOf('@') ?? -1;
      if (!target || at <= 0 || !stage || extra.length > 0)
        throw new CommandSyntaxError('promote takes NAME@vX.Y.Z to STAGE');
      return {
        kind: 'promote',
        name: checkModelName(target.slice(0, at)),
        version: checkVersion(target.slice(at + 1)),
        stage: checkStageName(stage),
        force: flags.force === true,
      };
    }
    case 'register': {
      const { positional, flags } = options(words, { bump: 'string', version: 'string', ref: 'string' });
      if (positional.length !== 1) throw new CommandSyntaxError('register takes one model name');
      if (flags.bump !== undefined && flags.version !== undefined)
        throw new CommandSyntaxError('give --bump or --version, not both');
      const bump = flags.bump;
      if (bump !== undefined && !(BUMP_PARTS as readonly string[]).includes(bump))
        throw new CommandSyntaxError(`--bump takes ${BUMP_PARTS.join(', ')}`);
      const command: ChatCommand = { kind: 'register', name: checkModelName(positional[0]) };
      if (bump !== undefined) command.bump = bump as BumpPart;
      if (flags.version !== undefined) command.version = checkVersion(flags.version);
      if (flags.ref !== undefined) command.ref = flags.ref;
      return command;
    }
    case 'rollback': {
      const { positional } = options(words, {});
      if (positional.length !== 2) throw new CommandSyntaxError('rollback takes NAME STAGE');
      return { kind: 'rollback', name: checkModelName(positional[0]), stage: checkStageName(positional[1]) };
    }
    default:
      throw new CommandSyntaxError(`unknown command "${verb}"`);
  }
}
