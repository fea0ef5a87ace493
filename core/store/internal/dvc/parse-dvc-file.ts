import { posix } from 'node:path';
import { parseOutEntry } from './parse-out-entry.ts';
import { describeValue, isPlainObject, loadPointerYaml } from './pointer-yaml.ts';
import type { DvcOutput } from './types.ts';

/**
 * The outputs of a `.dvc` file (`dvc add`, DVC 2 or 3). Paths come back relative to the folder
 * holding the file, with the stage's `wdir` applied. An output with `hash: md5` is DVC 3 (raw md5,
 * 3.x remote layout); one without is DVC 2 (md5-dos2unix, 2.x layout). `source` names the file in
 * messages. Import `deps:` and any `meta:` are not data in a remote and are left out.
 */
export function parseDvcFile(text: string, source: string): DvcOutput[] {
  const yaml = loadPointerYaml(text, source);
  const data = yaml.data;
  if (data === null || data === undefined)
    throw yaml.fail([], 'the file is empty; a .dvc file lists its data under outs:. Re-create it with `dvc add`.');
  if (!isPlainObject(data)) throw yaml.fail([], `expected a map with outs:, got ${describeValue(data)}`);
  const wdir = parseWdir(data.wdir, () =>
    yaml.fail(['wdir'], `expected a relative folder, got ${describeValue(data.wdir)}`),
  );
  const outs = data.outs;
  if (!Array.isArray(outs) || outs.length === 0) {
    throw yaml.fail(
      ['outs'],
      `expected a list of outputs, got ${describeValue(outs)}. Re-create the file with \`dvc add\`.`,
    );
  }
  return outs.map((raw, index) => parseOutEntry(raw, { yaml, key: ['outs', index], source, role: 'out', wdir })!);
}

function parseWdir(value: unknown, bad: () => Error): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || posix.isAbsolute(value) || value.includes('\\')) throw bad();
  return value === '.' ? '' : value;
}
