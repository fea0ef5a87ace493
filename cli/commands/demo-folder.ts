/**
 * The folder `cairn demo` writes into is the user's choice (`--out`), so it only ever removes what
 * an earlier demo made there: it writes into a new or empty folder, or one holding its own marker
 * file, and a rerun removes just the entries it lists. Anything else is left alone, exit 2.
 */
import { lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFilesAtomic } from '../../core/atomic-write.ts';
import { UserError } from '../../core/errors.ts';

export const DEMO_MARKER = '.cairn-demo.json';
const SCHEMA = 'cairn.demo/v1';

/** Everything the demo writes at the top of its folder. */
export const DEMO_ENTRIES = [
  'main',
  'pr',
  'project',
  'remote',
  'workspace',
  'registry-repo',
  'retrain',
  'metrics.json',
  'MODEL_CARD.md',
  'comment.md',
] as const;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** The entries an earlier demo listed, or undefined when the marker is missing or not ours. */
async function listedByMarker(out: string): Promise<string[] | undefined> {
  try {
    if (!(await lstat(join(out, DEMO_MARKER))).isFile()) return undefined;
    const marker = JSON.parse(await readFile(join(out, DEMO_MARKER), 'utf8')) as {
      schema?: unknown;
      entries?: unknown;
    };
    if (marker.schema !== SCHEMA || !Array.isArray(marker.entries)) return undefined;
    // Only names the demo writes: a marker edited by hand cannot make it remove anything else.
    return marker.entries.filter((name): name is string =>
      (DEMO_ENTRIES as readonly string[]).includes(name as string),
    );
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Makes `out` ready for a demo run, or refuses (UserError) without touching anything. */
export async function prepareDemoFolder(out: string, shown: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(out);
  } catch (error) {
    if (errorCode(error) === 'ENOTDIR')
      throw new UserError(
        `--out ${shown} is a file, not a folder; pass a new or empty folder for the demo to write into.`,
      );
    if (errorCode(error) !== 'ENOENT') throw error;
    names = [];
  }
  if (names.length > 0) {
    const listed = await listedByMarker(out);
    if (!listed) {
      throw new UserError(
        `--out ${shown} is not empty and was not made by cairn demo (it has no ${DEMO_MARKER}), so nothing in it was touched; pass a new or empty folder, such as --out cairn-demo.`,
      );
    }
    for (const name of listed) await rm(join(out, name), { recursive: true, force: true });
  }
  await mkdir(out, { recursive: true });
  const marker = {
    schema: SCHEMA,
    note: 'made by cairn demo; a rerun removes only these entries',
    entries: DEMO_ENTRIES,
  };
  await writeFilesAtomic([{ path: join(out, DEMO_MARKER), data: `${JSON.stringify(marker, null, 2)}\n` }]);
}
