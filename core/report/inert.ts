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

/** The tags Cairn's own reports hold: collapsible sections, small print, line breaks; no attributes. */
const OWN_TAG = /<\/?(?:details|summary|sub|br)\s*\/?>/iy;
/** The entities `inert` writes; any other could spell a character (`&#64;` and `&commat;` are an `@`). */
const OWN_ENTITY = /&(?:lt|gt|amp|quot);/y;
// eslint-disable-next-line no-control-regex
const DOCUMENT_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;

const ownAt = (pattern: RegExp, text: string, at: number) => {
  pattern.lastIndex = at;
  return pattern.test(text);
};

/**
 * A whole markdown document Cairn rendered elsewhere (a `cairn report --comment-out` file) made
 * safe to show inside another body (a pull request's): HTML comments are dropped (a hidden marker
 * would pass for ours), HTML other than Cairn's own `details`/`summary`/`sub`/`br` tags, entities
 * and images are broken, and so are mentions (an edit on every scheduled run would notify them
 * again). Tables, links, code and mermaid charts keep working.
 *
 * It reads no markdown structure, on purpose: a parser of our own that disagrees with GitHub's on
 * where code starts (a backtick in a fence's info string, an HTML block around a fence, a code span
 * over two lines, an escaped backtick) leaves what it took for code live. Instead each `<` that
 * could open a tag, comment or autolink, each `&` that could spell an entity, each `@` that could
 * mention and each `![` gets a zero-width space after it: text then shows as text, and code shows
 * as it was, the space being invisible.
 */
export function inertMarkdown(markdown: string): string {
  return markdown
    .replace(DOCUMENT_CONTROL, '')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<(?=[A-Za-z/!?])/g, (ch, at: number, all: string) => (ownAt(OWN_TAG, all, at) ? ch : `<${ZWSP}`))
    .replace(/&(?=#|[A-Za-z][A-Za-z0-9]*;)/g, (ch, at: number, all: string) =>
      ownAt(OWN_ENTITY, all, at) ? ch : `&${ZWSP}`,
    )
    .replace(/(?<![A-Za-z0-9_])@(?=[\p{L}\p{N}_])/gu, `@${ZWSP}`)
    .replace(/!\[/g, `!${ZWSP}[`);
}
