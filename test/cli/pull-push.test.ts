/**
 * `cairn push` and `cairn pull` as a user runs them (node dist/cli.js), against the file store and
 * a real S3 server (s3rver), and against the DVC fixtures (pointer files and remotes as DVC writes
 * them, test/fixtures/dvc/generate.py).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, tempDir } from '../support/cli.ts';
import { assertCliRefusal, listTree } from '../support/refusals.ts';
import { startS3Server, type S3Server } from '../support/s3-server.ts';

const FIXTURES = 'test/fixtures/dvc';

/** Every file under `root`, relative, sorted; `skip` filters names out. */
function listFiles(root: string, skip: (name: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (skip(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

function assertSameTree(actual: string, expected: string, skip?: (name: string) => boolean) {
  const files = listFiles(expected);
  assert.deepEqual(listFiles(actual, skip), files);
  for (const file of files)
    assert.deepEqual(readFileSync(join(actual, file)), readFileSync(join(expected, file)), file);
}

/** A folder of data: nested files, an empty file, a binary one. */
function makeData(dir: string): string {
  const data = join(dir, 'data');
  mkdirSync(join(data, 'images', 'cats'), { recursive: true });
  writeFileSync(join(data, 'train.csv'), 'a,b\n1,2\n3,4\n');
  writeFileSync(join(data, 'empty.txt'), '');
  writeFileSync(
    join(data, 'images', 'cats', 'cat.bin'),
    Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251)),
  );
  return data;
}

/** A fresh clone of the project: only the pointer file, as git would give it. */
function cloneWith(pointer: string): string {
  const clone = tempDir('cairn-clone-');
  cpSync(pointer, join(clone, 'data.dvc'));
  return clone;
}

const NO_SDK_WARNING = /NodeVersionSupportWarning/;

describe('cairn push / cairn pull with the file store', () => {
  let project: string;
  let remote: string;
  before(async () => {
    project = tempDir('cairn-project-');
    makeData(project);
    remote = join(tempDir('cairn-remote-'), 'store');
    const result = await runCli(['push', 'data', '--remote', remote], { cwd: project });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^Pushed data to file:\/\/.*: 3 files \(68\.4 KiB\); 3 uploaded \(68\.4 KiB\), 0 already there\. Wrote data\.dvc; commit it\.\n$/,
    );
  });

  test('push writes the .dvc file DVC would and the objects in the DVC 3 layout', () => {
    const pointer = readFileSync(join(project, 'data.dvc'), 'utf8');
    assert.match(
      pointer,
      /^outs:\n- md5: [0-9a-f]{32}\.dir\n {2}size: 70012\n {2}nfiles: 3\n {2}hash: md5\n {2}path: data\n$/,
    );
    const dirId = /md5: ([0-9a-f]{32})\.dir/.exec(pointer)![1];
    assert.ok(
      existsSync(join(remote, 'files', 'md5', dirId.slice(0, 2), `${dirId.slice(2)}.dir`)),
      'the .dir manifest is on the remote',
    );
    assert.equal(listFiles(join(remote, 'files', 'md5')).length, 4, '3 files and the manifest');
  });

  test('pull into a fresh clone gives the same bytes; --json reports what happened', async () => {
    const clone = cloneWith(join(project, 'data.dvc'));
    const cache = join(tempDir('cairn-cache-'), 'cache');
    const result = await runCli(['pull', 'data.dvc', '--remote', remote, '--cache', cache, '--json'], { cwd: clone });
    assert.equal(result.code, 0, result.stderr);
    assertSameTree(join(clone, 'data'), join(project, 'data'));
    const json = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(json).sort(), [
      'bytes',
      'downloaded',
      'elapsedMs',
      'files',
      'fromCache',
      'manifestHash',
      'outputs',
      'unchanged',
    ]);
    assert.deepEqual([json.files, json.bytes], [3, 70012]);
    assert.deepEqual(json.downloaded, { files: 3, bytes: 70012 });
    assert.deepEqual(json.unchanged, { files: 0, bytes: 0 });
    assert.match(json.manifestHash, /^[0-9a-f]{64}$/);
    assert.equal(json.outputs.length, 1);
    assert.deepEqual(
      { ...json.outputs[0], md5: undefined },
      { path: join(clone, 'data'), relpath: 'data', md5: undefined, isDir: true, files: 3, bytes: 70012 },
    );
    assert.match(
      result.stderr,
      /^pull: 3 files, 68\.4 KiB in .*; 68\.4 KiB downloaded \(.*\/s\)\n$/,
      'one final progress line in a log',
    );

    const again = await runCli(['pull', 'data.dvc', '--remote', remote, '--cache', cache, '--json', '-q'], {
      cwd: clone,
    });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '', '--quiet: no progress');
    const second = JSON.parse(again.stdout);
    assert.deepEqual(
      [second.unchanged, second.downloaded],
      [
        { files: 3, bytes: 70012 },
        { files: 0, bytes: 0 },
      ],
    );
    assert.equal(second.manifestHash, json.manifestHash, 'the same data, the same manifest hash');

    const other = cloneWith(join(project, 'data.dvc'));
    const fromCache = await runCli(['pull', 'data.dvc', '--remote', remote, '--cache', cache], { cwd: other });
    assert.equal(fromCache.code, 0, fromCache.stderr);
    assert.match(
      fromCache.stdout,
      /^Pulled data: 3 files \(68\.4 KiB\); 0 downloaded \(0 B\), 3 from the cache, in .*\.\n$/,
    );
    assertSameTree(join(other, 'data'), join(project, 'data'));
  });

  test('the cache defaults to $XDG_CACHE_HOME/cairn; a target may name the tracked path (data for data.dvc)', async () => {
    const clone = cloneWith(join(project, 'data.dvc'));
    const xdg = tempDir('cairn-xdg-');
    const result = await runCli(['pull', 'data', '--remote', remote], { cwd: clone, env: { XDG_CACHE_HOME: xdg } });
    assert.equal(result.code, 0, result.stderr);
    assertSameTree(join(clone, 'data'), join(project, 'data'));
    assert.ok(
      listFiles(join(xdg, 'cairn')).some((file) => file.startsWith(join('files', 'md5'))),
      'objects cached under $XDG_CACHE_HOME/cairn',
    );
  });

  test('pushing the .dvc file again uploads nothing; a changed file is refused until re-recorded', async () => {
    const again = await runCli(['push', 'data.dvc', '--remote', remote, '--json'], { cwd: project });
    assert.equal(again.code, 0, again.stderr);
    const json = JSON.parse(again.stdout);
    assert.deepEqual(
      [json.uploaded, json.skipped],
      [
        { files: 0, bytes: 0 },
        { files: 3, bytes: 70012 },
      ],
    );
    assert.equal(json.pushed[0].path, join(project, 'data.dvc'));

    const edited = tempDir('cairn-edited-');
    cpSync(project, edited, { recursive: true });
    writeFileSync(join(edited, 'data', 'train.csv'), 'a,b\n9,9\n');
    const refused = await runCli(['push', 'data.dvc', '--remote', remote], { cwd: edited });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /data has changed/);
    assert.match(refused.stderr, /Run `cairn push .*data` to record the new content/);
  });

  test('the DVC default remote in .dvc/config is used when --remote is absent, and --remote NAME picks a configured remote', async () => {
    const repo = tempDir('cairn-dvc-repo-');
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, '.dvc'));
    // Relative to the .dvc folder, as DVC writes a local remote's url.
    writeFileSync(
      join(repo, '.dvc', 'config'),
      `[core]\n    remote = local\n['remote "local"']\n    url = ${relative(join(repo, '.dvc'), remote)}\n['remote "empty"']\n    url = /nonexistent/cairn-remote\n`,
    );
    mkdirSync(join(repo, 'datasets'));
    cpSync(join(project, 'data.dvc'), join(repo, 'datasets', 'data.dvc'));
    const result = await runCli(['pull', 'datasets/data.dvc', '--no-cache', '-v'], { cwd: repo });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /DVC default remote "local" \(.*\.dvc\/config\)/);
    assertSameTree(join(repo, 'datasets', 'data'), join(project, 'data'));

    const named = await runCli(['pull', 'datasets/data.dvc', '--no-cache', '--remote', 'empty'], { cwd: repo });
    assert.equal(named.code, 2);
    assert.match(named.stderr, /DVC remote "empty"/);
    assert.match(named.stderr, /not a folder on this machine/);
  });

  test('a file whose name is 250 bytes is pushed and pulled: the temporary names beside it are shortened to fit', async () => {
    const name = `${'n'.repeat(246)}.csv`;
    const dir = tempDir('cairn-long-name-');
    writeFileSync(join(dir, name), 'a,b\n1,2\n');
    const pushed = await runCli(['push', name, '--remote', 'remote', '-q'], { cwd: dir });
    assert.equal(pushed.code, 0, pushed.stderr);
    const clone = tempDir('cairn-long-clone-');
    cpSync(join(dir, `${name}.dvc`), join(clone, `${name}.dvc`));
    const pulled = await runCli(['pull', `${name}.dvc`, '--remote', join(dir, 'remote'), '--no-cache', '-q'], {
      cwd: clone,
    });
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal(readFileSync(join(clone, name), 'utf8'), 'a,b\n1,2\n');
  });

  /** Run in a fresh clone holding data.dvc; a row may add files first. Nothing may be written there. */
  const pullRefusals: Array<[string, (cwd: string) => string[], RegExp]> = [
    ['a missing target', () => ['nope.dvc', '--remote', '.'], /nope\.dvc does not exist/],
    [
      'a file that is not a pointer',
      (cwd) => (writeFileSync(join(cwd, 'notes.txt'), 'hi'), ['notes.txt', '--remote', '.']),
      /not a DVC pointer file/,
    ],
    [
      'an unknown remote (no such folder, no such DVC remote)',
      () => ['data.dvc', '--remote', 'nosuch'],
      /the remote nosuch \(--remote\) is not a folder on this machine .*name of a remote in \.dvc\/config/,
    ],
    ['an unsupported remote', () => ['data.dvc', '--remote', 'gs://bucket/dvc'], /gs:\/\/ stores are not supported/],
    ['no remote configured', () => ['data.dvc'], /no remote to use for .*: pass --remote .*dvc remote add -d/],
    ['no target', () => ['--remote', '.'], /name what to pull/],
    ['--cache with --no-cache', () => ['data.dvc', '--cache', 'c', '--no-cache'], /contradict/],
    ['a bad --jobs', () => ['data.dvc', '--remote', '.', '--jobs', '0'], /--jobs must be a positive integer/],
    [
      'a default remote that is not defined',
      (cwd) => (
        mkdirSync(join(cwd, '.dvc')),
        writeFileSync(join(cwd, '.dvc', 'config'), '[core]\nremote = gone\n'),
        ['data.dvc']
      ),
      /\.dvc\/config sets the default remote "gone"/,
    ],
    [
      '--cache is a file',
      (cwd) => (writeFileSync(join(cwd, 'cache'), 'mine'), ['data.dvc', '--remote', remote, '--cache', 'cache']),
      /--cache cache is a file, not a folder/,
    ],
    [
      '--cache under a file',
      (cwd) => (
        writeFileSync(join(cwd, 'cache'), 'mine'),
        ['data.dvc', '--remote', remote, '--cache', 'cache/objects']
      ),
      /--cache cache\/objects cannot be written: .*cache is a file, not a folder/,
    ],
    [
      '--cache names a folder over 255 bytes',
      () => ['data.dvc', '--remote', remote, '--cache', 'c'.repeat(256)],
      /--cache c+: the folder name is longer than 255 bytes/,
    ],
    [
      'a folder where a pulled file goes',
      (cwd) => (
        mkdirSync(join(cwd, 'data', 'train.csv'), { recursive: true }),
        ['data.dvc', '--remote', remote, '--no-cache']
      ),
      /data\/train\.csv is a folder, where .* should be a file/,
    ],
    ['an unknown option', () => ['data.dvc', '--remotes', '.'], /--remotes/],
  ];
  for (const [name, args, message] of pullRefusals) {
    test(`pull: exit 2 with a clear message and nothing written: ${name}`, async () => {
      const clone = cloneWith(join(project, 'data.dvc'));
      const argv = args(clone);
      const before = listTree(clone);
      const result = await runCli(['pull', ...argv], { cwd: clone });
      assertCliRefusal(result, { message }, name);
      assert.equal(result.stdout, '');
      assert.deepEqual(listTree(clone), before);
    });
  }

  /** Run in a fresh folder; the remote is in it (`remote`), so nothing uploaded is checked with the rest. */
  const pushRefusals: Array<[string, (cwd: string) => string[], RegExp]> = [
    ['no path', () => ['--remote', 'remote'], /name what to push/],
    ['a missing path', () => ['missing', '--remote', 'remote'], /missing does not exist/],
    [
      'a folder where the pointer file goes',
      (cwd) => (makeData(cwd), mkdirSync(join(cwd, 'data.dvc')), ['data', '--remote', 'remote']),
      /the pointer file data\.dvc is a folder, where a file is to be written/,
    ],
    [
      'a name whose pointer file would be over 255 bytes',
      (cwd) => (writeFileSync(join(cwd, 'p'.repeat(252)), 'x'), ['p'.repeat(252), '--remote', 'remote']),
      /the pointer file p+\.dvc: the file name is longer than 255 bytes/,
    ],
    [
      'a folder where the .gitignore goes (in a git repository)',
      (cwd) => (
        git(cwd, 'init', '-q'),
        makeData(cwd),
        mkdirSync(join(cwd, '.gitignore')),
        ['data', '--remote', 'remote']
      ),
      /\.gitignore is not a file, but cairn push records the data in it/,
    ],
    [
      'a file where .dvc goes (in a git repository)',
      (cwd) => (
        git(cwd, 'init', '-q'),
        makeData(cwd),
        writeFileSync(join(cwd, '.dvc'), 'mine'),
        ['data', '--remote', 'remote']
      ),
      /\.dvc is not a folder, but DVC keeps its config in a \.dvc folder/,
    ],
    [
      '--model without --version',
      (cwd) => (writeFileSync(join(cwd, 'model.onnx'), 'm'), ['model.onnx', '--model', 'churn', '--remote', 'remote']),
      /--model and --version go together/,
    ],
    [
      'a bad --jobs',
      (cwd) => (makeData(cwd), ['data', '--remote', 'remote', '--jobs', 'many']),
      /--jobs must be a positive integer/,
    ],
    ['an unknown option', () => ['data', '--remotes', 'remote'], /--remotes/],
  ];
  for (const [name, args, message] of pushRefusals) {
    test(`push: exit 2 with a clear message and nothing written: ${name}`, async () => {
      const dir = tempDir('cairn-push-refused-');
      const argv = args(dir);
      const before = listTree(dir);
      const result = await runCli(['push', ...argv], { cwd: dir });
      assertCliRefusal(result, { message }, name);
      assert.equal(result.stdout, '');
      assert.deepEqual(listTree(dir), before);
    });
  }

  test('a model file: pushed by sha256 under models/, re-pushed as a no-op, other bytes refused', async () => {
    const dir = tempDir('cairn-model-');
    writeFileSync(join(dir, 'model.onnx'), 'not really onnx, but bytes');
    const models = join(dir, 'remote');
    const pushed = await runCli(
      ['push', 'model.onnx', '--model', 'churn', '--version', 'v1.2.0', '--remote', models, '--json'],
      { cwd: dir },
    );
    assert.equal(pushed.code, 0, pushed.stderr);
    const { pointer, uploaded } = JSON.parse(pushed.stdout);
    assert.equal(uploaded, true);
    assert.deepEqual(
      [pointer.name, pointer.version, pointer.size, pointer.filename],
      ['churn', 'v1.2.0', 26, 'model.onnx'],
    );
    assert.ok(statSync(join(models, ...pointer.key.split('/'))).isFile());
    assert.ok(existsSync(join(models, 'models', 'churn', 'versions', 'v1.2.0.json')));

    const again = await runCli(['push', 'model.onnx', '--model', 'churn', '--version', 'v1.2.0', '--remote', models], {
      cwd: dir,
    });
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /^Pushed churn@v1\.2\.0 \(model\.onnx, sha256 [0-9a-f]{12}\) to file:.*: the bytes were already there/,
    );

    writeFileSync(join(dir, 'model.onnx'), 'retrained');
    const refused = await runCli(
      ['push', 'model.onnx', '--model', 'churn', '--version', 'v1.2.0', '--remote', models],
      { cwd: dir },
    );
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /v1\.2\.0/);

    const half = await runCli(['push', 'model.onnx', '--model', 'churn', '--remote', models], { cwd: dir });
    assert.equal(half.code, 2);
    assert.match(half.stderr, /--model and --version go together/);
  });
});

