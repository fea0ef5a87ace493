/**
 * Reads back a GFM table from rendered markdown, so tests assert the cells a reader sees rather
 * than the exact whitespace of the source.
 */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  // Split on pipes that are not escaped as \|.
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** The table whose header row starts with `firstHeader`: header cells and rows keyed by header. */
export function readTable(
  markdown: string,
  firstHeader: string,
): { header: string[]; rows: Array<Record<string, string>> } {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|') && cells(line)[0] === firstHeader);
  if (start === -1) throw new Error(`no table with first header "${firstHeader}" in:\n${markdown.slice(0, 2000)}`);
  const header = cells(lines[start]);
  const rows: Array<Record<string, string>> = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const values = cells(line);
    rows.push(Object.fromEntries(header.map((name, i) => [name, values[i] ?? ''])));
  }
  return { header, rows };
}

/** The row whose first cell is `key`. */
export function rowOf(markdown: string, firstHeader: string, key: string): Record<string, string> {
  const { rows } = readTable(markdown, firstHeader);
  const row = rows.find((candidate) => candidate[firstHeader] === key);
  if (!row) throw new Error(`no row "${key}" in table "${firstHeader}": ${rows.map((r) => r[firstHeader]).join(', ')}`);
  return row;
}

/** Each opening tag has its closing tag and code fences are paired: a cut never leaves a dangling block. */
export function isBalanced(markdown: string): boolean {
  const open = (markdown.match(/<details>/g) ?? []).length;
  const close = (markdown.match(/<\/details>/g) ?? []).length;
  const fences = (markdown.match(/^```/gm) ?? []).length;
  return open === close && fences % 2 === 0;
}
