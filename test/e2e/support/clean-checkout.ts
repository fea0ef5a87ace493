/**
 * What a new user has after `git clone` and `npm ci`, without the network: this repository's files
 * (tracked ones and new ones git does not ignore, so uncommitted work is what gets tested; no
 * dist/, no cairn-demo/) copied into a temp folder, and this checkout's node_modules linked there.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../../..');

export function cleanCheckout(prefix = 'cairn-checkout-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  for (const file of listed.split('\0')) {
    // A node_modules symlink escapes .gitignore's `node_modules/` (a folder pattern); it is linked below.
    if (!file || file === 'node_modules') continue;
    // A tracked file deleted in the working tree is not in a checkout of the working tree either.
    if (existsSync(join(repoRoot, file))) cpSync(join(repoRoot, file), join(root, file), { verbatimSymlinks: true });
  }
  symlinkSync(realpathSync(join(repoRoot, 'node_modules')), join(root, 'node_modules'), 'junction');
  return root;
}

export interface CommandOutput {
  code: number;
  /** stdout and stderr as the user's terminal interleaves them. */
  output: string;
}

/**
 * Runs a command as from a fresh shell: PATH and HOME only (no npm_* variables of the `npm test`
 * that runs this), a cache folder of its own; stdout and stderr go to one pipe.
 */
export function runInShell(command: string, cwd: string, env: Record<string, string> = {}): Promise<CommandOutput> {
  const shellEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    XDG_CACHE_HOME: join(cwd, '.cache'),
    ...env,
  };
  return new Promise((done) => {
    execFile('bash', ['-c', `${command} 2>&1`], { cwd, env: shellEnv, maxBuffer: 32 << 20 }, (error, stdout) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout });
    });
  });
}
