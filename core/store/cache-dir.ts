import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Where pulls keep their local content-addressed cache when the user names none:
 *
 *   CAIRN_CACHE_DIR            this folder
 *   XDG_CACHE_HOME             <it>/cairn (the XDG base-directory spec; ignored unless absolute)
 *   otherwise                  ~/.cache/cairn
 *
 * Front doors pass their environment (process.env); core reads none.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv, cwd: string, home: () => string = homedir): string {
  if (env.CAIRN_CACHE_DIR) return resolve(cwd, env.CAIRN_CACHE_DIR);
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'cairn');
  return join(home(), '.cache', 'cairn');
}
