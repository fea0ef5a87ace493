/**
 * Whether one path component names the repository's `.git` folder on some filesystem, as git's
 * `verify_path` decides it (read-cache.c, with core.protectHFS and core.protectNTFS on, git's
 * defaults since CVE-2014-9390). A pull that wrote `.git/hooks/post-checkout` from a crafted pointer
 * or manifest would run code at the user's next checkout.
 *
 * - any case: `.git`, `.GIT`, `.Git` (case-insensitive filesystems: Windows, macOS);
 * - NTFS: trailing dots and spaces are dropped (`.git.`, `.git `, `.git. .`), an alternate data
 *   stream after a colon names the same folder (`.git::$INDEX_ALLOCATION`), and the 8.3 short name
 *   `git~1` (is_ntfs_dotgit);
 * - HFS+: code points it ignores when comparing names (zero-width joiners, direction marks, the
 *   byte-order mark) may sit anywhere inside `.git` (is_hfs_dotgit, next_hfs_char).
 */
export function isDotGit(component: string): boolean {
  return isNtfsDotGit(component) || isHfsDotGit(component);
}

/** `.git` or `git~1`, then only dots and spaces up to the end or a colon. */
function isNtfsDotGit(component: string): boolean {
  const match = /^(?:\.git|git~1)([^:]*)/i.exec(component);
  return match !== null && /^[. ]*$/.test(match[1]);
}

/** The code points HFS+ ignores in names (git's next_hfs_char). */
const HFS_IGNORED = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

function isHfsDotGit(component: string): boolean {
  return component.replace(HFS_IGNORED, '').toLowerCase() === '.git';
}

/** `text` with the code points HFS+ ignores written as `\uXXXX`, so a message shows what was refused. */
export function showIgnorable(text: string): string {
  return text.replace(HFS_IGNORED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
