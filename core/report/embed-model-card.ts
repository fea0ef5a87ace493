/**
 * A model card shown inside a comment or summary: the YAML front matter (for the Hugging Face Hub,
 * meaningless rendered) is dropped, the card's own title too (the section says "Model card"), and
 * headings move down two levels so they nest under the report's.
 */
export function embedModelCard(card: string): string {
  let body = card.replace(/^\uFEFF?---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/, '');
  body = body.replace(/^\s*#(?!#)[^\n]*\n/, '');
  let fenced = false;
  return body
    .split('\n')
    .map((line) => {
      if (/^\s{0,3}(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) return line;
      const heading = /^(#{1,6})(\s.*)$/.exec(line);
      return heading ? `${'#'.repeat(Math.min(6, heading[1].length + 2))}${heading[2]}` : line;
    })
    .join('\n')
    .trim();
}