/** git, with an identity so commits work on a bare CI machine. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Cairn Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
    { cwd, encoding: 'utf8' },
  );
}

describe('cairn push in a git repository: the data ignored, the remote recorded, a clone pulls with only Cairn', () => {
  test('push, commit, clone: `cairn pull data.dvc` with no --remote brings the same bytes', async () => {
    const project = tempDir('cairn-git-project-');
    git(project, 'init', '-q');
    makeData(project);
    const remote = join(tempDir('cairn-git-remote-'), 'store');
    const pushed = await runCli(['push', 'data', '--remote', remote], { cwd: project });
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /Wrote data\.dvc, \.gitignore, \.dvc\/config, \.dvc\/\.gitignore; commit them\.\n$/);
    assert.equal(readFileSync(join(project, '.gitignore'), 'utf8'), '/data\n');
    assert.equal(
      readFileSync(join(project, '.dvc', 'config'), 'utf8'),
      `[core]\n    remote = cairn\n['remote "cairn"']\n    url = ${remote}\n`,
    );
    assert.equal(readFileSync(join(project, '.dvc', '.gitignore'), 'utf8'), '/config.local\n/tmp\n/cache\n');

    git(project, 'add', '-A');
    assert.deepEqual(
      git(project, 'diff', '--cached', '--name-only').trim().split('\n').sort(),
      ['.dvc/.gitignore', '.dvc/config', '.gitignore', 'data.dvc'],
      'git tracks the pointer, not the data',
    );
    git(project, 'commit', '-q', '-m', 'data');
    const clone = join(tempDir('cairn-git-clone-'), 'clone');
    git(project, 'clone', '-q', project, clone);
    const pulled = await runCli(['pull', 'data.dvc', '--no-cache'], { cwd: clone });
    assert.equal(pulled.code, 0, pulled.stderr);
    assertSameTree(join(clone, 'data'), join(project, 'data'));
    assert.equal(git(clone, 'status', '--porcelain'), '', 'the pulled data is ignored');
  });

  test('.gitignore gains the line once across two pushes; an existing default remote is kept; a URL with credentials is not written', async () => {
    const project = tempDir('cairn-git-project-');
    git(project, 'init', '-q');
    makeData(project);
    writeFileSync(join(project, '.gitignore'), 'node_modules');
    mkdirSync(join(project, '.dvc'));
    const config = `[core]\n    remote = storage\n['remote "storage"']\n    url = s3://team-bucket/dvc\n`;
    writeFileSync(join(project, '.dvc', 'config'), config);
    const remote = join(tempDir('cairn-git-remote-'), 'store');
    for (let run = 0; run < 2; run++) {
      const pushed = await runCli(['push', 'data', '--remote', remote], { cwd: project });
      assert.equal(pushed.code, 0, pushed.stderr);
    }
    assert.equal(readFileSync(join(project, '.gitignore'), 'utf8'), 'node_modules\n/data\n');
    assert.equal(readFileSync(join(project, '.dvc', 'config'), 'utf8'), config, 'the default remote is left alone');
    assert.equal(existsSync(join(project, '.dvc', '.gitignore')), false);

    const fresh = tempDir('cairn-git-project-');
    git(fresh, 'init', '-q');
    makeData(fresh);
    const secret = await runCli(['push', 'data', '--remote', 's3://AKIAEXAMPLE:hunter2@bucket/dvc'], { cwd: fresh });
    assert.equal(secret.code, 2, 'refused before anything is uploaded or written');
    assert.equal(existsSync(join(fresh, '.dvc')), false, 'no .dvc/config with the credentials');
    assert.doesNotMatch(secret.stderr, /hunter2/);
  });
});

describe('cairn pull never overwrites a file changed in the workspace', () => {
  test('an edited file stays, exit 2 naming it and --force, no stack trace; --force replaces it', async () => {
    const project = tempDir('cairn-edit-project-');
    makeData(project);
    const remote = join(tempDir('cairn-edit-remote-'), 'store');
    assert.equal((await runCli(['push', 'data', '--remote', remote], { cwd: project })).code, 0);
    const clone = cloneWith(join(project, 'data.dvc'));
    const cache = join(tempDir('cairn-cache-'), 'cache');
    const first = await runCli(['pull', 'data.dvc', '--remote', remote, '--cache', cache], { cwd: clone });
    assert.equal(first.code, 0, first.stderr);

    rmSync(join(clone, 'data', 'train.csv'));
    writeFileSync(join(clone, 'data', 'train.csv'), 'a,b\nmy,edit\n');
    const refused = await runCli(['pull', 'data.dvc', '--remote', remote, '--cache', cache], { cwd: clone });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /data\/train\.csv \(.*data\.dvc\).*Nothing was written.*--force/);
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(readFileSync(join(clone, 'data', 'train.csv'), 'utf8'), 'a,b\nmy,edit\n');

    const forced = await runCli(['pull', 'data.dvc', '--remote', remote, '--cache', cache, '--force'], { cwd: clone });
    assert.equal(forced.code, 0, forced.stderr);
    assertSameTree(join(clone, 'data'), join(project, 'data'));
  });
});

describe('cairn pull of the DVC fixtures (pointers and remotes as DVC writes them)', () => {
  test('every .dvc file and the dvc.lock, from a remote holding the 3.x and 2.x layouts, gives the workspace byte for byte', async () => {
    const dir = tempDir('cairn-fixture-');
    const repo = join(dir, 'repo');
    cpSync(join(FIXTURES, 'repo'), repo, { recursive: true });
    // A DVC 3 remote that a DVC 2 project once pushed to: both layouts side by side.
    cpSync(join(FIXTURES, 'remote-3x'), join(dir, 'remote'), { recursive: true });
    cpSync(join(FIXTURES, 'remote-2x'), join(dir, 'remote'), { recursive: true });
    const result = await runCli(
      ['pull', 'data.txt.dvc', 'foobar.dvc', 'legacy.dvc', 'dvc.lock', '--remote', '../remote', '--no-cache', '--json'],
      { cwd: repo },
    );
    assert.equal(result.code, 0, result.stderr);
    assertSameTree(repo, join(FIXTURES, 'workspace'), (name) => name.endsWith('.dvc') || name === 'dvc.lock');
    const json = JSON.parse(result.stdout);
    assert.deepEqual(
      json.outputs.map((output: { relpath: string }) => output.relpath),
      ['data.txt', 'foobar', 'legacy', 'prepared', 'model.bin', 'metrics.json'],
    );
    assert.equal(json.files, listFiles(join(FIXTURES, 'workspace')).length);
  });
});

describe('cairn pull refuses what it must not write: exit 2, a message naming the pointer, nothing written', () => {
  function fixture(): string {
    const dir = tempDir('cairn-refuse-');
    cpSync(join(FIXTURES, 'repo'), join(dir, 'repo'), { recursive: true });
    cpSync(join(FIXTURES, 'remote-3x'), join(dir, 'remote'), { recursive: true });
    return join(dir, 'repo');
  }
  const cases: Array<{ name: string; setup: (repo: string) => string[]; message: RegExp }> = [
    {
      name: 'targets whose outputs overlap (the folder foobar, and foobar/foo from another pointer)',
      setup: (repo) => {
        writeFileSync(
          join(repo, 'foobar.foo.dvc'),
          'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: foobar/foo\n',
        );
        return ['foobar.dvc', 'foobar.foo.dvc'];
      },
      message: /the outputs foobar \(.*foobar\.dvc\) and foobar\/foo \(.*foobar\.foo\.dvc\) overlap/,
    },
    {
      name: 'a pointer that writes into .git (as git reads .GIT on macOS and Windows)',
      setup: (repo) => {
        writeFileSync(
          join(repo, 'hook.dvc'),
          'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: .GIT/hooks/post-checkout\n',
        );
        return ['data.txt.dvc', 'hook.dvc'];
      },
      message: /refused path "\.GIT\/hooks\/post-checkout" in .*hook\.dvc: its segment "\.GIT" names a \.git folder/,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const repo = fixture();
      const targets = c.setup(repo);
      const before = listFiles(repo);
      const result = await runCli(['pull', ...targets, '--remote', '../remote', '--no-cache'], { cwd: repo });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, c.message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(listFiles(repo), before, 'nothing written');
    });
  }
});

describe('cairn push / cairn pull with S3 (s3rver)', () => {
  let server: S3Server;
  before(async () => {
    server = await startS3Server();
  });
  after(() => server.close());

  test('push a folder to s3://, pull it into a fresh clone; the SDK prints no Node version warning', async () => {
    const project = tempDir('cairn-s3-project-');
    makeData(project);
    const uri = `s3://${server.bucket}/teams/ml/dvc`;
    const pushed = await runCli(['push', 'data', '--remote', uri], { cwd: project, env: server.env });
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /^Pushed data to s3:\/\/cairn-test\/teams\/ml\/dvc: 3 files/);

    const clone = cloneWith(join(project, 'data.dvc'));
    const pulled = await runCli(['pull', 'data.dvc', '--remote', uri, '--no-cache', '--json'], {
      cwd: clone,
      env: server.env,
    });
    assert.equal(pulled.code, 0, pulled.stderr);
    assertSameTree(join(clone, 'data'), join(project, 'data'));
    assert.deepEqual(JSON.parse(pulled.stdout).downloaded, { files: 3, bytes: 70012 });
    // On Node < 22 the AWS SDK warns on every client it builds unless the front door turned it off.
    for (const run of [pushed, pulled]) assert.doesNotMatch(run.stderr, NO_SDK_WARNING);
  });

  test('the endpoint may come from the DVC remote (endpointurl) instead of AWS_ENDPOINT_URL', async () => {
    const project = tempDir('cairn-s3-endpoint-');
    makeData(project);
    const uri = `s3://${server.bucket}/endpointurl`;
    const pushed = await runCli(['push', 'data', '--remote', uri], { cwd: project, env: server.env });
    assert.equal(pushed.code, 0, pushed.stderr);
    const repo = tempDir('cairn-s3-repo-');
    mkdirSync(join(repo, '.dvc'));
    writeFileSync(
      join(repo, '.dvc', 'config'),
      `[core]\n    remote = minio\n['remote "minio"']\n    url = ${uri}\n    endpointurl = ${server.endpoint}\n`,
    );
    cpSync(join(project, 'data.dvc'), join(repo, 'data.dvc'));
    const { AWS_ENDPOINT_URL: _endpoint, ...credentials } = server.env;
    const pulled = await runCli(['pull', 'data.dvc', '--no-cache'], { cwd: repo, env: credentials });
    assert.equal(pulled.code, 0, pulled.stderr);
    assertSameTree(join(repo, 'data'), join(project, 'data'));
  });
});
