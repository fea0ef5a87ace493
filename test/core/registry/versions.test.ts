/** Versions against GTO's tests/test_versions.py and the bump rules of gto/registry.py's `register`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import {
  bumpVersion,
  checkVersion,
  compareVersions,
  nextVersion,
  sortVersionsDescending,
} from '../../../core/registry/index.ts';

describe('checkVersion: GTO tests/test_versions.py', () => {
  test('test_semver_is_valid', () => {
    for (const version of ['v0.1.2', 'v3.4.5-pre.2+build.4', 'v3.4.5-pre.2-build.4'])
      assert.equal(checkVersion(version), version);
  });
  test('test_semver_is_not_valid (GTO also lists the integer 1; the CLI only ever sees text)', () => {
    for (const version of ['1', 'v1', 'v1.2', '0.1.2', '3.4.5-pre.2+build.4']) {
      assert.throws(
        () => checkVersion(version),
        (error: unknown) =>
          error instanceof UserError && /use "v" and a semantic version, e\.g\. v1\.2\.0/.test(error.message),
      );
    }
  });
  test('an upper-case V is refused, as GTO refuses it', () => {
    assert.throws(() => checkVersion('V1.0.0'), UserError);
  });
});

describe('compareVersions: GTO tests/test_versions.py::test_semver_comparison', () => {
  test('order and equality', () => {
    assert.ok(compareVersions('v1.3.2', 'v1.3.3') < 0);
    assert.equal(compareVersions('v1.2.4', 'v1.2.4'), 0);
    assert.ok(compareVersions('v1.3.4', 'v2.0.0') < 0);
    assert.ok(compareVersions('v1.0.0-rc.1', 'v1.0.0') < 0, 'a prerelease sorts before its release');
    assert.ok(compareVersions('v1.10.0', 'v1.9.0') > 0, 'numbers, not text');
  });
});

describe('bumpVersion: GTO tests/test_versions.py::test_bump_semver', () => {
  test('major, minor, patch', () => {
    assert.equal(bumpVersion('v1.3.4', 'major'), 'v2.0.0');
    assert.equal(bumpVersion('v1.3.4', 'minor'), 'v1.4.0');
    assert.equal(bumpVersion('v1.3.4', 'patch'), 'v1.3.5');
  });
  test('a prerelease is dropped and the part still goes up (python-semver, which GTO uses)', () => {
    assert.equal(bumpVersion('v1.0.0-rc.1', 'patch'), 'v1.0.1');
    assert.equal(bumpVersion('v1.0.0-rc.1+build.5', 'minor'), 'v1.1.0');
  });
});

describe('nextVersion: gto/registry.py register', () => {
  test('the first version is v0.0.1 (SemVer.get_minimal); afterwards patch unless told otherwise', () => {
    assert.equal(nextVersion(undefined), 'v0.0.1');
    assert.equal(
      nextVersion('v1.2.3'),
      'v1.2.4',
      'GTO tests/conftest.py showcase: "bump version automatically" v1.2.3 → v1.2.4',
    );
    assert.equal(nextVersion('v1.2.3', 'minor'), 'v1.3.0');
  });
  test('a bump with nothing to bump is refused ("Can\'t apply bump, because this is the first version being registered")', () => {
    assert.throws(
      () => nextVersion(undefined, 'minor'),
      /no registered version to bump yet; leave out --bump to register v0\.0\.1/,
    );
  });
});

describe('sortVersionsDescending: gto/base.py sort_versions', () => {
  test('semantic versions highest first, then shas (unregistered commits) in reverse text order', () => {
    const sorted = sortVersionsDescending(['v0.9.0', 'aaaa111', 'v1.10.0', 'ffff000', 'v1.2.0'], (v) => v);
    assert.deepEqual(sorted, ['v1.10.0', 'v1.2.0', 'v0.9.0', 'ffff000', 'aaaa111']);
  });
});
