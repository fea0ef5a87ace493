import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isUserError } from '../../../core/errors.ts';
import { memoryLogger } from '../../../core/logger.ts';
import { ensureCudaProvider, type CudaProviderOptions } from '../../../actions/setup/cuda-provider.ts';
import { onnxruntimePackageDir } from '../../../core/onnxruntime-files.ts';

const LIBRARY = ['bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so'];

/** A released action's layout: dist/cli.js next to dist/node_modules/onnxruntime-node with its install script. */
function fakeRelease(root: string, installScript: string) {
  const pkg = join(root, 'dist', 'node_modules', 'onnxruntime-node');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  mkdirSync(join(pkg, 'script'));
  mkdirSync(join(pkg, ...LIBRARY.slice(0, -1)), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'onnxruntime-node', main: 'dist/index.js' }));
  writeFileSync(join(pkg, 'dist', 'index.js'), '');
  writeFileSync(join(pkg, 'script', 'install.js'), installScript);
  writeFileSync(join(root, 'dist', 'cli.js'), '');
  return { cliPath: join(root, 'dist', 'cli.js'), library: join(pkg, ...LIBRARY) };
}

// Like onnxruntime-node's script/install.js: downloads the provider only when asked for cuda12.
const WORKING_INSTALL = `
const { writeFileSync } = require('node:fs');
if (process.env.ONNXRUNTIME_NODE_INSTALL === 'cuda12') writeFileSync('${LIBRARY.join('/')}', 'elf');
`;
const OFFLINE_INSTALL = `console.error('getaddrinfo ENOTFOUND api.nuget.org'); process.exit(1);`;

describe('ensureCudaProvider', () => {
  let root: string;
  let logger: ReturnType<typeof memoryLogger>;
  const options = (over: Partial<CudaProviderOptions>): CudaProviderOptions => ({
    mode: 'auto',
    cliPath: join(root, 'dist', 'cli.js'),
    nodePath: process.execPath,
    gpuPresent: async () => true,
    logger,
    platform: 'linux',
    arch: 'x64',
    ...over,
  });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cairn-cuda-'));
    logger = memoryLogger();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('on a GPU runner, runs onnxruntime-node\'s installer for cuda12 and reports "installed"', async () => {
    const { cliPath, library } = fakeRelease(root, WORKING_INSTALL);
    assert.equal(await ensureCudaProvider(options({ cliPath })), 'installed');
    assert.ok(existsSync(library));
    // A second job on the same runner finds it there.
    assert.equal(await ensureCudaProvider(options({ cliPath })), 'present');
  });

  test('does nothing without a GPU, off Linux x64, or with cuda: false', async () => {
    const { cliPath, library } = fakeRelease(root, WORKING_INSTALL);
    let probed = false;
    const noGpu = async () => ((probed = true), false);
    assert.equal(await ensureCudaProvider(options({ cliPath, gpuPresent: noGpu })), 'not-needed');
    assert.ok(probed);
    assert.equal(await ensureCudaProvider(options({ cliPath, platform: 'darwin', arch: 'arm64' })), 'not-needed');
    assert.equal(await ensureCudaProvider(options({ cliPath, mode: 'false' })), 'not-needed');
    assert.equal(existsSync(library), false);
  });

  test('with auto, a failed download warns (quoting the installer) and lets the step go on', async () => {
    const { cliPath } = fakeRelease(root, OFFLINE_INSTALL);
    assert.equal(await ensureCudaProvider(options({ cliPath })), 'failed');
    const warning = logger.lines.find((line) => line.level === 'warn')?.message ?? '';
    assert.match(warning, /ENOTFOUND api\.nuget\.org/);
    assert.match(warning, /fall back to the CPU/);
  });

  test('with true, a failed download or a non-Linux runner fails the step with what to change', async () => {
    const { cliPath } = fakeRelease(root, OFFLINE_INSTALL);
    await assert.rejects(
      ensureCudaProvider(options({ cliPath, mode: 'true' })),
      (error) => isUserError(error) && /api\.nuget\.org.*cuda: auto/s.test(error.message),
    );
    await assert.rejects(
      ensureCudaProvider(options({ cliPath, mode: 'true', platform: 'win32' })),
      (error) => isUserError(error) && /linux\/x64 only.*cuda: auto or false/.test(error.message),
    );
  });

  test('an installer that exits 0 without writing the library counts as a failure', async () => {
    const { cliPath } = fakeRelease(root, '');
    assert.equal(await ensureCudaProvider(options({ cliPath })), 'failed');
  });
});

describe('onnxruntimePackageDir', () => {
  test('finds the real onnxruntime-node from dist/cli.js, with the install script this relies on', () => {
    const dir = onnxruntimePackageDir(resolve(import.meta.dirname, '../../../dist/cli.js'));
    assert.ok(dir, 'onnxruntime-node not resolved');
    assert.ok(
      existsSync(join(dir, 'script', 'install.js')),
      `${dir}/script/install.js is missing: onnxruntime-node changed its layout`,
    );
    assert.ok(
      existsSync(join(dir, 'bin', 'napi-v6', 'linux', 'x64')),
      'onnxruntime-node no longer keeps its binaries in bin/napi-v6/<platform>/<arch>',
    );
  });
});
