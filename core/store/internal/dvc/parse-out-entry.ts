import { posix } from 'node:path';
import { formatKeyPath } from '../../../config/index.ts';
import { isDvcObjectId } from './object-key.ts';
import { describeValue, isPlainObject, type PointerYaml } from './pointer-yaml.ts';
import type { DvcHashKind, DvcOutput } from './types.ts';

export interface EntryContext {
  yaml: PointerYaml;
  /** Key path of the entry in its file: ['outs', 0] or ['stages', 'train', 'deps', 1]. */
  key: readonly PropertyKey[];
  source: string;
  role: 'out' | 'dep';
  stage?: string;
  /** The stage's wdir, relative to the pointer file's folder ('' for none). */
  wdir: string;
}

type Fail = (field: string | undefined, message: string) => Error;

const URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

/**
 * One entry of `outs:` or `deps:`, normalised. Outs must name repo content with an md5; a dep
 * without one (params, URLs, outside paths, datasets) is not data in a remote and returns undefined.
 */
export function parseOutEntry(raw: unknown, context: EntryContext): DvcOutput | undefined {
  const { yaml, key, role } = context;
  const fail: Fail = (field, message) => yaml.fail(field ? [...key, field] : key, message);
  if (!isPlainObject(raw)) throw fail(undefined, `expected a map with path and md5, got ${describeValue(raw)}`);

  const path = raw.path;
  if (typeof path !== 'string' || path === '') {
    throw fail(
      'path',
      `expected the path of the ${role === 'out' ? 'output' : 'dependency'}, got ${describeValue(path)}`,
    );
  }
  const outside = URL.test(path) || posix.isAbsolute(path) || WINDOWS_ABSOLUTE.test(path);
  if (role === 'dep' && (outside || raw.md5 === undefined)) return undefined;
  if (outside) {
    throw fail(
      'path',
      `${JSON.stringify(path)} is outside the repository; external outputs are not supported (DVC 3 dropped them too). Track the data inside the repository.`,
    );
  }
  if (raw.files !== undefined) {
    throw fail(
      'files',
      'cloud-versioned outputs (a files: list) are not supported. Push the data to a DVC remote with `dvc push` and commit the pointer without files:.',
    );
  }

  const md5 = parseMd5(raw.md5, fail);
  const isDir = md5.endsWith('.dir');
  const size = optionalCount(raw, 'size', 'bytes', fail);
  const nfiles = optionalCount(raw, 'nfiles', 'files', fail);
  if (nfiles !== undefined && !isDir)
    throw fail('nfiles', `a file output has no nfiles; md5 ${md5} would end in .dir for a folder`);
  for (const flag of ['isexec', 'cache'] as const) {
    if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean')
      throw fail(flag, `expected true or false, got ${describeValue(raw[flag])}`);
  }
  if (raw.remote !== undefined && typeof raw.remote !== 'string')
    throw fail('remote', `expected a remote name, got ${describeValue(raw.remote)}`);

  const output: DvcOutput = {
    path: normalisePath(path, context.wdir, fail),
    md5,
    isDir,
    hashKind: parseHashKind(raw.hash, fail),
    cache: raw.cache !== false,
    role,
    origin: `${context.source}: ${formatKeyPath(key)}`,
  };
  if (size !== undefined) output.size = size;
  if (nfiles !== undefined) output.nfiles = nfiles;
  if (raw.isexec === true) output.isexec = true;
  if (typeof raw.remote === 'string') output.remote = raw.remote;
  if (context.stage !== undefined) output.stage = context.stage;
  return output;
}

/** POSIX, wdir applied, `.`/`..` folded; it may still start with `..` (the caller checks it stays in the repo). */
function normalisePath(path: string, wdir: string, fail: Fail): string {
  if (path.includes('\\') || path.includes('\0')) {
    throw fail('path', `${JSON.stringify(path)} contains a backslash or NUL. Write the path with forward slashes.`);
  }
  const joined = posix.normalize(posix.join(wdir, path)).replace(/\/+$/, '');
  if (joined === '.' || joined === '') {
    throw fail(
      'path',
      `${JSON.stringify(path)} names the pointer's own folder. Name the file or folder the output is.`,
    );
  }
  return joined;
}

function parseMd5(value: unknown, fail: Fail): string {
  if (value === undefined) {
    throw fail(
      'md5',
      'missing: the output was never committed. Run `dvc commit` (or `dvc repro`) and `dvc push`, then commit the pointer file.',
    );
  }
  if (typeof value !== 'string' || !isDvcObjectId(value)) {
    throw fail('md5', `expected 32 lowercase hex digits (with .dir for a folder), got ${describeValue(value)}`);
  }
  return value;
}

/** DVC 3 writes `hash: md5`; an entry without it was hashed by DVC 2 (DVC 3 calls that md5-dos2unix). */
function parseHashKind(value: unknown, fail: Fail): DvcHashKind {
  if (value === undefined) return 'md5-dos2unix';
  if (value === 'md5') return 'md5';
  throw fail('hash', `expected md5 (DVC 3) or no hash key (DVC 2), got ${describeValue(value)}`);
}

function optionalCount(raw: Record<string, unknown>, field: string, unit: string, fail: Fail): number | undefined {
  const value = raw[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw fail(field, `expected a whole number of ${unit}, got ${describeValue(value)}`);
  }
  return value;
}
