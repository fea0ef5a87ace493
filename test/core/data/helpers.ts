import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectTable } from '../../../core/data/inspect-table.ts';
import { readBatches } from '../../../core/data/read-table.ts';
import type { ColumnBatch, ReadOptions } from '../../../core/data/types.ts';

/** A temporary folder for one test file's data files; `cleanup` removes it. */
export function tempFolder(): {
  write: (name: string, content: string | Uint8Array) => string;
  path: (name: string) => string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-data-'));
  return {
    write: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    path: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Collected {
  numeric: Record<string, number[]>;
  text: Record<string, string[]>;
  batches: Array<{ firstRow: number; length: number }>;
}

/** Reads a whole file through readTable's streaming path and joins the batches back into columns. */
export async function collect(
  path: string,
  options: Partial<ReadOptions> & { numeric?: readonly string[]; text?: readonly string[] },
  chunkSize?: number,
): Promise<Collected> {
  const schema = await inspectTable(path);
  const full: ReadOptions = { batchSize: 1000, numeric: [], text: [], ...options };
  const result: Collected = { numeric: {}, text: {}, batches: [] };
  for (const name of full.numeric) result.numeric[name] = [];
  for (const name of full.text) result.text[name] = [];
  for await (const batch of readBatches(path, schema, full, chunkSize) as AsyncIterable<ColumnBatch>) {
    result.batches.push({ firstRow: batch.firstRow, length: batch.length });
    for (const [name, values] of batch.numeric) {
      if (values.length !== batch.length)
        throw new Error(`column ${name} has ${values.length} values, batch ${batch.length}`);
      result.numeric[name].push(...values);
    }
    for (const [name, values] of batch.text) {
      if (values.length !== batch.length)
        throw new Error(`column ${name} has ${values.length} values, batch ${batch.length}`);
      result.text[name].push(...values);
    }
  }
  return result;
}

export { seededRandom } from '../../support/seeded-random.ts';

/** Chunk sizes that put chunk boundaries inside fields, quotes, CRLF pairs and multi-byte characters. */
export const CHUNK_SIZES = [1, 2, 3, 5, 7, 16, 64, undefined];
