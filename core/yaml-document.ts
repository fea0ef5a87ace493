import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { UserError } from './errors.ts';

/** A YAML file read for validation: its data, and the line of any key path for error messages. */
export interface YamlDocument {
  data: unknown;
  /** 1-based line of the key (or list item) at `path`, or of its nearest ancestor that exists. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Parses YAML 1.2; invalid YAML is a UserError naming `source`. Aliases are capped (billion laughs). */
export function loadYaml(text: string, source: string): YamlDocument {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new UserError(`${source}: invalid YAML: ${doc.errors[0].message}`, { cause: doc.errors[0] });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new UserError(`${source}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return { data, lineOf: (path) => lineOf(doc, counter, path) };
}

function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
    if (isMap(parent)) {
      // A map entry is blamed on its key's line (the value may start on the next line).
      const key = path[depth - 1];
      const pair = parent.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key),
      );
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return counter.linePos(range[0]).line;
    } else {
      const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return counter.linePos(node.range[0]).line;
    }
  }
  return undefined;
}

/** `models.churn.task`; keys that are not plain words are bracketed: `models["team/churn"].task`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) return index === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}
