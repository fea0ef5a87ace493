import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import packageJson from '../../../package.json' with { type: 'json' };
import { run } from '../../../actions/setup/run.ts';
import { runnerFiles } from '../../support/action-runner.ts';

const root = resolve(import.meta.dirname, '../../..');
const noGpu = async () => false;

describe('setup action, run as the runner runs it (node dist/setup.js)', () => {
  const files = runnerFiles();
  let result: ReturnType<typeof spawnSync>;
  before(() => {
    assert.ok(existsSync(join(root, 'dist/setup.js')), 'dist/setup.js is missing: run `npm run build` first');
    // A clean environment: only what the runner would set for this step, plus HOME for Node itself.
    result = spawnSync(process.execPath, [join(root, 'dist/setup.js')], {
      // INPUT_CUDA=false: on a GPU machine this test must not download the CUDA provider.
      env: { ...files.env, HOME: files.dir, PATH: '/usr/bin:/bin', INPUT_CUDA: 'false' },
      encoding: 'utf8',
    });
  });
  after(() => rmSync(files.dir, { recursive: true, force: true }));

  test('succeeds, adds one folder under RUNNER_TEMP to PATH and outputs the CLI version', () => {
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    const added = readFileSync(files.env.GITHUB_PATH, 'utf8').trim().split(/\r?\n/);
    assert.equal(added.length, 1);
    assert.ok(added[0].startsWith(files.dir), `${added[0]} is not under RUNNER_TEMP`);
    const outputs = files.outputs();
    assert.equal(outputs.version, packageJson.version);
    assert.equal(outputs.path, added[0]);
    assert.equal(outputs.cuda, 'not-needed');
  });

  test('a later step finds `cairn` on PATH with no `node` on PATH at all', () => {
    const binDir = readFileSync(files.env.GITHUB_PATH, 'utf8').trim();
    // PATH holds only the tool folder: the shim must name its Node binary itself.
    const cairn = spawnSync('cairn', ['--version'], { env: { PATH: binDir }, encoding: 'utf8' });
    assert.equal(cairn.error, undefined);
    assert.equal(cairn.status, 0, cairn.stderr);
    assert.equal(cairn.stdout.trim(), packageJson.version);
    const usage = spawnSync('cairn', ['no-such-command'], { env: { PATH: binDir }, encoding: 'utf8' });
    assert.equal(usage.status, 2, 'the shim passes the CLI exit code through');
  });
});

test('an unknown cuda input fails the step and names the input', () => {
  const files = runnerFiles();
  try {
    const result = spawnSync(process.execPath, [join(root, 'dist/setup.js')], {
      env: { ...files.env, HOME: files.dir, PATH: '/usr/bin:/bin', INPUT_CUDA: 'yes' },
      encoding: 'utf8',
    });
    assert.equal(result.status, 1);
    assert.match(result.stdout, /::error::input cuda must be one of auto, true, false; got "yes"/);
    assert.equal(readFileSync(files.env.GITHUB_PATH, 'utf8'), '', 'nothing was added to PATH');
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
});

describe('setup run()', () => {
  const saved = { ...process.env };
  let files: ReturnType<typeof runnerFiles>;
  before(() => {
    files = runnerFiles();
    Object.assign(process.env, files.env);
  });
  after(() => {
    process.env = saved; // core.addPath also prepends to this process's PATH
    rmSync(files.dir, { recursive: true, force: true });
  });

  test('passes arguments through the shim untouched, even with quotes and spaces in every path', () => {
    const dir = join(files.dir, `it's a "dir" with $HOME and %PATH%`);
    mkdirSync(dir);
    const cliPath = join(dir, 'cli.js');
    writeFileSync(
      cliPath,
      `if (process.argv[2] === '--version') console.log('9.9.9'); else console.log(JSON.stringify(process.argv.slice(2)));\n`,
    );
    return run({ cliPath, tempDir: files.dir, gpuPresent: noGpu }).then(({ version, binDir }) => {
      assert.equal(version, '9.9.9');
      const args = ['evaluate', '--gate', 'f1>=0.8, roc_auc>=baseline-0.01', "it's", '$HOME', ''];
      const out = spawnSync(join(binDir, 'cairn'), args, { encoding: 'utf8' });
      assert.deepEqual(JSON.parse(out.stdout), args);
      assert.equal(files.outputs().version, '9.9.9');
    });
  });

  test('names the missing CLI when the action has no built dist/', async () => {
    const cliPath = join(files.dir, 'nowhere', 'cli.js');
    await assert.rejects(run({ cliPath, tempDir: files.dir, gpuPresent: noGpu }), (error: Error) =>
      error.message.includes(cliPath),
    );
  });

  test('fails when the CLI cannot start (a broken release), quoting its stderr', async () => {
    const cliPath = join(files.dir, 'broken-cli.mjs');
    writeFileSync(cliPath, `import 'onnxruntime-node-not-installed';\n`);
    await assert.rejects(
      run({ cliPath, tempDir: files.dir, gpuPresent: noGpu }),
      /cairn --version` failed: .*onnxruntime-node-not-installed/s,
    );
  });
});
