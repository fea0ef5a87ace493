/**
 * Hostile strings, and a check that rendered GitHub markdown left them inert. No CommonMark parser
 * is installed, so the check reads the markdown the way GitHub's parser does on the points that
 * matter: it drops code spans (CommonMark's backtick-run rule) and fenced blocks, where nothing is
 * live, then looks at what is left for mentions, HTML, comment markers, links, autolinks, issue
 * references and entities; and it counts the cells of every table row.
 */
import assert from 'node:assert/strict';

/** Each attack the issue names, as a string a user, a payload or a record could carry. */
export const HOSTILE_PARTS = [
  '@team',
  '@org/team',
  '<img src=x onerror=1>',
  '](http://x)',
  '![a](http://x)',
  '-->',
  '<!-- cairn:registry -->',
  '<!-- cairn:churn:metrics -->',
  '|',
  '`',
  '``',
  '```',
  '~~~',
  '<details><summary>x</summary>',
  '<sub>x</sub>',
  'http://evil.example/a',
  'www.evil.example',
  'mail@evil.example',
  '#123',
  'GH-123',
  '&#64;team',
  '[x]: http://x',
  '\u0007bell\u001b[31m',
  '\u202Eevil',
  '::warning::x',
  '##[warning]x',
] as const;

/** All of them in one string, on several lines (a line break is an attack of its own). */
export const HOSTILE = `${HOSTILE_PARTS.join(' ')}\n# heading\n::error::y\n    indented\n| a | b |`;

/** The same in one line, for fields that cannot hold a line break. */
export const HOSTILE_LINE = HOSTILE_PARTS.join(' ');

export interface InertOptions {
  /** Hidden markers Cairn itself writes, each on a line of its own (`<!-- cairn:reply:1 -->`). */
  markers?: ReadonlyArray<string | RegExp>;
  /** Link targets Cairn itself writes (prefixes): the repository, the run URL. */
  links?: readonly string[];
  /** Logins Cairn mentions on purpose (the commenter it answers). */
  mentions?: readonly string[];
}

/** Removes fenced code blocks; a fence left open is a breakout in itself. */
function withoutFences(markdown: string): string {
  const kept: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    // A backtick fence's info string holds no backtick: "```` a ` b ````" is a code span, not a fence.
    const marker = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker) fence = marker;
    else if (
      fence !== undefined &&
      marker &&
      marker[0] === fence[0] &&
      marker.length >= fence.length &&
      line.trim() === marker
    )
      fence = undefined;
    else if (fence === undefined) kept.push(line);
  }
  assert.equal(fence, undefined, 'a code fence is left open: everything after it is swallowed');
  return kept.join('\n');
}

/** Removes code spans as CommonMark finds them (a run of n backticks closes at the next run of exactly n). */
function withoutCodeSpans(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\' && i + 1 < text.length) {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (text[i] !== '`') {
      out += text[i++];
      continue;
    }
    const run = /^`+/.exec(text.slice(i))![0];
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    close.lastIndex = i + run.length;
    const end = close.exec(text);
    if (!end) {
      out += run; // no closing run: the backticks are literal text
      i += run.length;
      continue;
    }
    out += ' ';
    i = end.index + run.length;
  }
  return out;
}

/** Cells of a table row, splitting on pipes that no odd run of backslashes escapes. */
function cellCount(line: string): number {
  const inner = line.trim().replace(/^\|/, '');
  let cells = 1;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\') {
      i++;
      continue;
    }
    if (inner[i] === '|' && i < inner.length - 1) cells++;
  }
  return cells;
}

function assertTablesHold(markdown: string): void {
  const lines = markdown.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!/^\|.*\|\s*$/.test(lines[i]) || !/^\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1])) continue;
    const width = cellCount(lines[i]);
    for (let j = i + 2; j < lines.length && lines[j].startsWith('|'); j++) {
      assert.equal(
        cellCount(lines[j]),
        width,
        `table row ${j + 1} has ${cellCount(lines[j])} cells, its header ${width}:\n${lines[j]}`,
      );
    }
  }
}

