/** Finds the repository's workflow and action metadata files, and validates them with GitHub's own parser. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/index';
import { codeBlocks, DOC_FILES, isWorkflow } from '../support/markdown-blocks.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** `.github/workflows/*.yml` and every `examples/**\/.github/workflows/*.yml`, as repository-relative paths. */
export function workflowFiles(root = repoRoot): string[] {
  const found = yamlFiles(join(root, '.github/workflows'));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'node_modules' || !statSync(path).isDirectory()) continue;
      if (name === '.github') found.push(...yamlFiles(join(path, 'workflows')));
      else walk(path);
    }
  };
  walk(join(root, 'examples'));
  return found.map((path) => relative(root, path)).sort();
}

/** The yaml blocks of README.md and app/README.md that are whole workflows (`on` and `jobs`), by `README.md:LINE`. */
export function docWorkflows(root = repoRoot): Array<{ where: string; content: string }> {
  return DOC_FILES.flatMap((file) => codeBlocks(root, file))
    .filter(isWorkflow)
    .map((block) => ({ where: block.where, content: block.body }));
}

/** The root action.yml (setup) and actions/<name>/action.yml. */
export function actionFiles(root = repoRoot): string[] {
  const nested = readdirSync(join(root, 'actions'))
    .map((name) => `actions/${name}/action.yml`)
    .filter((path) => {
      try {
        return statSync(join(root, path)).isFile();
      } catch {
        return false;
      }
    });
  return ['action.yml', ...nested];
}

/** Every error GitHub's parser reports for a workflow: schema, expressions, and job graph (needs, cycles). */
export async function workflowErrors(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  // The conversion adds the checks the schema cannot express (job dependencies, matrix, ...).
  if (result.value) await convertWorkflowTemplate(result.context, result.value);
  return result.context.errors.getErrors().map((error) => error.message);
}

export function actionErrors(name: string, content: string): string[] {
  const result = parseAction({ name, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((error) => error.message);
}

export function read(path: string, root = repoRoot): string {
  return readFileSync(join(root, path), 'utf8');
}
