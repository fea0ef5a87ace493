/**
 * The data a registry model was trained on, back from the store: its training record lists each
 * input's path and DVC object id (`data: [{path, md5}]`, a folder's id ending in `.dir`), and those
 * objects are pulled as `cairn pull` pulls a `.dvc` file's outputs: paths checked, every file
 * verified against its md5 before it takes its name. The retraining workflow compares fresh data with
 * this (drift), so it is exactly what the production model saw.
 */
import { UserError } from '../errors.ts';
import { objectKey } from './internal/dvc/object-key.ts';
import type { DvcOutput } from './internal/dvc/types.ts';
import { pullOutputs, type PullResult, type PullRunOptions } from './pull.ts';
import { trainingRecordKey, type RegistryVersion } from './registry-model.ts';
import type { ObjectStore } from './store.ts';

export interface PullTrainingDataOptions extends PullRunOptions {
  store: ObjectStore;
  /** The folder the record's paths are put under (`data/train.csv` lands in `<dest>/data/train.csv`). */
  dest: string;
}

/** Pulls every input in `model`'s training record into `dest`; a model without one is a UserError saying why. */
export async function pullTrainingData(model: RegistryVersion, options: PullTrainingDataOptions): Promise<PullResult> {
  const shown = `${model.name} ${model.version}`;
  const record = model.trainingRecord;
  if (!record)
    throw new UserError(
      `${shown} has no training record beside its bytes (${options.store.uriOf(trainingRecordKey(model.objectKey))}): ` +
        `train it with \`cairn train --model FILE --name ${model.name} --push\` (or actions/train with push) so its training data is known.`,
    );
  if (record.data.length === 0)
    throw new UserError(
      `the training record of ${shown} names no data: train with \`cairn train --data DATA.dvc\` so the data versions are recorded.`,
    );
  const source = `the training record of ${shown}`;
  const outputs: DvcOutput[] = [];
  for (const [index, entry] of record.data.entries()) {
    outputs.push({
      path: entry.path,
      md5: entry.md5,
      isDir: entry.md5.endsWith('.dir'),
      hashKind: await hashKindOf(options.store, entry.md5),
      cache: true,
      role: 'out',
      origin: `${source}: data[${index}]`,
    });
  }
  return pullOutputs(options.dest, outputs, source, options);
}

/**
 * The record keeps the md5, not how DVC hashed the file: DVC 3 keeps its outputs under
 * `files/md5/`, outputs a DVC 2 pointer recorded (md5 after CRLF -> LF) at the remote's root.
 */
async function hashKindOf(store: ObjectStore, md5: string): Promise<DvcOutput['hashKind']> {
  if (await store.head(objectKey(md5, '3.x'))) return 'md5';
  if (await store.head(objectKey(md5, '2.x'))) return 'md5-dos2unix';
  return 'md5'; // missing from both: the pull names the DVC 3 key in its message
}