/** Fails with what is live when `markdown` lets any of HOSTILE through. */
export function assertInert(markdown: string, options: InertOptions = {}): void {
  const isMarker = (line: string) =>
    (options.markers ?? []).some((marker) => (typeof marker === 'string' ? line === marker : marker.test(line)));
  const shown = markdown
    .split('\n')
    .filter((line) => !isMarker(line))
    .join('\n');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(shown, /[\u0000-\u0008\u000B-\u001F\u007F\u202A-\u202E]/, 'a control character got through');
  assertTablesHold(shown);
  const source = withoutFences(shown)
    .split('\n')
    .map(withoutCodeSpans)
    // A backslash-escaped character is literal text: `\](` starts no link.
    .map((line) => line.replace(/\\[\s\S]/g, '·'))
    .join('\n');
  // The HTML Cairn writes itself, in the only shapes it writes it: a folded section, a footnote line.
  const own = source
    .replace(/^<details><summary>[^<>]*<\/summary>$|^<\/details>$/gm, '')
    .replace(/^<sub>(.*)<\/sub>$/gm, '$1');
  for (const match of own.matchAll(/<\/?([A-Za-z][\w-]*)/g))
    assert.fail(`raw HTML <${match[1]}> in:\n${context(own, match.index)}`);
  assert.doesNotMatch(source, /<!--|-->/, 'a comment marker got through');
  assert.doesNotMatch(source, /<!|<\?|<[a-z]+:/i, 'HTML or an autolink got through');
  for (const match of source.matchAll(/\]\(([^)\s]*)/g)) {
    assert.ok(
      options.links?.some((prefix) => match[1].startsWith(prefix)),
      `a link to ${match[1]} in:\n${context(source, match.index)}`,
    );
  }
  for (const match of source.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)]*/gi)) {
    assert.ok(
      options.links?.some((prefix) => match[0].startsWith(prefix)),
      `an autolink ${match[0]} in:\n${context(source, match.index)}`,
    );
  }
  assert.doesNotMatch(source, /(?:^|[\s*_~(])www\./im, 'a www. autolink got through');
  assert.doesNotMatch(source, /^\s{0,3}\[[^\]]+\]:/m, 'a link reference definition got through');
  for (const match of source.matchAll(/(?<![\w`])@([A-Za-z0-9][\w-]*)/g)) {
    assert.ok(options.mentions?.includes(match[1]), `a live mention @${match[1]} in:\n${context(source, match.index)}`);
  }
  assert.doesNotMatch(source, /[\w.+-]@[A-Za-z0-9]/, 'an email autolink got through');
  assert.doesNotMatch(source, /(?<![\w&])#\d|\bGH-\d/i, 'a live issue reference got through');
  assert.doesNotMatch(source, /&#/, 'a numeric entity got through (it could spell an @)');
  assert.doesNotMatch(source, /^ {0,3}#{1,6}\s+heading/m, 'a user string started a heading');
}

function context(text: string, index = 0): string {
  return text.slice(Math.max(0, index - 80), index + 80);
}

/**
 * Fails when a log the Actions runner reads holds a workflow command that Cairn did not mean to
 * issue: a line starting (after spaces) with `::` other than the `allowed` commands (`::error::`
 * from a failed step), or a legacy `##[` anywhere, which the runner honours mid-line.
 */
export function assertNoWorkflowCommands(log: string, allowed: readonly string[] = []): void {
  for (const line of log.split(/\r\n|\r|\n/)) {
    const start = line.trimStart();
    if (start.startsWith('::')) {
      assert.ok(
        allowed.some((command) => start.startsWith(command)),
        `a workflow command in the log: ${line}`,
      );
      continue; // the runner reads the line as this command, so a `##[` in its message is data
    }
    assert.ok(!line.includes('##['), `a legacy workflow command in the log: ${line}`);
  }
}

/**
 * Fails when a whole document made safe by core/report's inertMarkdown could still act, wherever
 * GitHub's parser puts code: the check reads all of it as text (nothing is dropped as code first),
 * keeping only Cairn's own `details`/`summary`/`sub`/`br` tags and the entities `inert` writes.
 */
export function assertInertDocument(markdown: string, options: { markers?: readonly string[] } = {}): void {
  const shown = markdown
    .split('\n')
    .filter((line) => !options.markers?.includes(line))
    .join('\n');
  for (const match of shown.matchAll(/<[A-Za-z/!?][^>\n]{0,40}/g)) {
    if (!/^<\/?(details|summary|sub|br)\s*\/?>/i.test(shown.slice(match.index, match.index + 12)))
      assert.fail(`live HTML ${match[0]} in:\n${context(shown, match.index)}`);
  }
  assert.doesNotMatch(shown, /<!--/, 'a comment got through');
  for (const match of shown.matchAll(/&(#|[A-Za-z][A-Za-z0-9]*;)/g))
    assert.ok(/^&(lt|gt|amp|quot);/.test(shown.slice(match.index)), `an entity ${match[0]} got through`);
  for (const match of shown.matchAll(/(?<![A-Za-z0-9_])@[A-Za-z0-9]/g))
    assert.fail(`a live mention in:\n${context(shown, match.index)}`);
  assert.doesNotMatch(shown, /!\[/, 'an image got through');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(shown, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E]/, 'a control character');
}
