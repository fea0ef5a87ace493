import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import { parseRepoConfig, type RepoConfig } from './parse.ts';

/** Reads `.github/cairn.yml`; a missing file is fine unless the user named it explicitly. */
export async function readRepoConfig(path: string, explicit: boolean): Promise<RepoConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (explicit) throw new UserError(`config file not found: ${path}`, { cause: error });
    return undefined;
  }
  return parseRepoConfig(text, path);
}
