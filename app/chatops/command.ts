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

function options(words: string[], allowed: Record<string, boolean>): { positional: string[]; flags: Record<string, string | true> } {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [flag, inline] = word.slice(2).split('=', 2);
    if (!Object.hasOwn(allowed, flag)) throw new CommandSyntaxError(`unknown option --${flag}`);
    if (!allowed[flag]) flags[flag] = true;
    else {
      const value = inline ?? words[++i];
      if (value === undefined || value.startsWith('--')) throw new CommandSyntaxError(`--${flag} needs a value`);
      flags[flag] = value;
    }
  }
  return { positional, flags };
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
      const { positional, flags } = options(words, { force: false });
      const [target, ...more] = positional;
      const stage = more[0] === 'to' ? more[1] : more[0];
      const extra = more.slice(more[0] === 'to' ? 2 : 1);
      const at = target?.lastIndexOf('@') ?? -1;
      if (!target || at <= 0 || !stage || extra.length > 0) throw new CommandSyntaxError('promote takes NAME@vX.Y.Z to STAGE');
      return { kind: 'promote', name: checkModelName(target.slice(0, at)), version: checkVersion(target.slice(at + 1)), stage: checkStageName(stage), force: flags.force === true };
    }
    case 'register': {
      const { positional, flags } = options(words, { bump: true, version: true, ref: true });
      if (positional.length !== 1) throw new CommandSyntaxError('register takes one model name');
      if (flags.bump !== undefined && flags.version !== undefined) throw new CommandSyntaxError('give --bump or --version, not both');
      const bump = flags.bump as string | undefined;
      if (bump !== undefined && !(BUMP_PARTS as readonly string[]).includes(bump)) throw new CommandSyntaxError(`--bump takes ${BUMP_PARTS.join(', ')}`);
      const command: ChatCommand = { kind: 'register', name: checkModelName(positional[0]) };
      if (bump !== undefined) command.bump = bump as BumpPart;
      if (flags.version !== undefined) command.version = checkVersion(flags.version as string);
      if (flags.ref !== undefined) command.ref = flags.ref as string;
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
