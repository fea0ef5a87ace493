import { QUANTITATIVE_ANALYSES } from '../model-card.ts';

/** What the embedded card says instead of tables the report around it already shows. */
const TABLES_IN_REPORT = "_The card's tables (metrics, per class, run details) are this report's own sections._";

/**
 * A model card shown inside a comment or summary: the YAML front matter (for the Hugging Face Hub,
 * meaningless rendered) is dropped, the card's own title too (the section says "Model card"), and
 * headings move down two levels so they nest under the report's. The card's tables (its
 * quantitative analyses) are replaced by a line pointing up: the report shows them once.
 */
export function embedModelCard(card: string): string {
  let body = card.replace(/^\uFEFF?---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/, '');
  body = body.replace(/^\s*#(?!#)[^\n]*\n/, '');
  // Config prose in the card is inert (a leading `#` is escaped), so `## ` starts only the card's own sections.
  const heading = `\n## ${QUANTITATIVE_ANALYSES}\n`;
  const start = body.indexOf(heading);
  if (start >= 0) {
    const next = body.indexOf('\n## ', start + heading.length);
    body = `${body.slice(0, start)}${heading}\n${TABLES_IN_REPORT}\n${next >= 0 ? body.slice(next) : ''}`;
  }
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
