import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors.ts';

export interface FeatureListOptions {
  /** Where a relative `@FILE` starts: the working folder of the command. */
  cwd: string;
  /** How the user wrote the option, for messages: `--features` (CLI) or `features:` (action). */
  label: string;
}

/**
 * The feature columns a user named: `a,b,c`, or `@FILE` with one name per line. A file keeps a wide
 * model's 2,000 names off the command line (and out of a workflow's YAML); blank lines, a trailing
 * newline, CRLF endings and spaces around a name are ignored. Undefined when nothing was given.
 */
export async function readFeatureList(
  value: string | undefined,
  options: FeatureListOptions,
): Promise<string[] | undefined> {
  const given = value?.trim();
  if (!given) return undefined;
  if (!given.startsWith('@')) return namesIn(given.split(','));

  const { label } = options;
  const file = given.slice(1).trim();
  if (!file)
    throw new UserError(
      `${label} @ needs a file name after the @, e.g. ${label} @features.txt (one feature name per line).`,
    );
  const path = resolve(options.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : (error as Error).message;
    throw new UserError(
      `${label} @${file}: cannot read ${path}: ${why}. Name a text file with one feature name per line.`,
      { cause: error },
    );
  }
  const names = namesIn(text.split(/\r?\n/));
  if (!names)
    throw new UserError(
      `${label} @${file}: ${path} lists no feature names; write one name per line, in the model's input order.`,
    );
  return names;
}

function namesIn(items: string[]): string[] | undefined {
  const names = items.map((item) => item.trim()).filter(Boolean);
  return names.length > 0 ? names : undefined;
}
