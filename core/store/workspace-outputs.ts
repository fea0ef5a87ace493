/**
 * Are the outputs a `.dvc` file or `dvc.lock` names the ones in the workspace? Hashed the way DVC
 * hashes them (a folder by its `.dir` manifest id), so what a training record says it trained on is
 * what DVC would say too.
 */
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../logger.ts';
import { readDvcPointers } from './internal/dvc/read-dvc-pointers.ts';
import { pulledOutputs } from './internal/pull-plan.ts';
import { filesOf, planOutput } from './internal/push-plan.ts';
import { hashFiles } from './internal/push-transfer.ts';
import { scanWorkspace } from './internal/push-tree.ts';

export interface WorkspaceOutputState {
  /** As the pointer file names it, relative to the pointer's folder. */
  path: string;
  /** What the pointer records. */
  md5: string;
  /** `matches`, `missing` from the workspace, or `differs` (with the workspace's md5). */
  state: 'matches' | 'missing' | 'differs';
  workspaceMd5?: string;
}

/** Each cached output of `pointerPath` and whether the workspace holds exactly it. */
export async function checkWorkspaceOutputs(
  pointerPath: string,
  options: { logger: Logger; jobs?: number; signal?: AbortSignal },
): Promise<WorkspaceOutputState[]> {
  const root = dirname(resolve(pointerPath));
  const states: WorkspaceOutputState[] = [];
  for (const output of pulledOutputs(await readDvcPointers(pointerPath))) {
    const scanned = await scanWorkspace(join(root, ...output.path.split('/')), {
      links: 'follow-files',
      logger: options.logger,
    });
    if (scanned === undefined || (scanned.kind === 'dir') !== output.isDir) {
      states.push({ path: output.path, md5: output.md5, state: 'missing' });
      continue;
    }
    const files = filesOf(scanned).map((file) => ({ path: file.path, kind: output.hashKind }));
    const digests = await hashFiles(files, options.jobs ?? 4, options.signal);
    const plans = planOutput(scanned, digests, output.hashKind);
    const matches = plans.some((plan) => plan.md5 === output.md5);
    states.push(
      matches
        ? { path: output.path, md5: output.md5, state: 'matches' }
        : { path: output.path, md5: output.md5, state: 'differs', workspaceMd5: plans[0].md5 },
    );
  }
  return states;
}
