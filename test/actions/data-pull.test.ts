import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { inputEnv, runBundledAction, runnerFiles } from '../support/action-runner.ts';
import { assertStepRefusal, listTree } from '../support/refusals.ts';

const BUNDLE = resolve('dist/data-pull.js');
const FIXTURES = resolve('test/fixtures/dvc');

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Runs dist/data-pull.js as the runner does: started in GITHUB_WORKSPACE, which holds a checkout of
 * the fixture repository (pointer files only) and, beside it, a file remote with both DVC layouts.
 */
async function dataPullStep(inputs: Record<string, string>, setup: (workspace: string) => void = () => {}) {
  const runner = runnerFiles({ repository: 'acme/churn', eventName: 'push', sha: 'b'.repeat(40) });
  const workspace = join(runner.dir, 'checkout');
  cpSync(join(FIXTURES, 'repo'), workspace, { recursive: true });
  cpSync(join(FIXTURES, 'remote-3x'), join(runner.dir, 'remote'), { recursive: true });
  cpSync(join(FIXTURES, 'remote-2x'), join(runner.dir, 'remote'), { recursive: true });
  setup(workspace);
  const before = listTree(runner.dir);
  const env = {
    ...runner.env,
    GITHUB_WORKSPACE: workspace,
    ...inputEnv({ targets: 'dvc.lock', jobs: '16', cache: 'false', ...inputs }),
  };
  const result = await runBundledAction(BUNDLE, env, { cwd: workspace });
  return { ...result, runner, workspace, before, outputs: runner.outputs() };
}

