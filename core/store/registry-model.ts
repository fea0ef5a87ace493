/**
 * A model named by the registry (`churn#production`, `churn@v1.2.0`) as a verified local file: the
 * stage's holder (or the version) from the registry's tags, its bytes through the store's version
 * pointer, and the training record stored beside those bytes by `cairn train` / actions/train. The
 * retraining workflow starts here: the production model is the champion, and its training data (the
 * record's `data` md5s, pulled by training-data.ts) is the reference for drift.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../data/index.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { TrainingRecord } from '../metrics/index.ts';
import {
  checkModelName,
  checkStageName,
  checkVersion,
  findModel,
  isVersion,
  readAnnotatedTags,
  registryState,
  resolveVersion,
  type GitOptions,
} from '../registry/index.ts';
import { pullModelArtifact, readModelPointer } from './model-artifacts.ts';
import type { ObjectStore } from './store.ts';
import { readJsonObject } from './internal/read-json-object.ts';

/** `name#stage` or `name@vX.Y.Z`, parsed. */
export type ModelReference =
  { name: string; stage: string; version?: undefined } | { name: string; version: string; stage?: undefined };

/** A registry version as the store knows it: its bytes' key and digest, and its training record. */
export interface RegistryVersion {
  name: string;
  version: string;
  /** The stage it was resolved through, when named by one. */
  stage?: string;
  sha256: string;
  /** The key of the model's bytes in the store (`models/<name>/sha256/<xx>/<rest>`). */
  objectKey: string;
  /** The record `cairn train` stored beside the bytes; absent when the model was not trained by Cairn. */
  trainingRecord?: TrainingRecord;
}

export interface RegistryModel extends RegistryVersion {
  /** The verified local copy of the bytes. */
  file: string;
}

export interface LookupRegistryModelOptions {
  /** The git repository whose tags are the registry. */
  repoDir: string;
  store: ObjectStore;
  git?: GitOptions;
}

export interface ResolveRegistryModelOptions extends LookupRegistryModelOptions {
  /** Bytes are kept under `<cacheDir>/<objectKey>/<file name>`: content-addressed, reused once verified. */
  cacheDir: string;
  logger: Logger;
  signal?: AbortSignal;
}

/** Where a trained model's record is: beside its bytes, keyed by the same sha256. */
export function trainingRecordKey(objectKey: string): string {
  return `${objectKey}.training.json`;
}

/**
 * `name#stage` or `name@vX.Y.Z` (the name in the registry's grammar, `dir:name` for a monorepo
 * model); undefined for anything else, such as a file path. A malformed stage or version after a
 * valid-looking name is a UserError.
 */
export function parseModelReference(text: string): ModelReference | undefined {
  const match = /^([^#@\s]+)([#@])([^#@\s]+)$/.exec(text);
  if (!match) return undefined;
  const [, name, separator, rest] = match;
  try {
    checkModelName(name!);
  } catch {
    return undefined;
  }
  if (separator === '#') return { name: name!, stage: checkStageName(rest!) };
  return { name: name!, version: checkVersion(rest!) };
}

export function formatModelReference(reference: ModelReference): string {
  return reference.stage !== undefined
    ? `${reference.name}#${reference.stage}`
    : `${reference.name}@${reference.version}`;
}

/** The version `reference` names in the registry, its bytes in `cacheDir` (verified by sha256) and its training record. */
export async function resolveRegistryModel(
  reference: ModelReference,
  options: ResolveRegistryModelOptions,
): Promise<RegistryModel> {
  const { store, logger } = options;
  const found = await lookupRegistryModel(reference, options);
  const pointer = await readModelPointer(store, found.name, found.version);
  const file = join(options.cacheDir, ...pointer.key.split('/'), pointer.filename);
  if ((await exists(file)) && (await sha256File(file)) === pointer.sha256) {
    logger.info(`${formatModelReference(reference)}: ${found.name} ${found.version}, verified in the cache (${file})`);
  } else {
    await pullModelArtifact(store, {
      name: found.name,
      version: found.version,
      dest: file,
      logger,
      signal: options.signal,
    });
  }
  return { ...found, file };
}

/**
 * The version `reference` names: the stage's holder (or the version itself) in the registry's tags,
 * its version pointer in the store, and the training record beside its bytes; the bytes stay there.
 */
export async function lookupRegistryModel(
  reference: ModelReference,
  options: LookupRegistryModelOptions,
): Promise<RegistryVersion> {
  const { store } = options;
  const state = registryState(await readAnnotatedTags(options.repoDir, options.git));
  const shown = formatModelReference(reference);
  const model = findModel(state, reference.name);
  let version: string;
  if (reference.stage !== undefined) {
    const holder = Object.hasOwn(model.stages, reference.stage) ? model.stages[reference.stage] : undefined;
    if (!holder) {
      const held = Object.keys(model.stages);
      throw new UserError(
        `no version of ${model.name} holds the stage "${reference.stage}" in ${options.repoDir}` +
          (held.length > 0 ? `; stages held: ${held.join(', ')}.` : '; none of its versions holds a stage.') +
          ` Assign one first (cairn registry assign ${model.name} ${reference.stage} --version vX.Y.Z), or name a version: ${model.name}@vX.Y.Z.`,
      );
    }
    if (!isVersion(holder.version))
      throw new UserError(
        `${shown} is held by commit ${holder.sha.slice(0, 7)}, which was never registered as a version, so the store has no pointer for it; register that commit (cairn registry register ${model.name} --ref ${holder.sha.slice(0, 7)}).`,
      );
    version = holder.version;
  } else {
    const found = resolveVersion(state, model.name, { version: reference.version });
    if (!found.active) throw new UserError(`${shown} was deregistered; name an active version.`);
    version = found.version;
  }
  const pointer = await readModelPointer(store, model.name, version);
  const trainingRecord = await readTrainingRecordBeside(store, pointer.key, pointer.sha256);
  return {
    name: model.name,
    version,
    ...(reference.stage !== undefined && { stage: reference.stage }),
    sha256: pointer.sha256,
    objectKey: pointer.key,
    ...(trainingRecord && { trainingRecord }),
  };
}

async function readTrainingRecordBeside(
  store: ObjectStore,
  objectKey: string,
  sha256: string,
): Promise<TrainingRecord | undefined> {
  const read = await readJsonObject(store, trainingRecordKey(objectKey), 'a training record');
  if (!read) return undefined;
  const { value, where } = read;
  // Loaded here, not with the store: `cairn pull` and `push` never need zod and core/metrics.
  const { trainingRecordProblems, trainingRecordSchema } = await import('../metrics/index.ts');
  const problems = trainingRecordProblems(value);
  if (problems.length > 0) throw new UserError(`${where} is not a valid training record: ${problems.join('; ')}.`);
  const record = trainingRecordSchema.parse(value);
  // Beside these bytes, a record of other bytes would hand the workflow another model's training data.
  if (record.model && record.model.sha256 !== sha256)
    throw new UserError(
      `${where} records a model with sha256 ${record.model.sha256}, not the ${sha256} it is stored beside; it was not written by cairn train for these bytes.`,
    );
  return record;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
