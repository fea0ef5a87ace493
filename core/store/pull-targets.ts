/**
 * `cairn pull` and the data-pull action over several pointer files: every target is read, its
 * remote chosen and its outputs checked against the others' before anything is downloaded (a typo
 * in the third target fails before the first is pulled), then the targets are planned and pulled
 * together (pullSources) and their results added up.
 */
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { isDvcPointerPath, readDvcPointers } from './internal/dvc/read-dvc-pointers.ts';
import type { DvcOutput } from './internal/dvc/types.ts';
import { openStore } from './open-store.ts';
import {
  DEFAULT_PULL_JOBS,
  manifestHashOf,
  pulledOutputs,
  pullSources,
  type PullProgress,
  type PullResult,
} from './pull.ts';
import { checkOutputsApart } from './internal/pull-plan.ts';
import { resolveRemote, type ResolvedRemote } from './resolve-remote.ts';
import type { ObjectStore } from './store.ts';

export interface PullTarget {
  /** Absolute path of the .dvc file or dvc.lock. */
  pointerPath: string;
  /** The outputs it names that live in a remote (cached outs). */
  outputs: DvcOutput[];
  remote: ResolvedRemote;
}

export interface PullPlan {
  targets: PullTarget[];
  /**
   * manifestHashOf every target's outputs (paths as their pointer files write them): known before
   * any download, so the data-pull action keys its cache with it. For one target it is the
   * engine's own PullResult.manifestHash.
   */
  manifestHash: string;
}

export interface PlanPullOptions {
  /** The remote the user named (a URI, a folder, or a DVC remote's name); else each target's DVC default. */
  remote?: string;
  /** How the front door names the remote option, for messages. */
  remoteLabel: string;
  /** Relative targets and remotes are relative to this folder. */
  cwd: string;
}

/**
 * Reads every target and chooses its remote. A target may name the tracked path instead of its
 * pointer (`data` for `data.dvc`), as `dvc pull data` allows.
 */
export async function planPull(targets: readonly string[], options: PlanPullOptions): Promise<PullPlan> {
  if (targets.length === 0) throw new UserError('nothing to pull: name a .dvc file or a dvc.lock.');
  const planned: PullTarget[] = [];
  for (const target of targets) {
    const pointerPath = await pointerFileFor(resolve(options.cwd, target));
    if (planned.some((other) => other.pointerPath === pointerPath)) continue; // `data` and `data.dvc` name one pointer
    const outputs = pulledOutputs(await readDvcPointers(pointerPath));
    const remote = await resolveRemote({
      remote: options.remote,
      label: options.remoteLabel,
      from: dirname(pointerPath),
      cwd: options.cwd,
    });
    await checkRemoteExists(remote);
    planned.push({ pointerPath, outputs, remote });
  }
  // Checked again once paths are resolved; here it fails before the cache or the network is touched.
  checkOutputsApart(
    planned.flatMap(({ pointerPath, outputs }) =>
      outputs.map((output) => ({
        path: join(dirname(pointerPath), ...output.path.split('/')),
        shown: output.path,
        source: pointerPath,
      })),
    ),
  );
  return { targets: planned, manifestHash: manifestHashOf(planned.flatMap((target) => target.outputs)) };
}

async function pointerFileFor(path: string): Promise<string> {
  if (isDvcPointerPath(path)) return path;
  const sibling = `${path}.dvc`;
  if (
    await stat(sibling).then(
      (info) => info.isFile(),
      () => false,
    )
  )
    return sibling;
  // readDvcPointers names the problem (not a pointer file, a folder, missing).
  return path;
}

export interface PullPlanOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  logger: Logger;
  jobs?: number;
  cacheDir?: string;
  /** Progress over all targets together: the totals are known from the start. */
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
  /** Replace workspace files the user changed (see PullRunOptions.force). */
  force?: boolean;
}

/** Pulls a plan; the result adds up the targets' results and carries the plan's manifest hash. */
export async function pullPlan(plan: PullPlan, options: PullPlanOptions): Promise<PullResult> {
  const started = performance.now();
  const stores = new Map<string, ObjectStore>();
  try {
    const sources = plan.targets.map((target) => {
      const key = `${target.remote.uri}\n${target.remote.endpoint ?? ''}`;
      let store = stores.get(key);
      if (!store) {
        store = openStore(target.remote.uri, {
          env: options.env,
          logger: options.logger,
          cwd: options.cwd,
          endpoint: target.remote.endpoint,
          maxSockets: Math.max(64, options.jobs ?? DEFAULT_PULL_JOBS),
        });
        stores.set(key, store);
      }
      options.logger.debug(`pulling ${target.pointerPath} from ${store.uri} (${target.remote.source})`);
      return { root: dirname(target.pointerPath), outputs: target.outputs, source: target.pointerPath, store };
    });
    const results = await pullSources(sources, {
      logger: options.logger,
      jobs: options.jobs,
      cacheDir: options.cacheDir,
      signal: options.signal,
      onProgress: options.onProgress,
      force: options.force,
    });
    return mergeResults(results, plan.manifestHash, performance.now() - started);
  } finally {
    for (const store of stores.values()) store.close();
  }
}

function mergeResults(results: PullResult[], manifestHash: string, elapsedMs: number): PullResult {
  const sum = (pick: (result: PullResult) => { files: number; bytes: number }) => ({
    files: results.reduce((total, result) => total + pick(result).files, 0),
    bytes: results.reduce((total, result) => total + pick(result).bytes, 0),
  });
  const totals = sum((result) => result);
  return {
    outputs: results.flatMap((result) => result.outputs),
    files: totals.files,
    bytes: totals.bytes,
    downloaded: sum((result) => result.downloaded),
    fromCache: sum((result) => result.fromCache),
    unchanged: sum((result) => result.unchanged),
    manifestHash,
    elapsedMs,
  };
}

/**
 * A file remote that is not there is a typo or the wrong machine; say so once, rather than
 * reporting every object as missing.
 */
async function checkRemoteExists(remote: ResolvedRemote): Promise<void> {
  if (remote.location.kind !== 'file') return;
  const root = remote.location.root;
  if (
    await stat(root).then(
      (info) => info.isDirectory(),
      () => false,
    )
  )
    return;
  throw new UserError(
    `the remote ${remote.uri} (${remote.source}) is not a folder on this machine (${root}). ` +
      `Pass s3://bucket/prefix, an existing folder, or the name of a remote in .dvc/config.`,
  );
}
