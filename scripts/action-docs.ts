/**
 * Generates each action's inputs/outputs tables in README.md from its action.yml, so they are
 * written once (in action.yml) and never drift. Sections live between markers:
 *
 *   <!-- action-docs:<name>:start -->  ...generated...  <!-- action-docs:<name>:end -->
 *
 * <name> is `setup` for the root action.yml and the folder name for actions/<name>/action.yml.
 *
 *   tsx scripts/action-docs.ts --write   rewrite the stale sections of README.md
 *   tsx scripts/action-docs.ts --check   exit 1 listing stale sections (CI)
 *   options: --root DIR (default: the repository), --readme PATH (default: DIR/README.md)
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable } from 'markdown-table';
import { parse as parseYaml } from 'yaml';

/** Users pin the major tag; the release workflow moves `v1` to each 1.x release. */
const MAJOR_REF = 'v1';
const REPOSITORY = 'cairn-ml/cairn';

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string | number | boolean;
  deprecationMessage?: string;
}

interface ActionDefinition {
  name?: string;
  description?: string;
  inputs?: Record<string, ActionInput | null>;
  outputs?: Record<string, { description?: string } | null>;
}

export interface ActionFile {
  /** Marker name: `setup` for the root action, else the folder name. */
  name: string;
  /** Path relative to the root, e.g. `actions/evaluate/action.yml`. */
  path: string;
  /** What a workflow writes after `uses:`. */
  uses: string;
}

export async function findActions(root: string): Promise<ActionFile[]> {
  const found: ActionFile[] = [{ name: 'setup', path: 'action.yml', uses: `${REPOSITORY}@${MAJOR_REF}` }];
  const folders = await readdir(join(root, 'actions'), { withFileTypes: true }).catch(() => []);
  for (const folder of folders
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()) {
    const path = `actions/${folder}/action.yml`;
    if (
      await readFile(join(root, path)).then(
        () => true,
        () => false,
      )
    ) {
      found.push({ name: folder, path, uses: `${REPOSITORY}/actions/${folder}@${MAJOR_REF}` });
    }
  }
  return found;
}

/** A table cell: one line, pipes escaped, so any description stays inside its cell. */
function cell(text: string | undefined): string {
  return (text ?? '').trim().replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
}

export function renderActionDocs(action: ActionDefinition, uses: string): string {
  const parts = [`\`uses: ${uses}\``];
  if (action.description) parts.push(cell(action.description));
  const inputs = Object.entries(action.inputs ?? {});
  if (inputs.length > 0) {
    const rows = inputs.map(([id, input]) => {
      const description = input?.deprecationMessage
        ? `**Deprecated:** ${input.deprecationMessage} ${input.description ?? ''}`
        : input?.description;
      const fallback = input?.default === undefined || input.default === '' ? '' : `\`${cell(String(input.default))}\``;
      return [`\`${id}\``, cell(description), input?.required ? 'yes' : 'no', fallback];
    });
    parts.push(
      '**Inputs**',
      markdownTable([['Input', 'Description', 'Required', 'Default'], ...rows], { alignDelimiters: false }),
    );
  }
  const outputs = Object.entries(action.outputs ?? {});
  if (outputs.length > 0) {
    const rows = outputs.map(([id, output]) => [`\`${id}\``, cell(output?.description)]);
    parts.push('**Outputs**', markdownTable([['Output', 'Description'], ...rows], { alignDelimiters: false }));
  }
  return parts.join('\n\n');
}

const markers = (name: string) => [`<!-- action-docs:${name}:start -->`, `<!-- action-docs:${name}:end -->`] as const;

export interface DocsUpdate {
  text: string;
  /** Sections whose generated text differs from what README.md holds. */
  stale: string[];
  /** Actions with no markers in README.md: --write cannot place them. */
  missing: string[];
  /** Markers for actions that do not exist (a renamed or removed action). */
  unknown: string[];
}

export function updateReadme(readme: string, sections: Map<string, string>): DocsUpdate {
  const eol = readme.includes('\r\n') ? '\r\n' : '\n';
  let text = readme;
  const stale: string[] = [];
  const missing: string[] = [];
  for (const [name, body] of sections) {
    const [start, end] = markers(name);
    const from = text.indexOf(start);
    const to = text.indexOf(end, from);
    if (from < 0 || to < 0) {
      missing.push(name);
      continue;
    }
    const wanted = `${start}${eol}${body.replaceAll('\n', eol)}${eol}${end}`;
    if (text.slice(from, to + end.length) !== wanted) {
      stale.push(name);
      text = text.slice(0, from) + wanted + text.slice(to + end.length);
    }
  }
  const unknown = [...text.matchAll(/<!-- action-docs:([^:\s]+):start -->/g)]
    .map((m) => m[1])
    .filter((name) => !sections.has(name));
  return { text, stale, missing, unknown };
}

export async function generateSections(root: string): Promise<Map<string, string>> {
  const sections = new Map<string, string>();
  for (const action of await findActions(root)) {
    let definition: ActionDefinition;
    try {
      definition = parseYaml(await readFile(join(root, action.path), 'utf8')) as ActionDefinition;
    } catch (error) {
      // GitHub rejects such a file too; name it so the fix is obvious.
      throw new Error(`${action.path}: ${(error as Error).message}`, { cause: error });
    }
    sections.set(action.name, renderActionDocs(definition, action.uses));
  }
  return sections;
}

/** Returns the exit code: 0 when README.md is (now) fresh, 1 otherwise, 2 for bad usage. */
export async function main(argv: string[], print: (line: string) => void = console.error): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      write: { type: 'boolean' },
      check: { type: 'boolean' },
      root: { type: 'string' },
      readme: { type: 'string' },
    },
  });
  if (values.write === values.check) {
    print('usage: action-docs (--write | --check) [--root DIR] [--readme PATH]');
    return 2;
  }
  const root = resolve(values.root ?? join(fileURLToPath(import.meta.url), '../..'));
  const readmePath = resolve(values.readme ?? join(root, 'README.md'));
  let sections: Map<string, string>;
  try {
    sections = await generateSections(root);
  } catch (error) {
    print((error as Error).message);
    return 2;
  }
  let readme: string;
  try {
    readme = await readFile(readmePath, 'utf8');
  } catch (error) {
    print(`cannot read ${readmePath}: ${(error as Error).message}`);
    return 2;
  }
  const update = updateReadme(readme, sections);
  for (const name of update.missing) {
    const [start, end] = markers(name);
    print(`${readmePath}: no section for action "${name}"; add the lines ${start} and ${end} where its tables belong.`);
  }
  for (const name of update.unknown) print(`${readmePath}: section "${name}" names no action; remove its markers.`);
  if (values.write) {
    if (update.stale.length > 0) await writeFile(readmePath, update.text);
    for (const name of update.stale) print(`updated section "${name}" in ${readmePath}`);
  } else {
    for (const name of update.stale) print(`${readmePath}: section "${name}" is stale; run \`npm run docs\`.`);
  }
  const failed =
    update.missing.length > 0 || update.unknown.length > 0 || (values.check === true && update.stale.length > 0);
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
