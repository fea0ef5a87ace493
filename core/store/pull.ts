/**
 * `cairn pull`: puts the data a `.dvc` file or `dvc.lock` names into the workspace, from a remote in
 * DVC's layout. Like push, in two steps: the plan (pull-plan.ts, pull-guard.ts) settles everything
 * that could refuse the pull (unsafe paths, manifests, overlapping outputs, workspace files the user
 * changed) before the first file is written or downloaded; the transfer (pull-transfer.ts) then moves files in parallel, each verified before it
 * takes its name.
 */
import { dirname, resolve } from 'node:path';
import type { Logger } from '../logger.ts';
import { readDvcPointers } from './internal/dvc/read-dvc-pointers.ts';
import type { DvcOutput } from './internal/dvc/types.ts';
import { checkNothingUnsaved } from './internal/pull-guard.ts';
import { checkTargetsApart, planOutputs, type TargetPlan } from './internal/pull-plan.ts';
import { WorkspaceState } from './internal/pull-state.ts';
import { transferPlanned, type PullProgress, type PullResult } from './internal/pull-transfer.ts';
import type { ObjectStore } from './store.ts';

export { manifestHashOf, pulledOutputs } from './internal/pull-plan.ts';
export type { PulledOutput, PullProgress, PullResult, TransferCount } from './internal/pull-transfer.ts';

/** How the pull runs; the same for one pointer file or several (pullTargets). */
export interface PullRunOptions {
  logger: Logger;
  /** Files transferred in parallel (default 16). */
  jobs?: number;
  /** Local content-addressed cache (DVC 3 layout); none when undefined. */
  cacheDir?: string;
  /** Called often (every chunk); front doors throttle what they draw. */
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
  /** Objects this big or bigger are fetched with parallel ranged GETs (default 64 MiB). */
  largeObjectBytes?: number;
  /** Size of one ranged GET (default: the object split for the part jobs, 8-64 MiB; see partBytesFor). */
  partBytes?: number;
  /** Replace workspace files whose bytes Cairn does not know (edited by the user); without it the pull refuses them, as `dvc pull` does without --force. */
  force?: boolean;
}

export interface PullOptions extends PullRunOptions {
  /** The remote. */
  store: ObjectStore;
}

/** One pointer file's outputs and the remote they come from. */
export interface PullSource {
  /** The folder the output paths are relative to. */
  root: string;
  outputs: readonly DvcOutput[];
  /** Names the pointer file in messages. */
  source: string;
  store: ObjectStore;
}

export const DEFAULT_PULL_JOBS = 16;
const DEFAULT_LARGE_OBJECT_BYTES = 64 << 20;
/** Ranged GETs in flight for one large object. */
const PART_JOBS = 4;

/** Pulls every cached out of a `.dvc` file or `dvc.lock` into the folder that holds it. */
export async function pullPointerFile(pointerPath: string, options: PullOptions): Promise<PullResult> {
  const outputs = await readDvcPointers(pointerPath);
  return pullOutputs(dirname(resolve(pointerPath)), outputs, pointerPath, options);
}

/** Pulls outputs already read; `root` is the folder their paths are relative to, `source` names them in messages. */
export async function pullOutputs(
  root: string,
  outputs: readonly DvcOutput[],
  source: string,
  options: PullOptions,
): Promise<PullResult> {
  const [result] = await pullSources([{ root, outputs, source, store: options.store }], options);
  return result;
}

/**
 * Pulls several pointer files as one: every one is planned (and the outputs of all checked not to
 * overlap) before anything is written, then their files move together. One result per source.
 */
export async function pullSources(sources: readonly PullSource[], options: PullRunOptions): Promise<PullResult[]> {
  const started = performance.now();
  const plans: TargetPlan[] = [];
  for (const { root, outputs, source, store } of sources) {
    plans.push(
      await planOutputs(root, outputs, source, {
        store,
        logger: options.logger,
        cacheDir: options.cacheDir,
        signal: options.signal,
      }),
    );
  }
  checkTargetsApart(plans);
  const jobs = options.jobs ?? DEFAULT_PULL_JOBS;
  const state = await WorkspaceState.load(options.cacheDir);
  if (!options.force)
    await checkNothingUnsaved(plans, { state, cacheDir: options.cacheDir, jobs, signal: options.signal });
  const results = await transferPlanned(plans, {
    logger: options.logger,
    jobs,
    cacheDir: options.cacheDir,
    state,
    onProgress: options.onProgress,
    signal: options.signal,
    largeObjectBytes: options.largeObjectBytes ?? DEFAULT_LARGE_OBJECT_BYTES,
    partBytes: options.partBytes,
    partJobs: PART_JOBS,
    started,
  });
  results.forEach((result, index) => {
    options.logger.debug(
      `pulled ${sources[index].source}: ${result.downloaded.files} downloaded, ${result.fromCache.files} from the cache, ${result.unchanged.files} unchanged`,
    );
  });
  return results;
}
