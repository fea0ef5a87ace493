import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The first folder at or above `from` that holds `.git` (a folder, or a worktree's or submodule's file). */
export function gitRoot(from: string): string | undefined {
  for (let folder = resolve(from); ; folder = dirname(folder)) {
    if (existsSync(join(folder, '.git'))) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}

/**
 * The git root above `cwd`, or `cwd` itself outside a repository. Config paths (`models.<m>.path`)
 * are relative to it.
 */
export function repositoryRoot(cwd: string): string {
  return gitRoot(cwd) ?? resolve(cwd);
}
