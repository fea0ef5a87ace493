import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../../../core/errors.ts';

/** test/fixtures/dvc, written by its generate.py (Python stdlib, DVC's algorithms transcribed). */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/dvc');

interface HashRecord {
  size: number;
  md5: string;
  md5_dos2unix_2x: string;
  md5_dos2unix_3x: string;
}

export interface Expected {
  hashing: Record<string, HashRecord>;
  recipes: Record<string, HashRecord>;
  manifest_escapes: { entries: Record<string, string>; text: string; id: string };
  outputs: Record<string, { md5: string; size: number; nfiles?: number; entries?: Record<string, string> }>;
}

export const expected: Expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

/** For assert.throws / assert.rejects: a UserError whose message matches every pattern. */
export function userError(...patterns: RegExp[]) {
  return (error: unknown) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  };
}

/** A temporary folder for one test file; `cleanup` removes it. */
export function tempFolder(prefix = 'cairn-dvc-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
