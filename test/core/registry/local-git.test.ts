/** The local git backend on real repositories (GTO tests/test_tag.py: lightweight tags, bad refs, repeated names, time zones). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import {
  applyPlannedTags,
  createAnnotatedTag,
  listTagNames,
  readAnnotatedTags,
  resolveCommit,
  tagKind,
} from '../../../core/registry/local-git.ts';
import { registryState } from '../../../core/registry/index.ts';
import { tempDir } from '../../support/cli.ts';
import { GitRepo, gitEnv, isoAt } from './git-repo.ts';

describe('readAnnotatedTags', () => {
  test('GTO test_lightweight_tag: a lightweight tag is not read, and so never counts', async () => {
    const repo = GitRepo.create();
    const sha = repo.commit('first');
    repo.tag('lightweight-tag@v0.0.1', sha, 1, { lightweight: true });
    repo.tag('churn@v1.0.0', sha, 2, { message: 'Register churn v1.0.0\n\nBy: Registry Tester' });
    assert.deepEqual(await readAnnotatedTags(repo.dir), [
      {
        tag: 'churn@v1.0.0',
        sha,
        taggedAt: isoAt(2),
        tagger: { name: 'Registry Tester', email: 'tester@example.com' },
        message: 'Register churn v1.0.0\n\nBy: Registry Tester\n',
      },
    ]);
    assert.deepEqual(Object.keys(registryState(await readAnnotatedTags(repo.dir)).models), ['churn']);
    assert.deepEqual(
      (await listTagNames(repo.dir)).sort(),
      ['churn@v1.0.0', 'lightweight-tag@v0.0.1'],
      'counters must avoid every ref, lightweight ones too',
    );
    assert.equal(await tagKind(repo.dir, 'lightweight-tag@v0.0.1'), 'lightweight');
    assert.equal(await tagKind(repo.dir, 'churn@v1.0.0'), 'annotated');
    assert.equal(await tagKind(repo.dir, 'nope@v1.0.0'), undefined);
  });

  test('GTO test_parse_tag_created_at_timezone: the tagger time keeps its instant whatever the zone', async () => {
    const repo = GitRepo.create();
    const sha = repo.commit('first');
    repo.git(['tag', '-a', '-m', 'x', 'nn#prod', sha], 0, { GIT_COMMITTER_DATE: '1704067200 +0300' });
    assert.equal((await readAnnotatedTags(repo.dir))[0].taggedAt, '2024-01-01T00:00:00Z');
  });

  test('a folder that is not a repository is a user error', async () => {
    await assert.rejects(
      readAnnotatedTags(tempDir()),
      (error: unknown) => error instanceof UserError && /is not a git repository/.test(error.message),
    );
  });
});

describe('createAnnotatedTag', () => {
  test('GTO test_create_tag_bad_ref: an unknown ref or sha is refused, and no tag is made', async () => {
    const repo = GitRepo.create();
    repo.commit('first');
    for (const ref of ['wrongref', '679dd96f8f22bef6505b9646803bf3c2afe94692']) {
      await assert.rejects(
        createAnnotatedTag(repo.dir, 'name@v1.0.0', { ref, message: 'msg' }),
        (error: unknown) => error instanceof UserError && /no commit/.test(error.message),
      );
    }
    assert.deepEqual(repo.tags(), []);
  });

  test('GTO test_create_tag_repeated_tagname: the second tag of one name is refused', async () => {
    const repo = GitRepo.create();
    repo.commit('first');
    const created = await createAnnotatedTag(repo.dir, 'name@v1.0.0', {
      ref: 'HEAD',
      message: 'msg',
      env: { ...process.env, ...gitEnv(5) },
    });
    assert.equal(created.taggedAt, isoAt(5));
    assert.equal(created.sha, await resolveCommit(repo.dir, 'HEAD'));
    await assert.rejects(
      createAnnotatedTag(repo.dir, 'name@v1.0.0', { ref: 'HEAD', message: 'msg' }),
      /tag name@v1\.0\.0 already exists/,
    );
  });
});

describe('applyPlannedTags', () => {
  test('pushes every tag of a change to the remote', async () => {
    const remote = GitRepo.create({ bare: true });
    const repo = GitRepo.create();
    const sha = repo.commit('first');
    repo.git(['remote', 'add', 'origin', remote.dir]);
    const planned = [
      { tag: 'model@v0.0.1', sha, message: 'Register model v0.0.1' },
      { tag: 'model#dev#1', sha, message: 'Assign model v0.0.1 to dev' },
    ];
    await applyPlannedTags(repo.dir, planned, { push: true, env: { ...process.env, ...gitEnv(1) } });
    assert.deepEqual(remote.tags(), ['model#dev#1', 'model@v0.0.1']);
  });

  test('a failed push removes the tags it made: nothing changed', async () => {
    const repo = GitRepo.create();
    const sha = repo.commit('first');
    const planned = [{ tag: 'model@v0.0.1', sha, message: 'Register' }];
    await assert.rejects(
      applyPlannedTags(repo.dir, planned, { push: true, remote: 'nowhere' }),
      /could not push model@v0\.0\.1 to nowhere[\s\S]*nothing changed/,
    );
    assert.deepEqual(repo.tags(), []);
  });

  test('a tag that cannot be made removes the ones made before it', async () => {
    const repo = GitRepo.create();
    const sha = repo.commit('first');
    repo.tag('model#dev#1', sha, 1);
    const planned = [
      { tag: 'model@v0.0.1', sha, message: 'Register' },
      { tag: 'model#dev#1', sha, message: 'Assign' },
    ];
    await assert.rejects(applyPlannedTags(repo.dir, planned), /already exists/);
    assert.deepEqual(repo.tags(), ['model#dev#1']);
  });
});
