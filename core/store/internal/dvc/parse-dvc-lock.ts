import { parseOutEntry } from './parse-out-entry.ts';
import { describeValue, isPlainObject, loadPointerYaml, type PointerYaml } from './pointer-yaml.ts';
import type { DvcOutput } from './types.ts';

/**
 * The outs and deps of every stage in a `dvc.lock`: schema 2.0 (DVC 2 and 3, `stages:` map) or the
 * DVC 1 form (stages at the top). Entries with `hash: md5` are DVC 3, the rest DVC 2. Deps that are
 * not repo files with an md5 (params, URLs) are left out; a dep that is git-tracked code is listed
 * but is not in any remote: pull only `role: 'out'` entries.
 *
 * Paths are as the lock writes them, relative to the lock's folder. A stage with a `wdir:` in
 * dvc.yaml writes them relative to that wdir; the lock does not record it, so pass it in `wdirs`.
 */
export function parseDvcLock(text: string, source: string, wdirs: Readonly<Record<string, string>> = {}): DvcOutput[] {
  const yaml = loadPointerYaml(text, source);
  const data = yaml.data;
  if (data === null || data === undefined) return [];
  if (!isPlainObject(data)) throw yaml.fail([], `expected a map with schema: and stages:, got ${describeValue(data)}`);

  let stages: Record<string, unknown>;
  let prefix: string[];
  if (data.schema === undefined) {
    stages = data; // DVC 1: `name: {cmd, deps, outs}` at the top level
    prefix = [];
  } else if (data.schema === '2.0') {
    if (data.stages === undefined) return [];
    if (!isPlainObject(data.stages))
      throw yaml.fail(['stages'], `expected a map of stage names, got ${describeValue(data.stages)}`);
    stages = data.stages;
    prefix = ['stages'];
  } else {
    throw yaml.fail(
      ['schema'],
      `unsupported lock file schema ${describeValue(data.schema)}; this reads schema '2.0' (DVC 2 and 3). Upgrade the lock with a current DVC (\`dvc repro\`).`,
    );
  }

  const outputs: DvcOutput[] = [];
  for (const [stage, body] of Object.entries(stages)) {
    const key = [...prefix, stage];
    if (!isPlainObject(body))
      throw yaml.fail(key, `expected a stage with cmd, deps and outs, got ${describeValue(body)}`);
    const wdir = Object.hasOwn(wdirs, stage) ? wdirs[stage] : '';
    for (const role of ['dep', 'out'] as const) {
      outputs.push(...entries(yaml, body, [...key, role === 'dep' ? 'deps' : 'outs'], { source, role, stage, wdir }));
    }
  }
  return outputs;
}

function entries(
  yaml: PointerYaml,
  body: Record<string, unknown>,
  key: Array<string | number>,
  context: { source: string; role: 'out' | 'dep'; stage: string; wdir: string },
): DvcOutput[] {
  const list = body[key[key.length - 1]];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list))
    throw yaml.fail(key, `expected a list of entries with path and md5, got ${describeValue(list)}`);
  return list.flatMap((raw, index) => parseOutEntry(raw, { ...context, yaml, key: [...key, index] }) ?? []);
}
