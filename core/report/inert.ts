/**
 * The one place where text that came from a user, a payload or a record is made inert before it
 * lands in GitHub markdown (comments, check runs, issues, releases, job summaries, reviews). Every
 * renderer goes through these; a later feature that renders such text uses them too.
 *
 * Rules, after what GitHub itself, Dependabot and Renovate do:
 * - no live mention, email or issue reference: a zero-width space (U+200B) after `@`, after `#`
 *   before digits, and inside `GH-123` (Dependabot writes `@\u200Bname`, Renovate `@&#8203;name`
 *   and `#&#8203;123`); `&#64;` for the `@` would not do, GitHub finds mentions in rendered text;
 * - no HTML, comments or markers: `<`, `>` and `&` become entities, so `<img>`, `<!-- cairn:x -->`
 *   and `-->` show as text and `&#64;` cannot smuggle an `@`;
 * - no links or images: `[` and `]` are escaped, and bare autolinks are broken (`:\u200B//`,
 *   `www\u200B.`);
 * - no table, code or block breakout: `|`, backticks, `~`, `*`, `$` (math) and `\` are
 *   backslash-escaped, line breaks become spaces, and a leading block marker (`#`, `-`, `+`, `=`,
 *   `1.`) is escaped; `_` is left alone (inside a word it never emphasises, and metric names such
 *   as `f1_macro` are full of it; emphasis is all it could do);
 * - control characters and bidirectional overrides are dropped.
 * The text still reads the same once rendered; only the markdown source changes.
 */

const ZWSP = '\u200B';

// C0 and C1 controls (line breaks are handled before) and the bidi embeddings, overrides and
// isolates that can make a name read differently from what it is ("Trojan Source").
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LINE_BREAK = /\r\n|[\r\n\t\u2028\u2029]/g;

const ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * One line of plain text: line breaks and tabs become spaces, control characters are dropped.
 * For places GitHub shows as plain text (check run titles); `inert` and `code` start with it.
 */
export function plainLine(text: string): string {
  return text.replace(LINE_BREAK, ' ').replace(CONTROL, '');
}

/** Inline markdown that renders as exactly `text` and nothing else: see the rules above. */
export function inert(text: string): string {
  return plainLine(text)
    .replace(/[\\`*[\]|~$]/g, (ch) => `\\${ch}`)
    .replace(/[<>&]/g, (ch) => ENTITY[ch])
    .replace(/@(?=[\p{L}\p{N}_])/gu, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/\b(gh)-(?=\d)/gi, `$1${ZWSP}-`)
    .replace(/:(?=\/\/)/g, `:${ZWSP}`)
    .replace(/\b(www)\./gi, `$1${ZWSP}.`)
    .replace(/^(\s*)([#+=-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** Several lines of inert text (a message with line breaks), each line made inert on its own. */
export function inertLines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => inert(line))
    .join('\n');
}

/** Alias of `inert`, kept for callers written before it: inert text is safe in a table cell too. */
export const escapeCell = inert;

/**
 * An inline code span that shows `text` verbatim (copyable: a tag, a path, a version). Nothing in a
 * code span is live, so only what could end it early is handled: backtick runs, line breaks, and
 * `<!--` / `-->`, broken with a zero-width space so the source never holds a comment marker.
 */
export function code(text: string): string {
  const flat = plainLine(text).replace(/<!--/g, `<${ZWSP}!--`).replace(/-->/g, `--${ZWSP}>`);
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A code span inside a table cell: only pipes are escaped (GFM splits cells before parsing code,
 * and entities such as &gt; would show literally inside code).
 */
export function codeCell(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

/**
 * `[label](url)` only when `url` is a page of the repository itself (under `repoUrl/`, exactly as
 * written: no `..`, nothing a browser would read differently); anything else shows as code, readable
 * and dead. For URLs from payloads and records, such as a deployment status's `target_url`, which
 * anyone with `deployments: write` sets. `asCode` is `codeCell` inside a table.
 */
export function repoLink(
  label: string,
  url: string,
  repoUrl: string | undefined,
  asCode: (text: string) => string = code,
): string {
  return repoUrl && isRepoPage(url, repoUrl) ? `[${inert(label)}](${url})` : asCode(url);
}

function isRepoPage(url: string, repoUrl: string): boolean {
  if (!url.startsWith(`${repoUrl}/`) || !/^https?:\/\/[^\s()<>[\]]+$/.test(url)) return false;
  try {
    return new URL(url).href === url;
  } catch {
    return false;
  }
}
