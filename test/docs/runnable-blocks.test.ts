/**
 * Every shell block the READMEs mark `<!-- runnable -->` runs as a reader would run it: with bash
 * (-e, pipefail), from the root of a scratch copy of this repository (its tracked and unignored
 * files, committed to a fresh git repository, as a clone has them), with `cairn` on PATH as
 * `npm link` puts it, and must exit 0. The copy reuses the built dist/ and node_modules (links), so
 * a block costs its own commands and nothing else. HOME and TMPDIR are scratch folders: no cache or
 * git config of the machine's leaks in, and all a block made is removed after it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI, tempDir } from '../support/cli.ts';
import { codeBlocks, DOC_FILES, type CodeBlock } from '../support/markdown-blocks.ts';
import { repoRoot } from '../workflows/workflow-files.ts';

const SHELLS = ['sh', 'bash', 'shell', 'console'];
const IDENTITY = {
  GIT_AUTHOR_NAME: 'Cairn Reader',
  GIT_AUTHOR_EMAIL: 'reader@example.com',
  GIT_COMMITTER_NAME: 'Cairn Reader',
  GIT_COMMITTER_EMAIL: 'reader@example.com',
};

/** A scratch copy of the repository as a fresh git repository, and a PATH whose `cairn` is dist/cli.js. */
function scratchCopy(): { root: string; dir: string; env: NodeJS.ProcessEnv } {
  const root = tempDir('cairn-readme-');
  const dir = join(root, 'cairn');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(repoRoot, file))) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(dir, file));
  }
  for (const built of ['dist', 'node_modules']) symlinkSync(join(repoRoot, built), join(dir, built));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'cairn'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'cairn'), 0o755);
  const home = join(root, 'home');
  mkdirSync(home);
  const scratch = join(root, 'tmp'); // mktemp -d in a block lands here, and goes with the rest
  mkdirSync(scratch);
  const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: home, TMPDIR: scratch, TERM: 'dumb', ...IDENTITY };
  execFileSync('git', ['init', '-q'], { cwd: dir, env });
  execFileSync('git', ['add', '-A'], { cwd: dir, env });
  execFileSync('git', ['commit', '-qm', 'scratch copy'], { cwd: dir, env });
  return { root, dir, env };
}

function runBlock(block: Pick<CodeBlock, 'body'>): Promise<{ code: number; output: string }> {
  const { root, dir, env } = scratchCopy();
  return new Promise((done) => {
    execFile(
      'bash',
      ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', block.body],
      { cwd: dir, env, timeout: 120_000, maxBuffer: 32 << 20 },
      (error, stdout, stderr) => {
        rmSync(root, { recursive: true, force: true });
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

const blocks = DOC_FILES.flatMap((file) => codeBlocks(repoRoot, file));
const runnable = blocks.filter((block) => block.runnable);

describe('README blocks marked <!-- runnable -->', { timeout: 300_000 }, () => {
  test('the runner reports a failing command, as it must for the checks below to mean anything', async () => {
    const result = await runBlock({ body: 'cairn registry show --repo .\nfalse\necho unreachable\n' });
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.output, /unreachable/);
  });

  test('are found: the CLI on the demo files and the data push/pull in README.md, all shell', () => {
    assert.ok(
      runnable.filter((block) => block.where.startsWith('README.md:')).length >= 2,
      runnable.map((block) => block.where).join(', '),
    );
    for (const block of runnable)
      assert.ok(
        SHELLS.includes(block.lang),
        `${block.where} is marked runnable but is \`${block.lang}\`, not a shell block`,
      );
  });

  for (const block of runnable) {
    test(`${block.where} exits 0`, async () => {
      const result = await runBlock(block);
      assert.equal(
        result.code,
        0,
        `${block.where} failed (exit ${result.code}):\n${block.body}\n--- output ---\n${result.output}`,
      );
    });
  }
});
