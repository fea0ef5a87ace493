import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkManifestPath } from '../../../../core/store/internal/dvc/manifest-path.ts';
import { resolveSafeTarget, resolveSafeTargets } from '../../../../core/store/internal/dvc/safe-target.ts';
import { tempFolder, userError } from './helpers.ts';

const folder = tempFolder();
after(folder.cleanup);

describe('checkManifestPath', () => {
  test('plain relative paths pass and come back as segments', () => {
    assert.deepEqual(checkManifestPath('a/b/c.txt'), ['a', 'b', 'c.txt']);
    assert.deepEqual(checkManifestPath('..a/b..'), ['..a', 'b..'], 'dots inside a name are fine');
    assert.deepEqual(checkManifestPath('.hidden'), ['.hidden']);
  });

  const refused: Array<[string, RegExp]> = [
    ['', /it is empty/],
    ['/etc/passwd', /it is absolute/],
    ['C:/x', /drive letter/],
    ['c:x', /drive letter/],
    ['\\\\server\\share', /backslash/],
    ['a\\..\\..\\x', /backslash/],
    ['..', /"\.\." segment/],
    ['../x', /"\.\." segment/],
    ['a/../../x', /"\.\." segment/],
    ['a/./b', /"\." segment/],
    ['a//b', /empty segment/],
    ['a/', /empty segment/],
    ['a\u0000.txt', /NUL/],
  ];
  for (const [relpath, why] of refused) {
    test(`refuses ${JSON.stringify(relpath)}`, () => {
      assert.throws(
        () => checkManifestPath(relpath, 'm.dir'),
        userError(/refused path/, /in m\.dir/, why, /stay inside the target folder/),
      );
    });
  }

  // git's verify_path with core.protectHFS / core.protectNTFS (CVE-2014-9390): each names .git somewhere.
  const dotGit: Array<[string, string]> = [
    ['.git/hooks/post-checkout', '".git"'],
    ['.GIT/config', '".GIT"'],
    ['sub/.Git/hooks/pre-commit', '".Git"'],
    ['.git./config', '".git."'],
    ['.git /config', '".git "'],
    ['.git. . ./config', '".git. . ."'],
    ['.git::$INDEX_ALLOCATION/config', '".git::$INDEX_ALLOCATION"'],
    ['git~1/config', '"git~1"'],
    ['GIT~1/hooks/x', '"GIT~1"'],
    ['.g\u200cit/config', '".g\\u200cit"'],
    ['\ufeff.git/config', '"\\ufeff.git"'],
    ['.git\u200d/config', '".git\\u200d"'],
    ['a/.\u202aG\u206fi\u200ft/x', '".\\u202aG\\u206fi\\u200ft"'],
  ];
  for (const [relpath, shown] of dotGit) {
    test(`refuses ${JSON.stringify(relpath)}: a .git folder on some filesystem`, () => {
      const escaped = shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.throws(
        () => checkManifestPath(relpath, 'm.dir'),
        userError(
          /in m\.dir/,
          new RegExp(`its segment ${escaped} names a \\.git folder as git's verify_path reads it`),
        ),
      );
    });
  }

  test('names that only start like .git pass, as git lets them', () => {
    for (const relpath of [
      '.gitignore',
      '.github/workflows/ci.yml',
      '.gitkeep',
      'git~2/x',
      'a.git/b',
      '.git-credentials-not/x',
      'x/git',
    ]) {
      assert.deepEqual(checkManifestPath(relpath), relpath.split('/'), relpath);
    }
  });
});

describe('resolveSafeTargets', () => {
  test('resolves paths under the root, including ones whose folders do not exist yet', async () => {
    const root = join(folder.path, 'clean');
    mkdirSync(join(root, 'a'), { recursive: true });
    assert.deepEqual(await resolveSafeTargets(root, ['a/x.txt', 'new/deep/y.txt']), [
      join(root, 'a/x.txt'),
      join(root, 'new/deep/y.txt'),
    ]);
    assert.equal(await resolveSafeTarget(root, 'z'), join(root, 'z'));
  });

  test('the root itself may be a symlink (the user chose it)', async () => {
    const real = join(folder.path, 'real-root');
    mkdirSync(real);
    const link = join(folder.path, 'link-root');
    symlinkSync(real, link);
    assert.equal(await resolveSafeTarget(link, 'file'), join(link, 'file'));
  });

  test('a symlinked folder inside the target is refused, whatever it points at', async () => {
    const root = join(folder.path, 'with-link');
    const outside = join(folder.path, 'outside');
    mkdirSync(join(root, 'data'), { recursive: true });
    mkdirSync(outside);
    symlinkSync(outside, join(root, 'data', 'images'));
    await assert.rejects(
      resolveSafeTargets(root, ['data/ok.txt', 'data/images/cat.png']),
      userError(/refused "data\/images\/cat\.png"/, /data\/images is a symbolic link/, /Remove the link/),
    );
    assert.deepEqual(readdirSync(outside), [], 'nothing was written through the link');
  });

  test('a symlink at the file itself, or a dangling one, is refused', async () => {
    const root = join(folder.path, 'file-link');
    mkdirSync(root);
    symlinkSync('/etc/hostname', join(root, 'hostname'));
    symlinkSync(join(folder.path, 'does-not-exist'), join(root, 'dangling'));
    await assert.rejects(resolveSafeTarget(root, 'hostname'), userError(/is a symbolic link/));
    await assert.rejects(resolveSafeTarget(root, 'dangling'), userError(/is a symbolic link/));
  });

  test('a file where the path needs a folder is refused', async () => {
    const root = join(folder.path, 'file-in-way');
    mkdirSync(root);
    writeFileSync(join(root, 'a'), 'x');
    await assert.rejects(resolveSafeTarget(root, 'a/b.txt'), userError(/a is a file, where this path needs a folder/));
  });

  test('a malicious manifest is refused before anything is resolved: one bad entry fails the batch', async () => {
    const root = join(folder.path, 'batch');
    mkdirSync(root);
    for (const bad of ['../../etc/cron.d/x', '/tmp/x', 'ok/..\\..\\x']) {
      await assert.rejects(
        resolveSafeTargets(root, ['fine.txt', bad], 'evil.dir'),
        userError(/refused path/, /evil\.dir/),
      );
    }
    assert.deepEqual(readdirSync(root), []);
  });
});
