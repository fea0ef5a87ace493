import { open } from 'node:fs/promises';
import { isUserError, UserError } from '../errors.ts';
import { configTooLarge, parseRepoConfig, type RepoConfig } from './parse.ts';

/**
 * Reads `.github/cairn.yml`; a missing file is fine unless the user named it explicitly. A file
 * over the size limit is refused by its size, before it is read.
 */
export async function readRepoConfig(path: string, explicit: boolean): Promise<RepoConfig | undefined> {
  let text: string;
  try {
    const file = await open(path, 'r');
    try {
      const tooLarge = configTooLarge((await file.stat()).size, path);
      if (tooLarge) throw tooLarge;
      text = await file.readFile('utf8');
    } finally {
      await file.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR')
      throw new UserError(`${path} is a folder; the config is a file, such as .github/cairn.yml.`, { cause: error });
    if (isUserError(error)) throw error;
    if (code !== 'ENOENT')
      throw new UserError(`cannot read the config ${path}: ${(error as Error).message}`, { cause: error });
    if (explicit) throw new UserError(`config file not found: ${path}`, { cause: error });
    return undefined;
  }
  return parseRepoConfig(text, path);
}
