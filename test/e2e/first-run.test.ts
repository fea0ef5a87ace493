/**
 * The README's first command as a new user runs it, on a clean checkout of this tree (node_modules
 * linked in place of `npm ci`): `npm run demo` builds and runs the demo, and what it prints is the
 * demo's own output. No bundler asset list, no dependency's warning, no npm warning, and the CPU
 * fallback said once, in one short line. Then the release's own stamping step, run on that
 * checkout, makes the build print the tag's version for `cairn --version`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { cleanCheckout, runInShell } from './support/clean-checkout.ts';

/** What a user would stop and wonder about. */
const WARNING = /warn|deprecat|EBADENGINE|Unknown (project|env|user|global|cli) config|npm error/i;
/** rolldown's CLI lists every file it wrote and how long it took; a dependency's direct eval is reported with a code frame. */
const BUNDLER_OUTPUT = /│ size:|\bFinished in\b|\[EVAL\]|direct `eval`/;

interface Step {
  name?: string;
  run?: string;
}

function releaseStep(name: string): Step {
  const workflow = parseYaml(readFileSync('.github/workflows/release.yml', 'utf8')) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  const step = Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .find((candidate) => candidate.name === name);
  assert.ok(step?.run, `release.yml has no step named "${name}" with a run`);
  return step;
}

describe('a first run from a clean checkout', { timeout: 180_000 }, () => {
  const root = cleanCheckout('cairn-first-run-');

  test('`npm run demo` prints the demo and no warning, asset list or long device line', async () => {
    const { code, output } = await runInShell('npm run demo', root);
    assert.equal(code, 0, output);
    const lines = output.split('\n');
    assert.deepEqual(
      lines.filter((line) => WARNING.test(line) || BUNDLER_OUTPUT.test(line)),
      [],
      'lines a user would wonder about',
    );
    assert.match(output, /^1\/7 pushing the example data/m, 'the demo ran');
    assert.match(output, /## ✅ churn: gate passed/, 'and printed its comment');
    assert.match(output, /^decision: promote: /m, 'and its retraining journey ended with champion vs challenger');
    const device = lines.filter((line) => line.startsWith('execution provider:'));
    assert.equal(device.length, 1, `the device choice once, for two evaluations:\n${device.join('\n')}`);
    assert.ok(device[0].length <= 100, `one short line: ${device[0]}`);
  });

  test("the release's stamping step makes the build print the tag's version", async () => {
    const stamp = await runInShell(releaseStep("Stamp the tag's version").run!, root, { TAG: 'v9.8.7-rc.1' });
    assert.equal(stamp.code, 0, stamp.output);
    const built = await runInShell('npm run build --silent && node dist/cli.js --version', root);
    assert.equal(built.code, 0, built.output);
    assert.equal(built.output, '9.8.7-rc.1\n', 'nothing but the version: the build is silent');
    assert.match(readFileSync(join(root, 'package.json'), 'utf8'), /"version": "9\.8\.7-rc\.1"/);

    const notSemver = await runInShell(releaseStep("Stamp the tag's version").run!, root, { TAG: 'v1.4' });
    assert.notEqual(notSemver.code, 0, 'a tag that is not semver stops the release');
  });
});
