/**
 * The pointer of the version a stage runs, `models/<name>/stages/<stage>.json`, and the deploy that
 * moves it. The pointer only ever moves with a conditional write on what the deploy read (If-Match on
 * its etag, or If-None-Match when the stage had none), so two deploys of one stage cannot both win:
 * the second fails and says so. A deploy claims the stage first, then publishes; if publishing fails,
 * the stage pointer goes back to what it was.
 */
import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { readModelPointer, stagePointerKey, type ModelPointer } from './model-artifacts.ts';
import { checkModelVersion, checkStageName, parseModelName } from './internal/model-names.ts';
import { ObjectNotFoundError, PreconditionFailedError, type ObjectStore } from './store.ts';

export const STAGE_POINTER_SCHEMA = 'cairn.stage-pointer/v1';

export interface StagePointer {
  schema: typeof STAGE_POINTER_SCHEMA;
  name: string;
  stage: string;
  version: string;
  /** The model's bytes, as in the version pointer. */
  sha256: string;
  key: string;
  /** The version the stage ran before this deploy, if any: what a rollback goes back to. */
  previous?: string;
  /** ISO 8601. */
  deployed_at: string;
  /** The workflow run that deployed it. */
  run_url?: string;
}

export const stagePointerSchema: z.ZodType<StagePointer> = z.object({
  schema: z.literal(STAGE_POINTER_SCHEMA),
  name: z.string().min(1),
  stage: z.string().min(1),
  version: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
  key: z.string().min(1),
  previous: z.string().min(1).optional(),
  deployed_at: z.iso.datetime({ offset: true }),
  run_url: z.string().min(1).optional(),
});

/** A stage pointer as read, with the etag a conditional write must match to replace it. */
export interface CurrentStage {
  pointer: StagePointer;
  /** Undefined only for a store that reports none; the next write is then unconditional. */
  etag?: string;
  bytes: Buffer;
}

/** Another deploy moved the stage between this deploy's read and its write. */
export class StageMovedError extends UserError {
  override name = 'StageMovedError';
}

/** The stage's pointer and its etag, or undefined when the stage has none; an invalid one is a UserError. */
export async function readStagePointer(
  store: ObjectStore,
  name: string,
  stage: string,
): Promise<CurrentStage | undefined> {
  const key = stagePointerKey(name, stage);
  // HEAD then GET on that etag: the bytes and the etag are of one version even while others write.
  for (let attempt = 0; ; attempt++) {
    const info = await store.head(key);
    if (!info) return undefined;
    let bytes: Buffer;
    try {
      bytes = await buffer(await store.get(key, { ifMatch: info.etag }));
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return undefined;
      if (error instanceof PreconditionFailedError && attempt < 2) continue;
      throw error;
    }
    return {
      pointer: parseStagePointer(bytes, store.uriOf(key), parseModelName(name).name, stage),
      etag: info.etag,
      bytes,
    };
  }
}

function parseStagePointer(bytes: Buffer, where: string, name: string, stage: string): StagePointer {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new UserError(
      `${where} is not a stage pointer: invalid JSON (${(error as Error).message}). Fix or remove it, then deploy again.`,
      { cause: error },
    );
  }
  const parsed = stagePointerSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
    throw new UserError(
      `${where} is not a valid ${STAGE_POINTER_SCHEMA} pointer: ${problems.join('; ')}. Fix or remove it, then deploy again.`,
    );
  }
  if (parsed.data.name !== name || parsed.data.stage !== stage) {
    throw new UserError(
      `${where} names ${parsed.data.name} stage ${parsed.data.stage}, not ${name} stage ${stage}; it was not written by a cairn deploy of this stage. Remove it, then deploy again.`,
    );
  }
  return parsed.data;
}

export function formatStagePointer(pointer: StagePointer): Buffer {
  return Buffer.from(`${JSON.stringify(pointer, null, 2)}\n`);
}

/**
 * Writes `pointer` only if the stage still is as `expected` says (undefined: it had no pointer).
 * Returns the new etag; a lost race is a StageMovedError naming the stage.
 */
export async function writeStagePointer(
  store: ObjectStore,
  pointer: StagePointer,
  expected: Pick<CurrentStage, 'etag'> | undefined,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const key = stagePointerKey(pointer.name, pointer.stage);
  const condition =
    expected === undefined
      ? { ifNoneMatch: '*' as const }
      : expected.etag === undefined
        ? {}
        : { ifMatch: expected.etag };
  try {
    const { etag } = await store.put(key, formatStagePointer(pointer), {
      ...condition,
      contentType: 'application/json',
      signal,
    });
    return etag;
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
    throw new StageMovedError(
      `another deploy moved ${pointer.name} stage ${pointer.stage} (${store.uriOf(key)}) while this one ran, so this deploy of ${pointer.version} changed nothing. ` +
        'Look at which deploy won; run this one again if it should be the one the stage runs.',
      { cause: error },
    );
  }
}

