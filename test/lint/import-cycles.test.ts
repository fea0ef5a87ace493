/**
 * No module imports itself round a loop, type-only imports included: a loop means neither side can
 * be read (or changed) without the other, and at run time the one loaded second sees the first
 * half-initialised. The app once had registry-source.ts <-> runtime.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*'(\.{1,2}\/[^']+\.ts)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** One loop per loop found, as `a.ts -> b.ts -> a.ts`; depth-first, so every cycle shows at least one. */
function importCycles(folders: readonly string[]): string[] {
  const imports = new Map<string, string[]>();
  for (const file of folders.flatMap((folder) => sourceFiles(join(root, folder)))) {
    const targets = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => resolve(dirname(file), match[1]));
    imports.set(file, targets);
  }
  const done = new Set<string>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (done.has(file)) return;
    const at = path.indexOf(file);
    if (at >= 0) {
      cycles.push([...path.slice(at), file].map((f) => relative(root, f)).join(' -> '));
      return;
    }
    for (const target of imports.get(file) ?? []) if (imports.has(target)) visit(target, [...path, file]);
    done.add(file);
  };
  for (const file of imports.keys()) visit(file, []);
  return cycles;
}

for (const folder of ['app', 'actions', 'cli', 'core']) {
  test(`${folder}/ has no import cycle`, () => {
    assert.deepEqual(importCycles([folder]), []);
  });
}
