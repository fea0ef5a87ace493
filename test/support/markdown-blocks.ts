/**
 * The fenced code blocks of a markdown file, for the tests that run or validate what the docs show:
 * README shell blocks marked `<!-- runnable -->` and README yaml blocks that are whole workflows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export const RUNNABLE_MARKER = '<!-- runnable -->';

export interface CodeBlock {
  /** `README.md:42`: the file and the line of the opening fence. */
  where: string;
  /** The info string's first word: `sh`, `yaml`, `text`, ... */
  lang: string;
  /** The block's lines, less the fence's indentation (a block in a list item is indented). */
  body: string;
  /** The nearest non-blank line above the fence is `<!-- runnable -->`. */
  runnable: boolean;
}

export function codeBlocks(root: string, file: string): CodeBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const close = lines.findIndex((line, j) => j > i && /^`+$/.test(line.trim()) && line.trim().length >= fence.length);
    const end = close === -1 ? lines.length : close;
    const body = lines
      .slice(i + 1, end)
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
    let above = i - 1;
    while (above >= 0 && lines[above].trim() === '') above--;
    blocks.push({
      where: `${file}:${i + 1}`,
      lang,
      body: `${body.join('\n')}\n`,
      runnable: above >= 0 && lines[above].trim() === RUNNABLE_MARKER,
    });
    i = end;
  }
  return blocks;
}

/** A yaml block is a workflow when it has both `on` and `jobs` at the top (a config or a fragment has not). */
export function isWorkflow(block: CodeBlock): boolean {
  if (block.lang !== 'yaml' && block.lang !== 'yml') return false;
  try {
    const value: unknown = parseYaml(block.body);
    return typeof value === 'object' && value !== null && 'on' in value && 'jobs' in value;
  } catch {
    return false;
  }
}

/** The markdown files whose blocks are checked. */
export const DOC_FILES = ['README.md', 'app/README.md'];
