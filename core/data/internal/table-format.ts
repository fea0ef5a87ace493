import { UserError } from '../../errors.ts';
import type { TableFormat } from '../types.ts';

export interface FileFormat {
  format: TableFormat;
  /** CSV only: the field separator (TSV is CSV with tabs). */
  delimiter: ',' | '\t';
}

const BY_EXTENSION: Record<string, FileFormat> = {
  '.csv': { format: 'csv', delimiter: ',' },
  '.tsv': { format: 'csv', delimiter: '\t' },
  '.jsonl': { format: 'jsonl', delimiter: ',' },
  '.ndjson': { format: 'jsonl', delimiter: ',' },
  '.parquet': { format: 'parquet', delimiter: ',' },
};

const COMPRESSED = ['.gz', '.bz2', '.xz', '.zst', '.zip'];

/** The format a file is read as, from its extension (case-insensitive). */
export function formatOf(path: string): FileFormat {
  const lower = path.toLowerCase();
  const match = Object.keys(BY_EXTENSION).find((extension) => lower.endsWith(extension));
  if (match) return BY_EXTENSION[match];
  const known = Object.keys(BY_EXTENSION).join(', ');
  if (COMPRESSED.some((extension) => lower.endsWith(extension))) {
    throw new UserError(`${path} is compressed. Decompress it first; the data file must end in ${known}.`);
  }
  throw new UserError(
    `cannot tell the format of ${path} from its name. Data files must end in ${known}; rename the file if it is one of these.`,
  );
}
