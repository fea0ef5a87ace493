import { resolve } from 'node:path';
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { formatBytes, formatRate } from '../../core/byte-size.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import { DEFAULT_PULL_JOBS, defaultCacheDir, planPull, pullPlan, type PullProgress } from '../../core/store/index.ts';
import { actionLogger, info, optionalInput } from '../shared/action-logger.ts';
import { parseEnumInput, parsePositiveIntInput } from '../shared/inputs.ts';
import { appendJobSummary } from '../shared/job-summary.ts';
import { renderPullSummary, type CacheOutcome, type RestoredCache } from './summary.ts';

/** Every prefix of this key restores the newest older cache: objects are content-addressed, so any old entry helps. */
const CACHE_KEY_PREFIX = 'cairn-dvc-';
const PROGRESS_LOG_MS = 10_000;

export async function run(): Promise<void> {
  const cwd = process.cwd();
  const targets = splitTargets(core.getInput('targets')) ?? ['dvc.lock'];
  const useCache = parseEnumInput('cache', ['true', 'false'] as const, 'false') === 'true';
  const force = parseEnumInput('force', ['true', 'false'] as const, 'false') === 'true';
  const jobs = parsePositiveIntInput('jobs', DEFAULT_PULL_JOBS);
  const cacheDirInput = optionalInput('cache-dir');
  const cacheDir = cacheDirInput
    ? resolve(cwd, cacheDirInput)
    : useCache
      ? defaultCacheDir(process.env, cwd)
      : undefined;
  if (cacheDir !== undefined)
    await checkOutputPaths([
      {
        path: cacheDir,
        option: cacheDirInput === undefined ? undefined : 'cache-dir:',
        shown: cacheDirInput ?? cacheDir,
        kind: 'folder',
      },
    ]);

  // Every pointer read and every remote chosen before the cache or the network is touched.
  const plan = await planPull(targets, { remote: optionalInput('remote'), remoteLabel: 'the `remote` input', cwd });
  const key = `${CACHE_KEY_PREFIX}${plan.manifestHash}`;
  let cacheOutcome: CacheOutcome = { state: 'off' };
  if (useCache && cacheDir) cacheOutcome = await restore(cacheDir, key);

  const result = await pullPlan(plan, {
    env: process.env,
    cwd,
    logger: actionLogger,
    jobs,
    cacheDir,
    onProgress: throttledLog(),
    force,
  });

  // An exact hit already holds everything this pull needed; a cache entry is immutable anyway.
  if (cacheDir && (cacheOutcome.state === 'miss' || cacheOutcome.state === 'partial'))
    cacheOutcome = await save(cacheDir, cacheOutcome);

  core.setOutput('paths', result.outputs.map((output) => output.path).join('\n'));
  core.setOutput('files', String(result.files));
  core.setOutput('bytes', String(result.bytes));
  core.setOutput('manifest-hash', result.manifestHash);
  const remotes = [...new Map(plan.targets.map((target) => [target.remote.uri, target.remote.source])).entries()].map(
    ([uri, source]) => ({ uri, source }),
  );
  await appendJobSummary(renderPullSummary({ result, cwd, remotes, cache: cacheOutcome }));
  info(
    `pulled ${result.files} files (${formatBytes(result.bytes)}): ${result.downloaded.files} downloaded (${formatBytes(result.downloaded.bytes)}), ` +
      `${result.fromCache.files} from the cache, ${result.unchanged.files} unchanged`,
  );
}

/** `a.dvc, b.dvc` or one per line, as workflows write lists. */
export function splitTargets(value: string): string[] | undefined {
  const items = value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

async function restore(cacheDir: string, key: string): Promise<CacheOutcome> {
  if (!cache.isFeatureAvailable()) {
    core.warning(
      'cache: true, but the Actions cache service is not available to this step (no ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL); pulling without it.',
    );
    return { state: 'unavailable' };
  }
  try {
    const restored = await cache.restoreCache([cacheDir], key, [CACHE_KEY_PREFIX]);
    if (restored === undefined) return { state: 'miss', key };
    return restored === key ? { state: 'hit', key } : { state: 'partial', key, restoredKey: restored };
  } catch (error) {
    core.warning(`could not restore the cache ${key}: ${(error as Error).message}; pulling without it.`);
    return { state: 'miss', key };
  }
}

async function save(cacheDir: string, restored: RestoredCache): Promise<RestoredCache> {
  try {
    const id = await cache.saveCache([cacheDir], restored.key);
    return id === -1 ? restored : { ...restored, saved: true };
  } catch (error) {
    // Another job saving the same key at the same time is not a problem: its entry serves the next run.
    const log = (error as Error).name === 'ReserveCacheError' ? info : core.warning;
    log(`could not save the cache ${restored.key}: ${(error as Error).message}`);
    return restored;
  }
}

/** Pulls of large data take minutes: a line every 10 s says how far along it is, without flooding the log. */
function throttledLog(): (progress: PullProgress) => void {
  let last = performance.now();
  return (progress) => {
    const now = performance.now();
    if (now - last < PROGRESS_LOG_MS || progress.filesDone >= progress.filesTotal) return;
    last = now;
    const total = progress.bytesTotal > 0 ? ` of ${formatBytes(progress.bytesTotal)}` : '';
    info(
      `${progress.filesDone}/${progress.filesTotal} files, ${formatBytes(progress.bytesDone)}${total}, ${formatRate(progress.bytesDownloaded, progress.elapsedMs)}`,
    );
  };
}
