import { buffer } from 'node:stream/consumers';
import { UserError } from '../../errors.ts';
import { ObjectNotFoundError, type ObjectStore } from '../store.ts';

/**
 * A small JSON object of the store (a version pointer, a training record), parsed; undefined when the store has no
 * such key. Bytes that are not JSON are a UserError naming the object and `what` it should have been.
 */
export async function readJsonObject(
  store: ObjectStore,
  key: string,
  what: string,
): Promise<{ value: unknown; where: string } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await buffer(await store.get(key));
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
  const where = store.uriOf(key);
  try {
    return { value: JSON.parse(bytes.toString('utf8')), where };
  } catch (error) {
    throw new UserError(`${where} is not ${what}: invalid JSON (${(error as Error).message}).`, { cause: error });
  }
}
