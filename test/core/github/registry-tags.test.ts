import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isUserError } from '../../../core/errors.ts';
import { dispatchWorkflow } from '../../../core/github/dispatch.ts';
import { createOctokit } from '../../../core/github/octokit.ts';
import {
  createAnnotatedTag,
  listTagRefs,
  readRegistryTag,
  registryTagsFromRefs,
  type TagObjectCache,
} from '../../../core/github/registry-tags.ts';
import { ensureRelease } from '../../../core/github/releases.ts';
import { readRepoConfigAt } from '../../../core/github/repo-config.ts';
import { statusOf } from '../../../core/github/status.ts';
import { isRegistryTag, type AnnotatedTag } from '../../../core/registry/index.ts';
import { githubApi, githubError } from '../../support/github-api.ts';
import { fakeRepo, shaOf } from '../../app/support/fake-repo.ts';

const octokit = () => createOctokit({ auth: 'test-token', retries: 0, throttle: false });
const where = { owner: 'acme', repo: 'churn' };
const V1 = shaOf('v1');

/** What the app does: list the tag refs, then read the registry tags among them. */
async function readRegistryTags(cache: TagObjectCache) {
  const client = octokit();
  const { data: refs } = await listTagRefs(client, where);
  return registryTagsFromRefs(client, refs, { ...where, include: isRegistryTag, cache });
}

function pick(tag: AnnotatedTag | undefined) {
  return { sha: tag?.sha, object: tag?.object };
}

