/**
 * Model artifacts in the store, beside DVC's data: the bytes once per content under
 * `models/<name>/sha256/<xx>/<rest>`, and a small JSON pointer per version
 * (`models/<name>/versions/<version>.json`) and per stage (`models/<name>/stages/<stage>.json`,
 * written by deploys). A version is immutable: once its pointer exists, pushing other bytes under
 * it is refused, so a deploy of `churn v1.2.0` means the same bytes everywhere and forever.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import semver from 'semver';
import { sha256File } from '../data/index.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { modelPointerProblems, MODEL_POINTER_SCHEMA, type ModelPointer } from './model-pointer.schema.ts';
import { checkModelVersion, checkStageName, parseModelName, type ModelName } from './internal/model-names.ts';
import { verifiedFileBody } from './internal/push-transfer.ts';
import { PreconditionFailedError, type ObjectStore } from './store.ts';
import { tempPathFor } from './internal/temp-file.ts';
import { readJsonObject } from './internal/read-json-object.ts';

export type { ModelPointer } from './model-pointer.schema.ts';
export { parseModelName, checkModelVersion, checkStageName, type ModelName } from './internal/model-names.ts';

const SHA256 = /^[0-9a-f]{64}$/;

/** Where a model's bytes live: `models/<name>/sha256/<xx>/<rest>` (a monorepo `dir:name` as `dir=name`). */
export function modelObjectKey(name: string, sha256: string): string {
  if (!SHA256.test(sha256)) throw new UserError(`"${sha256}" is not a SHA-256: expected 64 lowercase hex digits.`);
  return `models/${parseModelName(name).keyName}/sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`;
}

/** The pointer of one version: `models/<name>/versions/<version>.json`. */
export function versionPointerKey(name: string, version: string): string {
  return `models/${parseModelName(name).keyName}/versions/${checkModelVersion(version)}.json`;
}

/** The pointer of the version a stage runs: `models/<name>/stages/<stage>.json` (written by deploys). */
export function stagePointerKey(name: string, stage: string): string {
  return `models/${parseModelName(name).keyName}/stages/${checkStageName(stage)}.json`;
}

export interface PushModelOptions {
  name: string;
  version: string;
  /** The model file. */
  file: string;
  logger: Logger;
  /** The pointer's `created_at` (tests pin it). */
  now?: Date;
  signal?: AbortSignal;
}

/**
 * Stores a model file as `name` `version`: the object is uploaded unless the store has it (HEAD, same
 * size), and the version pointer is written only if there is none (If-None-Match). Pushing the same
 * bytes again is a no-op; other bytes for an existing version are refused. `uploaded` says whether
 * the model's bytes went up in this call.
 */
export async function pushModelArtifact(
  store: ObjectStore,
  options: PushModelOptions,
): Promise<{ pointer: ModelPointer; uploaded: boolean }> {
  const { logger } = options;
  const model = parseModelName(options.name);
  const version = checkModelVersion(options.version);
  const sha256 = await sha256File(options.file);
  const { size } = await stat(options.file);

  const existing = await findPointer(store, model, version);
  if (existing) return samePushAgain(store, existing, sha256, logger);

  const key = modelObjectKey(model.name, sha256);
  const uploaded = await uploadModelBytes(store, { key, file: options.file, sha256, size, signal: options.signal });

  const pointer: ModelPointer = {
    schema: MODEL_POINTER_SCHEMA,
    name: model.name,
    version,
    sha256,
    size,
    key,
    filename: basename(options.file),
    created_at: (options.now ?? new Date()).toISOString(),
  };
  const pointerKey = versionPointerKey(model.name, version);
  try {
    await store.put(pointerKey, Buffer.from(`${JSON.stringify(pointer, null, 2)}\n`), {
      ifNoneMatch: '*',
      contentType: 'application/json',
      signal: options.signal,
    });
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
    // Another push of this version won the race; it stands, and ours is fine only if it is the same.
    return samePushAgain(store, await readModelPointer(store, model.name, version), sha256, logger, uploaded);
  }
  logger.info(
    `pushed ${model.name} ${version} (${size} bytes, sha256 ${sha256.slice(0, 12)}...) to ${store.uriOf(pointerKey)}${uploaded ? '' : '; its bytes were already there'}`,
  );
  return { pointer, uploaded };
}

/**
 * Stores a model's bytes under `models/<name>/sha256/...` with no version pointer (a training run's
 * output: registration makes versions). The bytes go up unless the store has them.
 */
export async function pushModelObject(
  store: ObjectStore,
  options: { name: string; file: string; signal?: AbortSignal },
): Promise<{ key: string; sha256: string; size: number; uploaded: boolean }> {
  const sha256 = await sha256File(options.file);
  const { size } = await stat(options.file);
  const key = modelObjectKey(parseModelName(options.name).name, sha256);
  const uploaded = await uploadModelBytes(store, { key, file: options.file, sha256, size, signal: options.signal });
  return { key, sha256, size, uploaded };
}

