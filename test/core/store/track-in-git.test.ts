import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryLogger } from '../../../core/logger.ts';
import { trackInGit } from '../../../core/store/track-in-git.ts';
import { tempDir } from '../../support/cli.ts';

/** A folder with `.git`, as trackInGit finds a repository, and data.dvc in it. */
function repo(): { root: string; pointerPath: string } {
  const root = tempDir('cairn-track-');
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, 'data.dvc'), 'outs: []\n');
  return { root, pointerPath: join(root, 'data.dvc') };
}

test('a remote URL holding credentials is never written to .dvc/config; the .gitignore entry still is', async () => {
  const { root, pointerPath } = repo();
  const logger = memoryLogger();
  const written = await trackInGit({
    pointerPath,
    outputPath: join(root, 'data [v1]'),
    remote: {
      uri: 'https://user:secret@minio.example.com/bucket',
      location: { kind: 's3', bucket: 'bucket', prefix: 'dvc' },
      source: '--remote',
    },
    logger,
  });
  assert.deepEqual(written, [join(root, '.gitignore')]);
  assert.equal(
    readFileSync(join(root, '.gitignore'), 'utf8'),
    '/data \\[v1\\]\n',
    'special characters escaped as DVC does',
  );
  assert.equal(existsSync(join(root, '.dvc')), false);
  assert.ok(
    logger.lines.some(
      (line) => line.level === 'warn' && /holds credentials/.test(line.message) && !line.message.includes('secret'),
    ),
  );
});

test('a config with a [core] section but no default remote is not edited: the user is told the dvc command', async () => {
  const { root, pointerPath } = repo();
  mkdirSync(join(root, '.dvc'));
  const config = '[core]\n    autostage = true\n';
  writeFileSync(join(root, '.dvc', 'config'), config);
  const logger = memoryLogger();
  const written = await trackInGit({
    pointerPath,
    remote: { uri: '/srv/store', location: { kind: 'file', root: '/srv/store' }, source: '--remote' },
    logger,
  });
  assert.deepEqual(written, []);
  assert.equal(readFileSync(join(root, '.dvc', 'config'), 'utf8'), config);
  assert.ok(logger.lines.some((line) => /dvc remote add -d cairn \/srv\/store/.test(line.message)));
});

test('outside a git repository nothing is written', async () => {
  const root = tempDir('cairn-track-');
  const written = await trackInGit({
    pointerPath: join(root, 'data.dvc'),
    outputPath: join(root, 'data'),
    remote: { uri: '/srv/store', location: { kind: 'file', root: '/srv/store' }, source: '--remote' },
    logger: memoryLogger(),
  });
  assert.deepEqual(written, []);
  assert.equal(existsSync(join(root, '.gitignore')), false);
});
