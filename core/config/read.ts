import { open } from 'node:fs/promises';
import { UserError } from '../errors.ts';
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
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (explicit) throw new UserError(`config file not found: ${path}`, { cause: error });
    return undefined;
  }
  return parseRepoConfig(text, path);
}
