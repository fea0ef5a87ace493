/** A real git repository in a temp folder, with tagger times under the test's control. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** 2024-01-01T00:00:00Z; test times are seconds after it. */
export const EPOCH = Date.UTC(2024, 0, 1) / 1000;

/** GIT_COMMITTER_DATE (the tagger date of `git tag -a`) for second `s` of the test's clock. */
export function gitDate(s: number): string {
  return `${EPOCH + s} +0000`;
}

export function isoAt(s: number): string {
  return new Date((EPOCH + s) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Environment for git and the CLI: an identity and a fixed date, nothing from the user's setup. */
export function gitEnv(s: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_DATE: gitDate(s),
    GIT_COMMITTER_DATE: gitDate(s),
    ...extra,
  };
}

export class GitRepo {
  private constructor(readonly dir: string) {}

  static create(options: { bare?: boolean } = {}): GitRepo {
    const repo = new GitRepo(mkdtempSync(join(tmpdir(), 'cairn-registry-')));
    repo.git(['init', '-q', ...(options.bare ? ['--bare'] : []), '-b', 'main']);
    if (!options.bare) {
      repo.git(['config', 'user.name', 'Registry Tester']);
      repo.git(['config', 'user.email', 'tester@example.com']);
      repo.git(['config', 'tag.gpgSign', 'false']);
    }
    return repo;
  }

  git(args: string[], s = 0, extra: Record<string, string> = {}): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: this.dir, ...gitEnv(s, extra) },
    }).trim();
  }

  /** An empty commit at second `s`; returns its sha. */
  commit(message: string, s = 0): string {
    this.git(['commit', '-q', '--allow-empty', '-m', message], s);
    return this.git(['rev-parse', 'HEAD']);
  }

  /** An annotated tag at second `s` (or a lightweight one). */
  tag(name: string, ref: string, s: number, options: { lightweight?: boolean; message?: string } = {}): void {
    if (options.lightweight) this.git(['tag', '--', name, ref], s);
    else this.git(['tag', '-a', '-m', options.message ?? name, '--', name, ref], s);
  }

  tags(): string[] {
    return this.git(['tag', '-l']).split('\n').filter(Boolean).sort();
  }
}
