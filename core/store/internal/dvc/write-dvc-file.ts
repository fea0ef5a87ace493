import { stringify } from 'yaml';
import { UserError } from '../../../errors.ts';
import { isDvcObjectId } from './object-key.ts';

/** What `cairn push` records for one output; always DVC 3 (raw md5, `hash: md5`, 3.x layout). */
export interface DvcFileOutput {
  /** POSIX path relative to the folder of the `.dvc` file, as `dvc add` writes it. */
  path: string;
  /** `<md5>` of a file, `<md5>.dir` of a folder's manifest. */
  md5: string;
  size: number;
  /** Folders only: how many files the manifest lists. */
  nfiles?: number;
  /** Files only: DVC records an executable bit as `isexec: true`. */
  isexec?: boolean;
}

/**
 * The text of a `.dvc` file as DVC 3 `dvc add` writes it, so `dvc pull` and `dvc status` read it as
 * their own: keys in the order DVC's Output.dumpd gives them (md5, size, nfiles, isexec, hash, path),
 * list items at the parent's indent and strings quoted only where YAML needs it (ruamel's style,
 * single quotes preferred), e.g.
 *
 *     outs:
 *     - md5: 5ea40360f5b4ec688df672a4db9c17d1.dir
 *       size: 6
 *       nfiles: 2
 *       hash: md5
 *       path: foobar
 */
export function formatDvcFile(outputs: readonly DvcFileOutput[]): string {
  if (outputs.length === 0) throw new Error('formatDvcFile: a .dvc file needs at least one output');
  const outs = outputs.map((output) => {
    checkOutput(output);
    const entry: Record<string, string | number | boolean> = { md5: output.md5, size: output.size };
    if (output.nfiles !== undefined) entry.nfiles = output.nfiles;
    if (output.isexec) entry.isexec = true;
    entry.hash = 'md5';
    entry.path = output.path;
    return entry;
  });
  return stringify({ outs }, { indentSeq: false, singleQuote: true, lineWidth: 80 });
}

function checkOutput(output: DvcFileOutput): void {
  const isDir = output.md5.endsWith('.dir');
  const fail = (message: string) =>
    new UserError(`cannot write a .dvc file for ${JSON.stringify(output.path)}: ${message}`);
  if (!isDvcObjectId(output.md5))
    throw fail(`${JSON.stringify(output.md5)} is not an md5 (32 lowercase hex digits, .dir for a folder)`);
  if (!Number.isSafeInteger(output.size) || output.size < 0)
    throw fail(`size ${output.size} is not a whole number of bytes`);
  if (isDir !== (output.nfiles !== undefined))
    throw fail('a folder (md5 ending in .dir) needs nfiles, and a file has none');
  if (output.nfiles !== undefined && (!Number.isSafeInteger(output.nfiles) || output.nfiles < 0))
    throw fail(`nfiles ${output.nfiles} is not a whole number`);
  if (output.isexec && isDir) throw fail('isexec applies to files, not folders');
  if (output.path === '' || output.path.startsWith('/') || output.path.includes('\\') || output.path.includes('\0')) {
    throw fail('the path must be relative, with forward slashes');
  }
}
