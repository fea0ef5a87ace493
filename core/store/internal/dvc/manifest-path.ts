import { UserError } from '../../../errors.ts';
import { isDotGit, showIgnorable } from './dotgit.ts';

/**
 * Checks a path from a `.dir` manifest (or an output path) before it names anything on disk, and
 * returns its segments. Refused: empty paths, NUL, backslashes (a separator on Windows, so
 * `a\..\..\x` would climb), absolute paths (`/x`, `C:x`), empty, `.` or `..` segments, and any
 * segment that names the `.git` folder on some filesystem (see dotgit.ts): what git's `verify_path`
 * refuses. DVC writes none of these; a pointer or manifest holding one is corrupt or crafted.
 */
export function checkManifestPath(relpath: string, where = 'a .dir manifest'): string[] {
  const refuse = (why: string) =>
    new UserError(
      `refused path ${showIgnorable(JSON.stringify(relpath))} in ${where}: ${why}. Every path must stay inside the target folder; ` +
        're-create the data with `dvc add` (or `cairn push`) if this manifest is yours.',
    );
  if (typeof relpath !== 'string' || relpath.length === 0) throw refuse('it is empty');
  if (relpath.includes('\0')) throw refuse('it contains a NUL byte');
  if (relpath.includes('\\')) throw refuse('it contains a backslash');
  if (relpath.startsWith('/')) throw refuse('it is absolute');
  if (/^[A-Za-z]:/.test(relpath)) throw refuse('it starts with a drive letter');
  const segments = relpath.split('/');
  for (const segment of segments) {
    if (segment === '') throw refuse('it has an empty segment (// or a trailing /)');
    if (segment === '.' || segment === '..') throw refuse(`it has a "${segment}" segment`);
    if (isDotGit(segment))
      throw refuse(
        `its segment ${showIgnorable(JSON.stringify(segment))} names a .git folder as git's verify_path reads it (Windows and macOS ignore case, trailing dots and spaces, and some invisible characters in names)`,
      );
  }
  return segments;
}