describe('actions/data-pull (dist/data-pull.js, run as the runner runs it)', () => {
  test('pulls every target, byte for byte; outputs and the job summary say what and how much', async () => {
    const step = await dataPullStep({ targets: 'data.txt.dvc\nfoobar.dvc, legacy.dvc\ndvc.lock', remote: '../remote' });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    const expected = listFiles(join(FIXTURES, 'workspace'));
    for (const file of expected)
      assert.deepEqual(readFileSync(join(step.workspace, file)), readFileSync(join(FIXTURES, 'workspace', file)), file);

    const outputs = ['data.txt', 'foobar', 'legacy', 'prepared', 'model.bin', 'metrics.json'];
    assert.deepEqual(
      step.outputs.paths.split('\n'),
      outputs.map((path) => join(step.workspace, path)),
    );
    assert.equal(step.outputs.files, String(expected.length));
    const bytes = expected.reduce((sum, file) => sum + readFileSync(join(FIXTURES, 'workspace', file)).length, 0);
    assert.equal(step.outputs.bytes, String(bytes));
    assert.match(step.outputs['manifest-hash'], /^[0-9a-f]{64}$/);

    const summary = step.runner.summary();
    assert.ok(summary.startsWith(`### Data pulled: ${expected.length} files (180 B)\n`), summary);
    assert.match(summary, /\| `foobar\/` \| 2 \| 6 B \| `5ea40360f5b4ec688df672a4db9c17d1\.dir` \|/);
    assert.match(
      summary,
      new RegExp(`Downloaded ${expected.length} files \\(180 B\\), 0 from the cache, 0 already in place`),
    );
    assert.match(summary, new RegExp(`Manifest hash \`${step.outputs['manifest-hash']}\``));
    assert.doesNotMatch(step.stdout, /::warning::|::error::/);
  });

  test('the manifest hash follows the data: same pointers, same hash; a changed pointer, another', async () => {
    const first = await dataPullStep({ targets: 'foobar.dvc', remote: '../remote' });
    const second = await dataPullStep({ targets: 'foobar.dvc', remote: '../remote' });
    const other = await dataPullStep({ targets: 'data.txt.dvc', remote: '../remote' });
    for (const step of [first, second, other]) assert.equal(step.code, 0, step.stdout);
    assert.equal(first.outputs['manifest-hash'], second.outputs['manifest-hash']);
    assert.notEqual(first.outputs['manifest-hash'], other.outputs['manifest-hash']);
  });

  test('without a remote input, the DVC default remote in .dvc/config is used', async () => {
    const step = await dataPullStep({ targets: 'foobar.dvc' }, (workspace) => {
      mkdirSync(join(workspace, '.dvc'));
      writeFileSync(
        join(workspace, '.dvc', 'config'),
        '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = ../../remote\n',
      );
    });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.equal(readFileSync(join(step.workspace, 'foobar', 'foo'), 'utf8'), 'foo');
    assert.match(step.runner.summary(), /DVC default remote "storage"/);
  });

  const pointer = (path: string) =>
    `outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: ${path}\n`;
  const failures: Array<[string, Record<string, string>, RegExp, ((workspace: string) => void)?]> = [
    ['a missing target', { targets: 'data.txt.dvc, missing.dvc', remote: '../remote' }, /missing\.dvc does not exist/],
    ['no remote anywhere', { targets: 'foobar.dvc' }, /no remote to use for .*: pass the `remote` input/],
    [
      'a remote folder that is not there',
      { targets: 'foobar.dvc', remote: '../no-such-remote' },
      /is not a folder on this machine/,
    ],
    [
      'a bad cache input',
      { targets: 'foobar.dvc', remote: '../remote', cache: 'yes' },
      /input cache must be one of true, false; got "yes"/,
    ],
    [
      'targets whose outputs overlap',
      { targets: 'data.txt.dvc, foobar.dvc, foobar.foo.dvc', remote: '../remote' },
      /the outputs foobar \(.*\) and foobar\/foo \(.*\) overlap/,
      (workspace) => writeFileSync(join(workspace, 'foobar.foo.dvc'), pointer('foobar/foo')),
    ],
    [
      'a pointer that writes into .git (git~1, its Windows short name)',
      { targets: 'data.txt.dvc, hook.dvc', remote: '../remote' },
      /its segment "git~1" names a \.git folder/,
      (workspace) => writeFileSync(join(workspace, 'hook.dvc'), pointer('git~1/hooks/post-checkout')),
    ],
    [
      'a remote URL with a password in it, named without it',
      { targets: 'foobar.dvc', remote: 'https://AKIA:s3cretPa55@minio.example.com/b' },
      /unsupported remote "https:\/\/\*\*\*@minio\.example\.com\/b"/,
    ],
    [
      'a bad jobs input',
      { targets: 'foobar.dvc', remote: '../remote', jobs: '0' },
      /input jobs must be a positive integer/,
    ],
    [
      'a file changed in the workspace, without force: true',
      { targets: 'data.txt.dvc', remote: '../remote' },
      /the pull would overwrite a file changed in the workspace.*data\.txt.*pass force: true to replace it/,
      (workspace) => writeFileSync(join(workspace, 'data.txt'), 'my edit'),
    ],
    [
      'cache-dir: is a file',
      { targets: 'foobar.dvc', remote: '../remote', 'cache-dir': 'data.txt.dvc' },
      /cache-dir: data\.txt\.dvc is a file, not a folder/,
    ],
    [
      'cache-dir: under a file',
      { targets: 'foobar.dvc', remote: '../remote', 'cache-dir': 'data.txt.dvc/cache' },
      /cache-dir: data\.txt\.dvc\/cache cannot be written: .*data\.txt\.dvc is a file, not a folder/,
    ],
    [
      'cache-dir: names a folder over 255 bytes',
      { targets: 'foobar.dvc', remote: '../remote', 'cache-dir': 'c'.repeat(256) },
      /cache-dir: c+: the folder name is longer than 255 bytes/,
    ],
  ];
  for (const [name, inputs, message, setup] of failures) {
    test(`fails the step with the reason, and pulls nothing: ${name}`, async () => {
      const step = await dataPullStep(inputs, setup);
      assert.doesNotMatch(step.stdout + step.stderr, /s3cretPa55/);
      assertStepRefusal(step, message, name);
      assert.deepEqual(listTree(step.runner.dir), step.before, 'nothing pulled, not even the good target');
      assert.deepEqual(step.outputs, {});
    });
  }

  test('cache: true without the Actions cache service warns, fills the local cache and succeeds', async () => {
    const step = await dataPullStep({
      targets: 'foobar.dvc',
      remote: '../remote',
      cache: 'true',
      'cache-dir': '../cache',
    });
    assert.equal(step.code, 0, step.stdout + step.stderr);
    assert.match(step.stdout, /::warning::cache: true, but the Actions cache service is not available to this step/);
    assert.equal(readFileSync(join(step.workspace, 'foobar', 'bar'), 'utf8'), 'bar');
    assert.ok(
      listFiles(join(step.runner.dir, 'cache')).some((file) => file.startsWith(join('files', 'md5'))),
      'objects kept in cache-dir',
    );
    assert.match(step.runner.summary(), /Cache: the Actions cache service was not available to this step/);
  });
});
