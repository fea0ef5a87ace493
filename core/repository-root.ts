import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The git root above `cwd` (the first folder holding `.git`, a folder or a worktree's file), or
 * `cwd` itself outside a repository. Config paths (`models.<m>.path`) are relative to it.
 */
export function repositoryRoot(cwd: string): string {
  const start = resolve(cwd);
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, '.git'))) return folder;
    if (dirname(folder) === folder) return start;
  }
}