/** Uploads the file to `key` unless an object of its size is there; the bytes are checked as they go. */
async function uploadModelBytes(
  store: ObjectStore,
  options: { key: string; file: string; sha256: string; size: number; signal?: AbortSignal },
): Promise<boolean> {
  const { key, file, sha256, size, signal } = options;
  const present = await store.head(key);
  if (present?.size === size) return false;
  const hash = createHash('sha256');
  let seen = 0;
  const body = verifiedFileBody(
    file,
    {
      update(chunk) {
        hash.update(chunk);
        seen += chunk.length;
      },
      end() {
        if (seen !== size || hash.digest('hex') !== sha256) {
          throw new UserError(
            `${file} changed while it was being pushed; nothing was stored. Push again once nothing writes to it.`,
          );
        }
      },
    },
    signal,
  );
  await store.put(key, body, { size, signal });
  return true;
}

/** The pointer of `name` `version`, checked; a missing one is a UserError naming the version. */
export async function readModelPointer(store: ObjectStore, name: string, version: string): Promise<ModelPointer> {
  const model = parseModelName(name);
  const pointer = await findPointer(store, model, checkModelVersion(version));
  if (!pointer) {
    throw new UserError(
      `model ${model.name} has no version ${version} in ${store.uri} (${store.uriOf(versionPointerKey(model.name, version))} does not exist). Check the name, version and remote, or push it first.`,
    );
  }
  return pointer;
}

export interface PullModelOptions {
  name: string;
  version: string;
  /** A file path, or an existing folder to write the file into under its pushed name. */
  dest: string;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Downloads a model version to `dest`, through a temp file beside it that takes the name only once
 * its SHA-256 and size match the pointer; on any failure `dest` is left as it was.
 */
export async function pullModelArtifact(
  store: ObjectStore,
  options: PullModelOptions,
): Promise<{ pointer: ModelPointer; path: string }> {
  const pointer = await readModelPointer(store, options.name, options.version);
  const path = (await isFolder(options.dest)) ? join(options.dest, pointer.filename) : resolve(options.dest);
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  const hash = createHash('sha256');
  let size = 0;
  try {
    const body = await store.get(pointer.key, { signal: options.signal });
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(temp, { flags: 'wx' }),
      { signal: options.signal },
    );
    const sha256 = hash.digest('hex');
    if (sha256 !== pointer.sha256 || size !== pointer.size) {
      throw new UserError(
        `${store.uriOf(pointer.key)} is corrupt: ${size} bytes with sha256 ${sha256}, where ${pointer.name} ${pointer.version} has ${pointer.size} bytes with sha256 ${pointer.sha256}. ` +
          `Nothing was written to ${path}. Delete that object and push the version again from the original file.`,
      );
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  options.logger.info(`pulled ${pointer.name} ${pointer.version} (${pointer.size} bytes) to ${path}`);
  return { pointer, path };
}

/** The version's pointer, or undefined when it has none; one that is there but invalid is a UserError. */
async function findPointer(store: ObjectStore, model: ModelName, version: string): Promise<ModelPointer | undefined> {
  const read = await readJsonObject(store, versionPointerKey(model.name, version), 'a model pointer');
  if (!read) return undefined;
  const { value, where } = read;
  const problems = modelPointerProblems(value);
  if (problems.length > 0)
    throw new UserError(`${where} is not a valid ${MODEL_POINTER_SCHEMA} pointer: ${problems.join('; ')}.`);
  const pointer = value as ModelPointer;
  // A pointer copied to another name or version, or naming an object elsewhere, would hand out other bytes than asked for.
  if (
    pointer.name !== model.name ||
    pointer.version !== version ||
    pointer.key !== modelObjectKey(model.name, pointer.sha256)
  ) {
    throw new UserError(
      `${where} names ${pointer.name} ${pointer.version} at ${pointer.key}, not ${model.name} ${version} at ${modelObjectKey(model.name, pointer.sha256)}. ` +
        'It was not written by cairn push for this version; remove it and push the version again.',
    );
  }
  return pointer;
}

/** Pushing a version again: fine with the same bytes, refused with others. */
function samePushAgain(
  store: ObjectStore,
  existing: ModelPointer,
  sha256: string,
  logger: Logger,
  uploaded = false,
): { pointer: ModelPointer; uploaded: boolean } {
  if (existing.sha256 !== sha256) {
    const next = semver.inc(existing.version.slice(1), 'patch');
    throw new UserError(
      `${existing.name} ${existing.version} is already in ${store.uri} with other bytes (sha256 ${existing.sha256}, this file has ${sha256}). ` +
        `Versions never change once pushed; push this file as a new version${next ? ` (e.g. v${next})` : ''}.`,
    );
  }
  logger.info(`${existing.name} ${existing.version} is already in ${store.uri} with these bytes; nothing to do.`);
  return { pointer: existing, uploaded };
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
