/**
 * The first half of a pull: everything that could refuse it, settled before the first byte is
 * written or the first file is downloaded. Each target's outputs are read, their paths checked (git's
 * verify_path rules, no link or file in the way), folder manifests fetched (from the cache, else the
 * remote) and checked the same way, every object key checked with the store (a file store refuses
 * a link out of its folder), and the outputs of every target checked not to overlap, as DVC refuses
 * overlapping outputs. pull-transfer.ts then moves the files.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../../atomic-write.ts';
import { isUserError, UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { parseDirManifest } from './dvc/dir-manifest.ts';
import { layoutForHashKind, objectKey } from './dvc/object-key.ts';
import { resolveSafeTargets } from './dvc/safe-target.ts';
import type { DirManifestEntry, DvcOutput } from './dvc/types.ts';
import type { FileJob } from './pull-file.ts';
import type { ObjectStore } from '../store.ts';

/** One output of a target: where it goes, and a job per file (one for a file, one per manifest entry for a folder). */
export interface OutputPlan {
  output: DvcOutput;
  /** Absolute path in the workspace. */
  target: string;
  jobs: FileJob[];
}

/** One pointer file's outputs, planned against the remote it is pulled from. */
export interface TargetPlan {
  /** How messages name the pointer file. */
  source: string;
  store: ObjectStore;
  /** The cached outputs it names, as the pointer writes them (for the manifest hash). */
  wanted: DvcOutput[];
  outputs: OutputPlan[];
}

export interface PlanOptions {
  store: ObjectStore;
  logger: Logger;
  cacheDir?: string;
  signal?: AbortSignal;
}

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
      throw new UserError(
        `${other.origin} and ${output.origin} name ${output.path} twice, with different contents. Keep one of them.`,
      );
    }
    byPath.set(output.path, output);
  }
  return [...byPath.values()];
}

/** Plans the outputs of one pointer file; `root` is the folder their paths are relative to, `source` names them in messages. */
export async function planOutputs(
  root: string,
  outputs: readonly DvcOutput[],
  source: string,
  options: PlanOptions,
): Promise<TargetPlan> {
  const cancelled = () => cancelledError(source);
  if (options.signal?.aborted) throw cancelled();
  const wanted = pulledOutputs(outputs);
  const base = resolve(root);
  const targets = await resolveSafeTargets(
    base,
    wanted.map((output) => output.path),
    source,
  );
  checkOutputsApart(wanted.map((output, index) => ({ path: targets[index], shown: output.path, source })));
  const { store } = options;

  const planned: OutputPlan[] = [];
  for (const [index, output] of wanted.entries()) {
    const target = targets[index];
    const layout = layoutForHashKind(output.hashKind);
    if (!output.isDir) {
      const job: FileJob = {
        target,
        display: output.path,
        md5: output.md5,
        kind: output.hashKind,
        key: objectKey(output.md5, layout),
        size: output.size,
        isexec: output.isexec,
      };
      planned.push({ output, target, jobs: [job] });
      continue;
    }
    const where = `${source}: ${output.path} (${output.md5})`;
    const entries = await loadManifest(output, options, where).catch((error: unknown) => {
      if (options.signal?.aborted) throw cancelled();
      if (isUserError(error)) throw error;
      // A remote that kept failing (retries spent) is something the user can act on: say which manifest, and that nothing was written.
      const reason = reasonOf(error, store.uriOf(objectKey(output.md5, layout)));
      throw new UserError(
        `could not fetch the folder manifest of ${where}: ${reason}. Nothing was written; run the pull again.`,
        { cause: error },
      );
    });
    const paths = await resolveSafeTargets(
      base,
      entries.map((entry) => `${output.path}/${entry.relpath}`),
      where,
    );
    const jobs = entries.map((entry, at): FileJob => ({
      target: paths[at],
      display: `${output.path}/${entry.relpath}`,
      md5: entry.md5,
      kind: output.hashKind,
      key: objectKey(entry.md5, layout),
    }));
    planned.push({ output, target, jobs });
  }
  if (store.checkKey)
    for (const key of new Set(planned.flatMap((output) => output.jobs.map((job) => job.key))))
      await store.checkKey(key);
  return { source, store, wanted, outputs: planned };
}

/** The outputs of several targets pulled together must not overlap either: each file has one source. */
export function checkTargetsApart(targets: readonly TargetPlan[]): void {
  checkOutputsApart(
    targets.flatMap((plan) =>
      plan.outputs.map((output) => ({ path: output.target, shown: output.output.path, source: plan.source })),
    ),
  );
}

export function cancelledError(source: string): UserError {
  return new UserError(`the pull of ${source} was cancelled; run it again to finish.`);
}

/** The failure's message, naming the object once and without a closing period (the caller goes on). */
export function reasonOf(error: unknown, uri: string): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\.+$/, '');
  return message.includes(uri) ? message : `${uri}: ${message}`;
}

export interface PlacedOutput {
  /** Absolute. */
  path: string;
  /** As its pointer writes it. */
  shown: string;
  source: string;
}

/**
 * Two outputs where one holds the other (or both name one path) would be written twice, from two
 * ids; DVC refuses them (OverlappingOutputPathsError, OutputDuplicationError). Sorted with the
 * separator first, an output is followed by everything inside it, so comparing neighbours finds any
 * overlap (`data`, `data/x`, `data-2`: a plain sort would put `data-2` between the two).
 */
export function checkOutputsApart(outputs: readonly PlacedOutput[]): void {
  const key = (output: PlacedOutput) => output.path.split(sep).join('\0');
  const sorted = [...outputs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  for (let index = 1; index < sorted.length; index++) {
    const [outer, inner] = [sorted[index - 1], sorted[index]];
    const same = outer.path === inner.path;
    if (!same && !inner.path.startsWith(`${outer.path}${sep}`)) continue;
    const names = (output: PlacedOutput) => `${output.shown} (${output.source})`;
    throw new UserError(
      same
        ? `the outputs ${names(outer)} and ${names(inner)} are the same path. Pull one of the pointer files, or keep the output in one of them. Nothing was written.`
        : `the outputs ${names(outer)} and ${names(inner)} overlap: the second is inside the first. Track the folder or the file, not both (DVC refuses these too). Nothing was written.`,
    );
  }
}

/** A folder's manifest: from the cache when it holds a good copy, else from the remote (verified, then cached). */
async function loadManifest(output: DvcOutput, options: PlanOptions, where: string): Promise<DirManifestEntry[]> {
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
      if (cached !== undefined)
        await writeFileAtomic(cached, bytes).catch((error: Error) =>
          options.logger.warn(`could not cache ${cached}: ${error.message}`),
        );
      return entries;
    }
    const message = `the folder manifest of ${where} at ${options.store.uriOf(key)} does not match its id`;
    if (attempt >= 2)
      throw new UserError(
        `${message}, twice. The remote object is damaged or was overwritten; push the folder again. Nothing was written.`,
      );
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
