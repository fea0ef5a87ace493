import type { Logger } from '../logger.ts';
import type { ObjectStore } from '../store/index.ts';
import type { TrainingRecord } from '../metrics/index.ts';

/**
 * Stores the trained model content-addressed under `models/<name>/sha256/...` (no version: `cairn
 * push --model`/registration make versions) and its training record beside it; returns the URI of
 * the model's object.
 */
export async function pushTrainedModel(
  store: ObjectStore,
  options: { name: string; file: string; record: TrainingRecord; logger: Logger; signal?: AbortSignal },
): Promise<{ modelUri: string; recordUri: string; sha256: string; uploaded: boolean }> {
  // Not loaded by runs that do not push. The record's key is the store's: the champion's resolver reads it back.
  const { pushModelObject, trainingRecordKey } = await import('../store/index.ts');
  const pushed = await pushModelObject(store, { name: options.name, file: options.file, signal: options.signal });
  const recordKey = trainingRecordKey(pushed.key);
  await store.put(recordKey, Buffer.from(`${JSON.stringify(options.record, null, 2)}\n`), {
    contentType: 'application/json',
    signal: options.signal,
  });
  const modelUri = store.uriOf(pushed.key);
  options.logger.info(
    `pushed the model (${pushed.size} bytes, sha256 ${pushed.sha256.slice(0, 12)}...) to ${modelUri}${pushed.uploaded ? '' : ' (its bytes were already there)'} and its training record beside it`,
  );
  return { modelUri, recordUri: store.uriOf(recordKey), sha256: pushed.sha256, uploaded: pushed.uploaded };
}