describe('registryTagsFromRefs', () => {
  test('reads annotated registry tags (following a tag of a tag), lists lightweight ones apart, skips other tags', async (t) => {
    const gh = githubApi(t);
    const repo = fakeRepo(gh);
    const first = repo.addTag('churn@v1.0.0', V1, { message: 'first\n', date: '2024-01-02T03:04:05Z', tagger: 'Ada' });
    repo.addTag('v1.0.0', V1);
    repo.addLightweightTag('churn#production', V1);
    const inner = repo.addTag('fraud@v0.1.0', V1);
    // A tag object that tags another tag object, as `git tag -a outer inner` makes.
    repo.tagObjects.set('f'.repeat(40), {
      sha: 'f'.repeat(40),
      tag: 'fraud#staging#1',
      message: 'nested\n',
      tagger: { name: 'Bo', email: 'bo@example.com', date: '2024-01-03T00:00:00Z' },
      object: { type: 'tag', sha: inner },
    });
    repo.refs.set('refs/tags/fraud#staging#1', { type: 'tag', sha: 'f'.repeat(40) });

    const cache = new Map<string, AnnotatedTag>();
    const { annotated, lightweight } = await readRegistryTags(cache);
    assert.deepEqual(
      annotated.find((tag) => tag.tag === 'churn@v1.0.0'),
      {
        tag: 'churn@v1.0.0',
        sha: V1,
        taggedAt: '2024-01-02T03:04:05Z',
        tagger: { name: 'Ada', email: 'ds@example.com' },
        message: 'first\n',
        object: first,
      },
    );
    // The object is the one the ref names (the outer one of a tag of a tag): pushing the tag again changes it.
    assert.deepEqual(pick(annotated.find((tag) => tag.tag === 'fraud#staging#1')), { sha: V1, object: 'f'.repeat(40) });
    assert.deepEqual(annotated.map((tag) => tag.tag).sort(), ['churn@v1.0.0', 'fraud#staging#1', 'fraud@v0.1.0']);
    assert.deepEqual(lightweight, [{ tag: 'churn#production', sha: V1 }]);

    // Tag objects never change: a second read fetches only the list.
    const before = gh.calls('GET /repos/{owner}/{repo}/git/tags/{tag_sha}').length;
    await readRegistryTags(cache);
    assert.equal(gh.calls('GET /repos/{owner}/{repo}/git/tags/{tag_sha}').length, before);
  });

  test('listTagRefs: every tag ref with the ETag; with If-None-Match on an unchanged list, the 304 is thrown', async (t) => {
    const gh = githubApi(t);
    const repo = fakeRepo(gh);
    assert.deepEqual((await listTagRefs(octokit(), where)).data, []);
    repo.addTag('churn@v1.0.0', V1);
    repo.addLightweightTag('churn#production', V1);
    const first = await listTagRefs(octokit(), where);
    assert.deepEqual(
      first.data.map((ref) => [ref.ref, ref.object.type]),
      [
        ['refs/tags/churn#production', 'commit'],
        ['refs/tags/churn@v1.0.0', 'tag'],
      ],
    );
    assert.match(first.headers.etag ?? '', /^W\/"/);
    await assert.rejects(listTagRefs(octokit(), { ...where, headers: { 'if-none-match': first.headers.etag! } }), {
      status: 304,
    });
  });

  test('readRegistryTag: undefined for a missing tag, marks a lightweight one', async (t) => {
    const gh = githubApi(t);
    const repo = fakeRepo(gh);
    repo.addLightweightTag('churn#production', V1);
    assert.equal(await readRegistryTag(octokit(), { ...where, tag: 'nope@v1.0.0' }), undefined);
    assert.deepEqual(await readRegistryTag(octokit(), { ...where, tag: 'churn#production' }), {
      lightweight: true,
      sha: V1,
    });
  });
});

describe('createAnnotatedTag', () => {
  test('creates the tag object then the ref; a retry finds the ref on the same commit and creates nothing new', async (t) => {
    const gh = githubApi(t);
    const repo = fakeRepo(gh);
    const first = await createAnnotatedTag(octokit(), {
      ...where,
      tag: 'churn@v1.0.0',
      sha: V1,
      message: 'Register churn v1.0.0',
    });
    assert.equal(first.created, true);
    assert.equal(first.tag.sha, V1);
    assert.equal(repo.refs.get('refs/tags/churn@v1.0.0')?.type, 'tag');

    const again = await createAnnotatedTag(octokit(), {
      ...where,
      tag: 'churn@v1.0.0',
      sha: V1,
      message: 'Register churn v1.0.0',
    });
    assert.equal(again.created, false);
    assert.equal(again.tag.tag, 'churn@v1.0.0');

    const moved = await createAnnotatedTag(octokit(), {
      ...where,
      tag: 'churn@v1.0.0',
      sha: shaOf('other'),
      message: 'x',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isUserError(moved));
    assert.match(
      moved.message,
      /tag churn@v1\.0\.0 already exists in acme\/churn on another commit; registry tags never move/,
    );
  });
});

describe('dispatchWorkflow, ensureRelease, readRepoConfigAt', () => {
  test("GitHub's refusals to dispatch become user errors that say what to fix", async (t) => {
    const gh = githubApi(t);
    gh.once('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', githubError(404, 'Not Found'));
    gh.once(
      'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
      githubError(422, 'Unexpected inputs provided: ["sha"]'),
    );
    const options = {
      ...where,
      workflow: 'deploy.yml',
      ref: 'churn#production#1',
      inputs: { model: 'churn', sha: V1 },
    };
    await assert.rejects(
      dispatchWorkflow(octokit(), options),
      (e: Error) =>
        isUserError(e) && /found no workflow \.github\/workflows\/deploy\.yml on churn#production#1/.test(e.message),
    );
    await assert.rejects(
      dispatchWorkflow(octokit(), options),
      (e: Error) =>
        isUserError(e) &&
        /Unexpected inputs provided: \["sha"\]\. The workflow needs an `on: workflow_dispatch` trigger declaring the inputs model, sha/.test(
          e.message,
        ),
    );
  });

  test('a release is created once; an existing one is left as people edited it', async (t) => {
    const gh = githubApi(t);
    const repo = fakeRepo(gh);
    const first = await ensureRelease(octokit(), {
      ...where,
      tag: 'churn@v1.0.0',
      name: 'churn v1.0.0',
      body: 'notes',
    });
    repo.releases[0].body = 'edited by a person';
    const second = await ensureRelease(octokit(), {
      ...where,
      tag: 'churn@v1.0.0',
      name: 'churn v1.0.0',
      body: 'notes',
    });
    assert.deepEqual([first.action, second.action, second.id], ['created', 'exists', first.id]);
    assert.equal(repo.releases[0].body, 'edited by a person');
    assert.equal(
      gh.calls('GET /repos/{owner}/{repo}/releases/tags/{tag}').length,
      1,
      'only the refused create looks the release up',
    );
  });

  test('a create GitHub refuses for another reason is not taken for an existing release', async (t) => {
    const gh = githubApi(t);
    gh.once('POST /repos/{owner}/{repo}/releases', githubError(422, 'Validation Failed'));
    fakeRepo(gh);
    await assert.rejects(
      ensureRelease(octokit(), { ...where, tag: 'churn@v1.0.0', name: 'churn v1.0.0', body: 'notes' }),
      (e: Error) => statusOf(e) === 422,
    );
  });

  test('the config is read at a commit; a missing file is undefined, a bad one a user error naming the key', async (t) => {
    const gh = githubApi(t);
    const repo = fakeRepo(gh);
    assert.equal(await readRepoConfigAt(octokit(), { ...where, ref: V1 }), undefined);
    repo.setConfig('models:\n  churn:\n    path: m.onnx\n    tsk: binary\n', V1);
    await assert.rejects(
      readRepoConfigAt(octokit(), { ...where, ref: V1 }),
      /\.github\/cairn\.yml \([0-9a-f]{12}\): models\.churn\.tsk: unknown key/,
    );
    repo.setConfig('models:\n  churn:\n    path: m.onnx\n', V1);
    assert.equal((await readRepoConfigAt(octokit(), { ...where, ref: V1 }))?.models.churn.path, 'm.onnx');
  });
});
