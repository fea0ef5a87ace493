import { createHash } from 'node:crypto';

/** Room for a suffix such as `.baseline.json` and a temporary one within a 255-byte name. */
const MAX_STEM = 120;

/** A file name for a model's name: characters a name cannot hold replaced, and a long one cut, with a hash of the whole so two long names stay apart. */
export function fileStem(name: string): string {
  const safe = name.replace(/[^\w.-]+/g, '_'); // ASCII only: one byte a character
  if (safe.length <= MAX_STEM) return safe;
  return `${safe.slice(0, MAX_STEM)}-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}
