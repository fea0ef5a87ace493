import { formatKeyPath, loadYaml } from '../../../yaml-document.ts';
import { UserError } from '../../../errors.ts';

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
  const yaml = loadYaml(text, source);
  return {
    data: yaml.data,
    fail(path, message) {
      const line = yaml.lineOf(path);
      const where = path.length > 0 ? `${formatKeyPath(path)}: ` : '';
      return new UserError(`${source}: ${where}${message}${line ? ` (line ${line})` : ''}`);
    },
  };
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
