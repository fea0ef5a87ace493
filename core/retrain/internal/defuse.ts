/**
 * Markdown Cairn rendered elsewhere (a `cairn report --comment-out` file) shown inside a pull
 * request body. Its user strings went through core/report's escaping when it was rendered; what
 * could still act here is defused outside code spans and fenced blocks, where nothing is live:
 * HTML comments are dropped (a hidden marker would pass for ours), HTML other than the few tags
 * Cairn's renderers write is shown as text, and mentions are broken (an edit on every scheduled
 * run would notify them again).
 */

/** The tags core/report writes: collapsible sections and small print. */
const ALLOWED_TAG = /^<\/?(details|summary|sub|br)\s*\/?>/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

function defuseText(text: string): string {
  return (
    text
      .replace(/<!--[\s\S]*?(-->|$)/g, '')
      .replace(/</g, (ch, at: number, all: string) => (ALLOWED_TAG.test(all.slice(at)) ? ch : '&lt;'))
      // The entities core/report's escaping writes stay; any other (`&#64;` is an `@`) shows as text.
      .replace(/&(?!(?:lt|gt|amp|quot);)/g, '&amp;')
      .replace(/@(?=[\p{L}\p{N}_])/gu, '@\u200B')
  );
}

/** Splits a line into text and code spans (CommonMark: a run of n backticks closes at the next run of exactly n). */
function defuseLine(line: string): string {
  let out = '';
  let text = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      text += line[i++];
      continue;
    }
    const run = /^`+/.exec(line.slice(i))![0];
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    close.lastIndex = i + run.length;
    const end = close.exec(line);
    if (!end) {
      text += run;
      i += run.length;
      continue;
    }
    out += defuseText(text) + line.slice(i, end.index + run.length);
    text = '';
    i = end.index + run.length;
  }
  return out + defuseText(text);
}

export function defuseMarkdown(markdown: string): string {
  // Comments may span lines: drop them before the line-by-line pass.
  const flat = markdown.replace(/<!--[\s\S]*?(-->|$)/g, '');
  let fence: string | undefined;
  return flat
    .split('\n')
    .map((line) => {
      const marker = FENCE.exec(line)?.[1];
      if (fence === undefined && marker) {
        fence = marker;
        return line;
      }
      if (fence !== undefined) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker)
          fence = undefined;
        return line;
      }
      return defuseLine(line);
    })
    .join('\n');
}
