/**
 * A pull never loses a file the user changed: it replaces a workspace file only when its bytes are
 * the pointer's version, one a pull put there, or one the cache holds; otherwise it refuses, naming
 * the files and --force, with nothing written across all targets. `force` replaces them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../../core/logger.ts';
import { objectKey } from '../../../core/store/internal/dvc/index.ts';
import { FileStore, pullPointerFile, pullSources, type ObjectStore } from '../../../core/store/index.ts';
import { readDvcPointers } from '../../../core/store/internal/dvc/index.ts';
import { userError } from '../../support/assertions.ts';
import { tempDir } from '../../support/cli.ts';

const md5 = (bytes: string) => createHash('md5').update(bytes).digest('hex');

/** A workspace, a cache folder and a file remote holding `versions`. */
function setup(...versions: string[]): { repo: string; cacheDir: string; store: ObjectStore } {
  const dir = tempDir('cairn-pull-unsaved-');
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  const remote = join(dir, 'remote');
  for (const bytes of versions) {
    const path = join(remote, ...objectKey(md5(bytes), '3.x').split('/'));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, bytes);
  }
  return { repo, cacheDir: join(dir, 'cache'), store: new FileStore(remote) };
}

/** `name.dvc` recording `bytes` for `name`, as `dvc add` writes it. */
function pointTo(repo: string, name: string, bytes: string): string {
  const pointer = join(repo, `${name}.dvc`);
  writeFileSync(
    pointer,
    `outs:\n- md5: ${md5(bytes)}\n  size: ${Buffer.byteLength(bytes)}\n  hash: md5\n  path: ${name}\n`,
  );
  return pointer;
}

test('a locally edited file is left as it is and the pull exits with its name and --force; force replaces it', async () => {
  const { repo, cacheDir, store } = setup('pulled\n');
  const pointer = pointTo(repo, 'data.txt', 'pulled\n');
  await pullPointerFile(pointer, { store, logger: silentLogger, cacheDir });
  writeFileSync(join(repo, 'data.txt'), 'my edit\n');

  await assert.rejects(
    pullPointerFile(pointer, { store, logger: silentLogger, cacheDir }),
    userError(
      /overwrite a file changed in the workspace.*data\.txt \(.*data\.txt\.dvc\).*Nothing was written.*--force/,
    ),
  );
  assert.equal(readFileSync(join(repo, 'data.txt'), 'utf8'), 'my edit\n');

  // Without a cache there is no memory of the pull: the edit is refused all the same.
  await assert.rejects(pullPointerFile(pointer, { store, logger: silentLogger }), userError(/data\.txt.*--force/));

  const forced = await pullPointerFile(pointer, { store, logger: silentLogger, cacheDir, force: true });
  assert.equal(readFileSync(join(repo, 'data.txt'), 'utf8'), 'pulled\n');
  assert.equal(forced.downloaded.files + forced.fromCache.files, 1);
});

test('a file a pull put there (an older version of the pointer) is replaced without --force, and so is one the cache holds', async () => {
  const { repo, cacheDir, store } = setup('version 1\n', 'version 2 is longer\n');
  const pointer = pointTo(repo, 'data.txt', 'version 1\n');
  await pullPointerFile(pointer, { store, logger: silentLogger, cacheDir });

  pointTo(repo, 'data.txt', 'version 2 is longer\n');
  const result = await pullPointerFile(pointer, { store, logger: silentLogger, cacheDir });
  assert.equal(readFileSync(join(repo, 'data.txt'), 'utf8'), 'version 2 is longer\n');
  assert.equal(result.downloaded.files, 1);

  // Written anew (not the file the pull placed), but with bytes the cache holds: nothing is lost.
  writeFileSync(join(repo, 'data.txt'), 'version 1\n');
  await pullPointerFile(pointer, { store, logger: silentLogger, cacheDir });
  assert.equal(readFileSync(join(repo, 'data.txt'), 'utf8'), 'version 2 is longer\n');
});

test('with two targets where only the second has an edited file, nothing of the first is written', async () => {
  const { repo, cacheDir, store } = setup('first\n', 'second\n');
  const first = join(repo, 'a');
  const second = join(repo, 'b');
  mkdirSync(first);
  mkdirSync(second);
  const sources = [
    {
      root: first,
      outputs: await readDvcPointers(pointTo(first, 'one.txt', 'first\n')),
      source: 'a/one.txt.dvc',
      store,
    },
    {
      root: second,
      outputs: await readDvcPointers(pointTo(second, 'two.txt', 'second\n')),
      source: 'b/two.txt.dvc',
      store,
    },
  ];
  writeFileSync(join(second, 'two.txt'), 'made by hand\n');

  await assert.rejects(
    pullSources(sources, { logger: silentLogger, cacheDir }),
    userError(/two\.txt \(b\/two\.txt\.dvc\).*--force/),
  );
  assert.equal(existsSync(join(first, 'one.txt')), false, 'the first target is not pulled either');
  assert.equal(existsSync(cacheDir) && existsSync(join(cacheDir, 'files')), false, 'nothing downloaded into the cache');
  assert.equal(readFileSync(join(second, 'two.txt'), 'utf8'), 'made by hand\n');

  await pullSources(sources, { logger: silentLogger, cacheDir, force: true });
  assert.equal(readFileSync(join(first, 'one.txt'), 'utf8'), 'first\n');
  assert.equal(readFileSync(join(second, 'two.txt'), 'utf8'), 'second\n');
});

test('a folder where a file should be stops the pull before anything is written, force or not', async () => {
  const { repo, cacheDir, store } = setup('first\n', 'second\n');
  const sources = [
    { root: repo, outputs: await readDvcPointers(pointTo(repo, 'one.txt', 'first\n')), source: 'one.txt.dvc', store },
    { root: repo, outputs: await readDvcPointers(pointTo(repo, 'two.txt', 'second\n')), source: 'two.txt.dvc', store },
  ];
  mkdirSync(join(repo, 'two.txt'));
  await assert.rejects(
    pullSources(sources, { logger: silentLogger, cacheDir }),
    userError(/two\.txt is a folder, where two\.txt should be a file.*Nothing was written/),
  );
  assert.equal(existsSync(join(repo, 'one.txt')), false);
});