export interface DeployToStageOptions {
  name: string;
  version: string;
  stage: string;
  logger: Logger;
  /**
   * Puts the model where the stage serves it, after the stage pointer moved; returns where it is
   * served (a URI). A throw puts the stage pointer back.
   */
  publish: (model: ModelPointer, stage: StagePointer) => Promise<string>;
  runUrl?: string;
  /** The pointer's `deployed_at` (tests pin it). */
  now?: Date;
  signal?: AbortSignal;
}

export interface DeployResult {
  pointer: StagePointer;
  /** The stage's pointer before this deploy. */
  previous?: StagePointer;
  /** Where the model is served, as `publish` returned it. */
  uri: string;
  pointerUri: string;
}

/** Publishing failed after the stage pointer moved; `restored` says whether it went back. */
export class DeployFailedError extends UserError {
  override name = 'DeployFailedError';
  constructor(
    message: string,
    readonly restored: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Deploys `name` `version` to `stage`: the version must exist in the store (nothing moves otherwise),
 * the stage pointer moves with a conditional write, then `publish` runs; if it throws, the pointer is
 * restored (or removed, when the stage had none) on the condition that it is still ours.
 */
export async function deployToStage(store: ObjectStore, options: DeployToStageOptions): Promise<DeployResult> {
  const { logger } = options;
  const name = parseModelName(options.name).name;
  const stage = checkStageName(options.stage);
  const version = checkModelVersion(options.version);
  const model = await readModelPointer(store, name, version);
  const current = await readStagePointer(store, name, stage);
  const pointer: StagePointer = {
    schema: STAGE_POINTER_SCHEMA,
    name,
    stage,
    version,
    sha256: model.sha256,
    key: model.key,
    ...(current ? { previous: current.pointer.version } : {}),
    deployed_at: (options.now ?? new Date()).toISOString(),
    ...(options.runUrl ? { run_url: options.runUrl } : {}),
  };
  const key = stagePointerKey(name, stage);
  const pointerUri = store.uriOf(key);
  const etag = await writeStagePointer(store, pointer, current, options.signal);
  logger.info(
    `moved ${name} stage ${stage} to ${version}${current ? ` (was ${current.pointer.version})` : ''}: ${pointerUri}`,
  );

  let uri: string;
  try {
    uri = await options.publish(model, pointer);
  } catch (error) {
    const reason = (error as Error).message ?? String(error);
    const undo = await restoreStage(store, key, current, etag).catch((restoreError: unknown) => ({
      restored: false,
      how: `restoring it failed too (${(restoreError as Error).message})`,
    }));
    const what = undo.restored
      ? `The stage pointer was ${current ? `restored to ${current.pointer.version}` : 'removed again (the stage had none before)'}.`
      : `The stage pointer still names ${version}: ${undo.how}. Put it back by hand: ${pointerUri}${current ? ` should name ${current.pointer.version}` : ' should not exist'}.`;
    if (undo.restored) logger.warn(`deploy of ${name} ${version} to ${stage} failed; ${what}`);
    throw new DeployFailedError(`publishing ${name} ${version} to ${stage} failed: ${reason}\n${what}`, undo.restored, {
      cause: error,
    });
  }
  return { pointer, previous: current?.pointer, uri, pointerUri };
}

async function restoreStage(
  store: ObjectStore,
  key: string,
  before: CurrentStage | undefined,
  ours: string | undefined,
): Promise<{ restored: boolean; how: string }> {
  if (before) {
    try {
      await store.put(key, before.bytes, {
        ...(ours === undefined ? {} : { ifMatch: ours }),
        contentType: 'application/json',
      });
    } catch (error) {
      if (error instanceof PreconditionFailedError)
        return { restored: false, how: 'another deploy has moved it since, so it was left as that deploy wrote it' };
      throw error;
    }
    return { restored: true, how: 'restored' };
  }
  if (!store.delete) return { restored: false, how: `${store.uri} cannot delete objects` };
  // No conditional delete on every S3: check it is still ours first (a small window remains).
  const now = await store.head(key);
  if (now && ours !== undefined && now.etag !== ours)
    return { restored: false, how: 'another deploy has moved it since, so it was left as that deploy wrote it' };
  await store.delete(key);
  return { restored: true, how: 'removed' };
}
