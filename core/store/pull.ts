/**
 * `cairn pull`: puts the data a `.dvc` file or `dvc.lock` names into the workspace, from a remote in
 * DVC's layout. Everything that could refuse the pull (manifests, unsafe paths) is settled before
 * the first file is written; then files move in parallel, each verified before it takes its name.
 */
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { writeFileAtomic } from '../atomic-write.ts';
import { isUserError, UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { parseDirManifest } from './dvc/dir-manifest.ts';
import { layoutForHashKind, objectKey } from './dvc/object-key.ts';
import { readDvcPointers } from './dvc/read-dvc-pointers.ts';
import { resolveSafeTargets } from './dvc/safe-target.ts';
import type { DirManifestEntry, DvcOutput } from './dvc/types.ts';
import { pullFile, type FileJob, type FileOutcome, type TransferContext } from './pull-file.ts';
import { WorkspaceState } from './pull-state.ts';
import type { ObjectStore } from './store.ts';
import { removeStaleTempFiles } from './temp-file.ts';

export interface PullProgress {
  /** Files in place so far: downloaded, copied from the cache, or already there. */
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  /** From the pointer files' sizes; 0 when they do not say. */
  bytesTotal: number;
  /** Bytes read from the remote in this run. */
  bytesDownloaded: number;
  elapsedMs: number;
}

export interface PullOptions {
  /** The remote. */
  store: ObjectStore;
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
}

export interface PulledOutput {
  /** Absolute path in the workspace. */
  path: string;
  /** As the pointer file writes it, relative to its folder. */
  relpath: string;
  /** Object id: `<md5>`, or `<md5>.dir` for a folder. */
  md5: string;
  isDir: boolean;
  files: number;
  bytes: number;
}

export interface TransferCount {
  files: number;
  bytes: number;
}

export interface PullResult {
  outputs: PulledOutput[];
  /** Totals in the workspace. */
  files: number;
  bytes: number;
  downloaded: TransferCount;
  fromCache: TransferCount;
  unchanged: TransferCount;
  /** For lineage and cache keys; see manifestHashOf. */
  manifestHash: string;
  elapsedMs: number;
}

export const DEFAULT_PULL_JOBS = 16;
const DEFAULT_LARGE_OBJECT_BYTES = 64 << 20;
/** Ranged GETs in flight for one large object. */
const PART_JOBS = 4;

/**
 * sha256 (hex) of the lines `<md5> <path>\n` of the outputs, sorted: what the data is, known before
 * anything is downloaded (a `.dvc` names its folder's manifest id), so it can key a cache.
 */
export function manifestHashOf(outputs: ReadonlyArray<Pick<DvcOutput, 'md5' | 'path'>>): string {
  const lines = outputs.map((output) => `${output.md5} ${output.path}\n`).sort();
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** The outputs a pull fetches: cached outs (deps and `cache: false` outs are not in the remote). */
export function pulledOutputs(outputs: readonly DvcOutput[]): DvcOutput[] {
  const byPath = new Map<string, DvcOutput>();
  for (const output of outputs) {
    if (output.role !== 'out' || !output.cache) continue;
    const other = byPath.get(output.path);
    if (other && other.md5 !== output.md5) {
      throw new UserError(`${other.origin} and ${output.origin} name ${output.path} twice, with different contents. Keep one of them.`);
    }
    byPath.set(output.path, output);
  }
  return [...byPath.values()];
}

/** Pulls every cached out of a `.dvc` file or `dvc.lock` into the folder that holds it. */
export async function pullPointerFile(pointerPath: string, options: PullOptions): Promise<PullResult> {
  const outputs = await readDvcPointers(pointerPath);
  return pullOutputs(dirname(resolve(pointerPath)), outputs, pointerPath, options);
}

/** Pulls outputs already read; `root` is the folder their paths are relative to, `source` names them in messages. */
export async function pullOutputs(root: string, outputs: readonly DvcOutput[], source: string, options: PullOptions): Promise<PullResult> {
  const started = performance.now();
  const cancelled = () => new UserError(`the pull of ${source} was cancelled; run it again to finish.`);
  if (options.signal?.aborted) throw cancelled();
  const wanted = pulledOutputs(outputs);
  checkNoOverlap(wanted, source);
  const base = resolve(root);
  const targets = await resolveSafeTargets(base, wanted.map((output) => output.path), source);
  const { store, logger } = options;

  // 1. Every manifest, and every path checked, before anything is written.
  const planned: Array<{ output: DvcOutput; target: string; jobs: FileJob[] }> = [];
  for (const [index, output] of wanted.entries()) {
    const target = targets[index];
    const layout = layoutForHashKind(output.hashKind);
    if (!output.isDir) {
      const job: FileJob = { target, display: output.path, md5: output.md5, kind: output.hashKind, key: objectKey(output.md5, layout), size: output.size, isexec: output.isexec };
      planned.push({ output, target, jobs: [job] });
      continue;
    }
    const where = `${source}: ${output.path} (${output.md5})`;
    const entries = await loadManifest(output, options, where).catch((error: unknown) => {
      if (options.signal?.aborted) throw cancelled();
      if (isUserError(error)) throw error;
      // A remote that kept failing (retries spent) is something the user can act on: say which manifest, and that nothing was written.
      const reason = reasonOf(error, store.uriOf(objectKey(output.md5, layout)));
      throw new UserError(`could not fetch the folder manifest of ${where}: ${reason}. Nothing was written; run the pull again.`, { cause: error });
    });
    const paths = await resolveSafeTargets(base, entries.map((entry) => `${output.path}/${entry.relpath}`), where);
    const jobs = entries.map((entry, at): FileJob => ({ target: paths[at], display: `${output.path}/${entry.relpath}`, md5: entry.md5, kind: output.hashKind, key: objectKey(entry.md5, layout) }));
    planned.push({ output, target, jobs });
  }
  const allJobs = planned.flatMap((plan) => plan.jobs);

  // 2. Folders made, leftovers of killed runs cleared.
  for (const plan of planned) if (plan.output.isDir) await mkdir(plan.target, { recursive: true });
  const present = new Set<string>(); // paths already in the workspace; the rest need no stat
  for (const folder of new Set(allJobs.map((job) => dirname(job.target)))) {
    await mkdir(folder, { recursive: true });
    for (const name of await removeStaleTempFiles(folder)) present.add(join(folder, name));
  }

  // 3. Files, in parallel; the first failure stops the rest, and each cleans up its own temp file.
  const state = await WorkspaceState.load(options.cacheDir);
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // every transfer in flight listens to it (read streams, ranged GETs)
  const stopOnRequest = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stopOnRequest, { once: true });
  const progress: PullProgress = {
    filesDone: 0,
    filesTotal: allJobs.length,
    bytesDone: 0,
    bytesTotal: wanted.reduce((sum, output) => sum + (output.size ?? 0), 0),
    bytesDownloaded: 0,
    elapsedMs: 0,
  };
  const report = () => options.onProgress?.({ ...progress, elapsedMs: performance.now() - started });
  const counts: Record<FileOutcome, TransferCount> = { unchanged: { files: 0, bytes: 0 }, cache: { files: 0, bytes: 0 }, downloaded: { files: 0, bytes: 0 } };
  const bytesOf = new Map<FileJob, number>();
  const context: TransferContext = {
    store,
    logger,
    cacheDir: options.cacheDir,
    state,
    mayExist: (path) => present.has(path),
    cacheFolders: new Set(),
    signal: abort.signal,
    largeObjectBytes: options.largeObjectBytes ?? DEFAULT_LARGE_OBJECT_BYTES,
    partBytes: options.partBytes,
    partJobs: PART_JOBS,
    onBytes: (count) => {
      progress.bytesDownloaded += count;
      report();
    },
  };
  const limit = pLimit(options.jobs ?? DEFAULT_PULL_JOBS);
  let failure: unknown;
  await Promise.all(
    allJobs.map((job) =>
      limit(async () => {
        if (abort.signal.aborted) return;
        try {
          const { outcome, bytes } = await pullFile(job, context);
          counts[outcome].files++;
          counts[outcome].bytes += bytes;
          bytesOf.set(job, bytes);
          progress.filesDone++;
          progress.bytesDone += bytes;
          report();
        } catch (error) {
          if (failure === undefined && !abort.signal.aborted) {
            // A cancel from the caller aborts the transfers; report it as such, not as the first transfer it cut.
            failure = describeFailure(error, job, store);
            abort.abort(failure);
          }
        }
      }),
    ),
  );
  options.signal?.removeEventListener('abort', stopOnRequest);
  await state.save(); // what was verified stays known, so a rerun resumes without hashing it again
  if (failure === undefined && options.signal?.aborted) failure = cancelled();
  if (failure !== undefined) throw failure;

  const outputsDone = planned.map(({ output, target, jobs }): PulledOutput => ({
    path: target,
    relpath: output.path,
    md5: output.md5,
    isDir: output.isDir,
    files: jobs.length,
    bytes: jobs.reduce((sum, job) => sum + (bytesOf.get(job) ?? 0), 0),
  }));
  const elapsedMs = performance.now() - started;
  const result: PullResult = {
    outputs: outputsDone,
    files: allJobs.length,
    bytes: progress.bytesDone,
    downloaded: counts.downloaded,
    fromCache: counts.cache,
    unchanged: counts.unchanged,
    manifestHash: manifestHashOf(wanted),
    elapsedMs,
  };
  logger.debug(`pulled ${source}: ${result.downloaded.files} downloaded, ${result.fromCache.files} from the cache, ${result.unchanged.files} unchanged`);
  return result;
}

/** A folder's manifest: from the cache when it holds a good copy, else from the remote (verified, then cached). */
async function loadManifest(output: DvcOutput, options: PullOptions, where: string): Promise<DirManifestEntry[]> {
  const key = objectKey(output.md5, layoutForHashKind(output.hashKind));
  const cached = options.cacheDir === undefined ? undefined : join(options.cacheDir, ...key.split('/'));
  if (cached !== undefined) {
    const bytes = await readFile(cached).catch(() => undefined);
    if (bytes !== undefined && md5Hex(bytes) === manifestMd5(output)) return parseDirManifest(bytes, where);
  }
  for (let attempt = 1; ; attempt++) {
    const bytes = await readAll(await options.store.get(key, { signal: options.signal }));
    if (md5Hex(bytes) === manifestMd5(output)) {
      const entries = parseDirManifest(bytes, where);
      if (cached !== undefined) await writeFileAtomic(cached, bytes).catch((error: Error) => options.logger.warn(`could not cache ${cached}: ${error.message}`));
      return entries;
    }
    const message = `the folder manifest of ${where} at ${options.store.uriOf(key)} does not match its id`;
    if (attempt >= 2) throw new UserError(`${message}, twice. The remote object is damaged or was overwritten; push the folder again. Nothing was written.`);
    options.logger.warn(`${message}; downloading it again.`);
  }
}

function manifestMd5(output: DvcOutput): string {
  return output.md5.slice(0, -'.dir'.length);
}

function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Two outputs where one holds the other would be written twice; DVC refuses such pointers too. */
function checkNoOverlap(outputs: readonly DvcOutput[], source: string): void {
  const paths = outputs.map((output) => output.path).sort();
  for (let index = 1; index < paths.length; index++) {
    if (paths[index].startsWith(`${paths[index - 1]}/`)) {
      throw new UserError(`${source} names ${paths[index - 1]} and ${paths[index]}, which is inside it. Track the folder or the file, not both.`);
    }
  }
}

/** Names the file in any failure; a remote that kept failing after retries says so and how to go on. */
function describeFailure(error: unknown, job: FileJob, store: ObjectStore): unknown {
  if (isUserError(error)) return error;
  return new UserError(`could not pull ${job.display}: ${reasonOf(error, store.uriOf(job.key))}. Files already verified stay in place; run the pull again to resume.`, {
    cause: error,
  });
}

/** The failure's message, naming the object once and without a closing period (the caller goes on). */
function reasonOf(error: unknown, uri: string): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\.+$/, '');
  return message.includes(uri) ? message : `${uri}: ${message}`;
}
