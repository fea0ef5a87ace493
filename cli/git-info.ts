import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

/** The commit being evaluated: GITHUB_SHA/GITHUB_REF on Actions, else `git` in the working folder. */
export function gitInfo(env: NodeJS.ProcessEnv, cwd: string): { sha: string; ref?: string } | undefined {
  if (env.GITHUB_SHA) return { sha: env.GITHUB_SHA, ref: env.GITHUB_REF };
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const sha = git('rev-parse', 'HEAD');
    const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
    return { sha, ref: branch === 'HEAD' ? undefined : `refs/heads/${branch}` };
  } catch {
    return undefined; // not a git repo, or no commits yet: lineage is optional
  }
}

/** gitInfo without blocking: `cairn train` asks while the command already runs, off its start-up path. */
export async function gitInfoLater(
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ sha: string; ref?: string } | undefined> {
  if (env.GITHUB_SHA) return { sha: env.GITHUB_SHA, ref: env.GITHUB_REF };
  const git = async (...args: string[]) =>
    (await promisify(execFile)('git', args, { cwd, encoding: 'utf8' })).stdout.trim();
  try {
    const [sha, branch] = await Promise.all([git('rev-parse', 'HEAD'), git('rev-parse', '--abbrev-ref', 'HEAD')]);
    return { sha, ref: branch === 'HEAD' ? undefined : `refs/heads/${branch}` };
  } catch {
    return undefined;
  }
}
