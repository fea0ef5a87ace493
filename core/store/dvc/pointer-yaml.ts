import { LineCounter, parseDocument, type Document } from 'yaml';
import { formatKeyPath } from '../../config/parse.ts';
import { UserError } from '../../errors.ts';

/**
 * A parsed `.dvc` file or `dvc.lock` that can blame a key: `fail(['outs', 0, 'md5'], ...)` makes a
 * UserError reading `data.dvc: outs[0].md5: ... (line 2)`.
 */
export interface PointerYaml {
  data: unknown;
  fail(path: readonly PropertyKey[], message: string): UserError;
}

/** YAML 1.2 like DVC's ruamel safe loader; duplicate keys are errors in both. */
export function loadPointerYaml(text: string, source: string): PointerYaml {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new UserError(`${source}: invalid YAML: ${doc.errors[0].message}`, { cause: doc.errors[0] });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new UserError(`${source}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return {
    data,
    fail(path, message) {
      const line = lineOf(doc, counter, path);
      const where = path.length > 0 ? `${formatKeyPath(path)}: ` : '';
      return new UserError(`${source}: ${where}${message}${line ? ` (line ${line})` : ''}`);
    },
  };
}

/** The line of the node at `path`, or of its nearest ancestor that exists. */
function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a value reads in a message: `"abc"`, `12`, `a list`, `a map`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return JSON.stringify(value);
}
