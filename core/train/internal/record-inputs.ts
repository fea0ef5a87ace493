/**
 * What goes into the record from files: params and metrics (JSON or YAML, capped in size: the
 * record travels into metrics.json and a PR comment), the model's digest, and the data versions.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, relative, resolve, sep } from 'node:path';
import { UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { OptionName } from '../../option-names.ts';

// The YAML parser, the data and store packages load only when a run uses them (as imports they
// cost `cairn train -- true` about 300 ms of start-up; bench/train).

/** Params and metrics files bigger than this are refused: they are summaries, not data. */
export const MAX_STRUCTURED_FILE_BYTES = 1 << 20;

/** The parsed file, or undefined when there is none; `option` names it in messages, as the front door spells it. */
export async function readStructuredFile(path: string, option: OptionName): Promise<unknown> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserError((spell) => `${spell(option)} ${path} is not a file.`);
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (size > MAX_STRUCTURED_FILE_BYTES)
    throw new UserError(
      (spell) =>
        `${spell(option)} ${path} is ${size} bytes, over the ${MAX_STRUCTURED_FILE_BYTES}-byte limit: keep it to a summary (params, final metrics), not per-step logs.`,
    );
  const text = await readFile(path, 'utf8');
  if (extname(path).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new UserError((spell) => `${spell(option)} ${path}: invalid JSON (${(error as Error).message}).`, {
        cause: error,
      });
    }
  }
  const { loadYaml } = await import('../../yaml-document.ts');
  return loadYaml(text, path).data ?? null;
}

export interface ModelDigest {
  path: string;
  sha256: string;
  bytes: number;
}

/** The model's digest, or undefined when the file is not there. */
export async function digestModel(path: string, shown: string): Promise<ModelDigest | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserError((spell) => `${spell('model')} ${shown} is not a file.`);
    const { sha256File } = await import('../../data/index.ts');
    return { path: shown, sha256: await sha256File(path), bytes: info.size };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The data versions the run trains on: every output of each pointer, which must be in the workspace
 * as recorded. A mismatch refuses the run rather than warning: a record that names data versions the
 * command did not read is a false lineage, and it is cheapest to fix before the GPU time is spent.
 * Each path is the workspace's (`data/train.csv` for data/train.csv.dvc's `train.csv`): `cairn pull
 * --training-data` puts the data back there, where the retraining workflow's drift looks for it.
 */
export async function dataVersions(
  pointers: readonly string[],
  options: { cwd: string; logger: Logger; signal?: AbortSignal },
): Promise<Array<{ path: string; md5: string }>> {
  const versions: Array<{ path: string; md5: string }> = [];
  if (pointers.length === 0) return versions;
  const { checkWorkspaceOutputs } = await import('../../store/index.ts');
  const problems: string[] = [];
  for (const pointer of pointers) {
    const shown = relative(options.cwd, pointer) || pointer;
    for (const output of await checkWorkspaceOutputs(pointer, options)) {
      if (output.state === 'missing')
        problems.push(`${output.path} (${shown}) is not in the workspace: \`cairn pull ${shown}\` brings it`);
      else if (output.state === 'differs')
        problems.push(
          `${output.path} (${shown}) has changed: the workspace hashes to ${output.workspaceMd5}, ${shown} records ${output.md5}; \`cairn push ${shown.replace(/\.dvc$/, '')}\` records the new data, \`cairn pull --force ${shown}\` restores the recorded`,
        );
      else versions.push({ path: workspacePath(options.cwd, pointer, output.path), md5: output.md5 });
    }
  }
  if (problems.length > 0)
    throw new UserError(
      (spell) =>
        `${spell('data')} the workspace does not hold the data the pointers record; nothing ran.\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  return versions;
}

/** A pointer's output path (relative to the pointer's folder) as a path from the workspace, with `/`. */
function workspacePath(cwd: string, pointer: string, output: string): string {
  return relative(cwd, resolve(dirname(resolve(cwd, pointer)), output))
    .split(sep)
    .join('/');
}
