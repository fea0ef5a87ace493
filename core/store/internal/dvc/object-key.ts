import { UserError } from '../../../errors.ts';
import type { DvcHashKind, DvcRemoteLayout } from './types.ts';

const FILE_ID = /^[0-9a-f]{32}$/;
const OBJECT_ID = /^[0-9a-f]{32}(\.dir)?$/;

/** True for a DVC object id: 32 lowercase hex digits, optionally with `.dir` (a folder manifest). */
export function isDvcObjectId(id: string): boolean {
  return OBJECT_ID.test(id);
}

/** True for the md5 of one file (no `.dir`). */
export function isDvcFileId(id: string): boolean {
  return FILE_ID.test(id);
}

/** DVC 3 keeps 2.x outputs (md5-dos2unix) in the old layout at the remote's root, new ones under files/md5. */
export function layoutForHashKind(kind: DvcHashKind): DvcRemoteLayout {
  return kind === 'md5' ? '3.x' : '2.x';
}

/**
 * The key of an object under a remote's root: `files/md5/ab/cdef...` (3.x) or `ab/cdef...` (2.x); a
 * folder manifest keeps its `.dir` suffix. The caller joins it to the remote's prefix.
 */
export function objectKey(md5: string, layout: DvcRemoteLayout): string {
  if (!OBJECT_ID.test(md5)) {
    throw new UserError(`"${md5}" is not a DVC object id. Expected 32 lowercase hex digits, with ".dir" for a folder.`);
  }
  const key = `${md5.slice(0, 2)}/${md5.slice(2)}`;
  return layout === '3.x' ? `files/md5/${key}` : key;
}
