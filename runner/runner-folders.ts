/**
 * `--per-gpu` runs one actions runner per GPU, and a runner keeps its state in its own folder
 * (`_diag`, `_work`, the job's tool cache), so each gets its own copy of `--runner-dir`: a tree of
 * hard links (the runner's ~200 MB of binaries are shared, not copied), a plain copy across file
 * systems. The runner writes only new files there, so the shared binaries are never changed.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';

/** The folders a runner writes into while it runs: never shared between copies. */
const RUNNER_STATE = new Set(['_diag', '_work']);

/** A hard link, or a copy where one cannot be made (another file system, a file system without them). */
function linkFile(source: string, target: string): void {
  try {
    linkSync(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
    copyFileSync(source, target);
  }
}

function linkTree(from: string, to: string, skip: ReadonlySet<string> = new Set()): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else linkFile(source, target);
  }
}

/**
 * What the runner leaves in its folder for the next registration: the workspace, the action and
 * tool caches and temp files under `_work` (a pull request's job could plant a tool there that the
 * next job runs), and the registration files it writes from the JIT config. `_diag` (logs) stays.
 */
const JOB_STATE = ['_work', '.runner', '.credentials', '.credentials_rsaparams'];

/** Called before each registration: the next job starts from a runner folder no job has touched. */
export function clearJobState(runnerDir: string): void {
  for (const entry of JOB_STATE) rmSync(join(runnerDir, entry), { recursive: true, force: true });
}

export function checkRunnerDir(runnerDir: string): void {
  if (!existsSync(join(runnerDir, 'run.sh')))
    throw new UserError(
      `${runnerDir} has no run.sh: --runner-dir must be an unpacked actions/runner release (\`cairn runner install --dir ${runnerDir}\`)`,
    );
}

/**
 * The folder of GPU `index`'s runner beside `runnerDir` (`<runner-dir>.gpu3`), made afresh from it:
 * whatever an earlier run left there is gone, as an ephemeral runner's state should be.
 */
export function gpuRunnerDir(runnerDir: string, index: number): string {
  const copy = `${runnerDir.replace(/\/+$/, '')}.gpu${index}`;
  rmSync(copy, { recursive: true, force: true });
  linkTree(runnerDir, copy, RUNNER_STATE);
  return copy;
}
