import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { UserError } from '../errors.ts';

/** Hex SHA-256 of a file's bytes, streamed (the file may be larger than memory). */
export async function sha256File(path: string): Promise<string> {
  try {
    if ((await stat(path)).isDirectory())
      throw new UserError(`${path} is a folder, not a file. Pass the path of a file.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`${path} does not exist. Check the path.`, { cause: error });
    }
    throw error;
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
