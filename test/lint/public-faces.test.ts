/**
 * Each core package has one public face, its index.ts, and eslint.config.js keeps it so: a deep
 * import from a front door, or from one core package into another, fails `npm run lint` (and CI).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';

const root = resolve(import.meta.dirname, '../..');
const FACE_RULE = 'no-restricted-imports';
/** The same rule for `import()`, which no-restricted-imports does not see. */
const DYNAMIC_FACE_RULE = 'no-restricted-syntax';
// Only the face rules run: what the other rules think of a two-line snippet is beside the point.
const eslint = new ESLint({
  cwd: root,
  ruleFilter: ({ ruleId }) => ruleId === FACE_RULE || ruleId === DYNAMIC_FACE_RULE,
});

/** The face-rule messages ESLint reports for `source` linted as if it were the file at `filePath`. */
async function faceProblems(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(root, filePath) });
  return result.messages.map((message) => `${message.ruleId ?? 'parse'}: ${message.message}`);
}

// Existing files, so the snippet is linted under the same config as the code it stands for.
const deepImports = [
  {
    door: 'app',
    filePath: 'app/registry-check.ts',
    source: "import { upsertStickyComment } from '../core/github/sticky-comment.ts';\nvoid upsertStickyComment;\n",
  },
  {
    door: 'actions',
    filePath: 'actions/deploy/run.ts',
    source: "import { withKeyLock } from '../../core/store/internal/file-lock.ts';\nvoid withKeyLock;\n",
  },
  { door: 'cli', filePath: 'cli/commands/push.ts', source: "export { pushPath } from '../../core/store/push.ts';\n" },
  {
    door: 'runner',
    filePath: 'runner/start.ts',
    source: "import { createJitRunner } from '../core/github/runners.ts';\nvoid createJitRunner;\n",
  },
  {
    door: 'a core package',
    filePath: 'core/report/comment.ts',
    source: "import type { MetricsReport } from '../metrics/types.ts';\nexport type Report = MetricsReport;\n",
  },
];

describe('the public-face lint rule', () => {
  for (const { door, filePath, source } of deepImports) {
    test(`fails a deep import into a core package from ${door}`, async () => {
      const problems = await faceProblems(filePath, source);
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0], new RegExp(`^${FACE_RULE}: .*index\\.ts, its one public face`));
    });
  }

  test('fails a deep import written ./../core/..., and a deep dynamic import()', async () => {
    const written = await faceProblems(
      'cli/commands/push.ts',
      "export { pushPath } from './../../core/store/push.ts';\n",
    );
    assert.equal(written.length, 1, written.join('\n'));
    const dynamic = await faceProblems(
      'cli/run.ts',
      "export const load = () => import('../core/store/internal/file-lock.ts');\n",
    );
    assert.equal(dynamic.length, 1, dynamic.join('\n'));
    assert.match(dynamic[0], new RegExp(`^${DYNAMIC_FACE_RULE}: .*index\\.ts, its one public face`));
    const face = await faceProblems('cli/run.ts', "export const load = () => import('../core/store/index.ts');\n");
    assert.deepEqual(face, []);
  });

  test("passes a package's index.ts and a one-file module in core/", async () => {
    const source = [
      "import { upsertStickyComment } from '../core/github/index.ts';",
      "import { UserError } from '../core/errors.ts';",
      'void upsertStickyComment;',
      'void UserError;',
      '',
    ].join('\n');
    assert.deepEqual(await faceProblems('app/registry-check.ts', source), []);
  });

  test("passes a package's own files, internal/ included", async () => {
    const source = "import { withKeyLock } from './internal/file-lock.ts';\nvoid withKeyLock;\n";
    assert.deepEqual(await faceProblems('core/store/pull.ts', source), []);
  });

  // A package added later (runner's helpers, drift) is under the rule as soon as it has a folder.
  const packages = readdirSync(join(root, 'core'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  for (const name of packages) {
    test(`core/${name} has its index.ts and is guarded from the other packages`, async () => {
      assert.ok(existsSync(join(root, 'core', name, 'index.ts')), `core/${name}/index.ts is missing`);
      const other = name === 'report' ? 'core/metrics/gate.ts' : 'core/report/comment.ts';
      const problems = await faceProblems(other, `export * from '../${name}/internal/anything.ts';\n`);
      assert.equal(problems.length, 1, `a deep import into core/${name} from ${other} is not reported`);
    });
  }

  test('passes on the tree', async () => {
    const results = await eslint.lintFiles(['actions', 'app', 'cli', 'core']);
    const problems = results.flatMap((result) =>
      result.messages.map((message) => `${result.filePath}:${message.line}: ${message.message}`),
    );
    assert.deepEqual(problems, []);
  });
});
