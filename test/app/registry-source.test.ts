import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createOctokit } from '../../core/github/octokit.ts';
import { silentLogger } from '../../core/logger.ts';
import { loadRegistry } from '../../app/registry-source.ts';
import { createRuntime, type AppRuntime, type HandlerContext } from '../../app/runtime.ts';
import { githubApi, holdNext } from '../support/github-api.ts';
import { fakeRepo, shaOf } from './support/fake-repo.ts';

const REFS = 'GET /repos/{owner}/{repo}/git/matching-refs/{ref}';

function handlerContext(runtime: AppRuntime, receivedAt: number): HandlerContext {
  return {
    octokit: createOctokit({ auth: 'test-token', retries: 0, throttle: false }),
    appClient: async () => createOctokit({ auth: 'app-jwt', retries: 0, throttle: false }),
    target: {
      owner: 'acme',
      repo: 'churn',
      fullName: 'acme/churn',
      defaultBranch: 'main',
      htmlUrl: 'https://github.com/acme/churn',
    },
    runtime,
    logger: silentLogger,
    receivedAt,
  };
}

describe('loadRegistry', () => {
  test('a load under way is shared only with deliveries that arrived before it started', async (t) => {
    const gh = githubApi(t);
    // The first tag list GitHub sends is held back, and is empty: it was read before the tag existed.
    const list = holdNext(gh, REFS, { data: [] });
    const repo = fakeRepo(gh);
    const runtime = createRuntime();

    const arrivedEarly = performance.now();
    const first = loadRegistry(handlerContext(runtime, arrivedEarly));
    await list.reached;
    const sameMoment = loadRegistry(handlerContext(runtime, arrivedEarly));
    repo.addTag('churn@v1.0.0', shaOf('v1'));
    const arrivedLater = loadRegistry(handlerContext(runtime, performance.now()));
    list.release();

    const [a, b, c] = await Promise.all([first, sameMoment, arrivedLater]);
    assert.equal(b, a, 'a delivery that arrived before the load started shares it');
    assert.deepEqual(a.tagNames, []);
    assert.deepEqual(
      c.tagNames,
      ['churn@v1.0.0'],
      'a delivery that arrived after it started reads GitHub again, and sees its tag',
    );
    assert.equal(gh.calls(REFS).length, 2);

    // Nothing is under way any more: the next load asks GitHub, whenever its delivery arrived.
    await loadRegistry(handlerContext(runtime, arrivedEarly));
    assert.equal(gh.calls(REFS).length, 3);
  });
});

describe('a registry larger than the tag-object cache', () => {
  const TAG_OBJECT = 'GET /repos/{owner}/{repo}/git/tags/{tag_sha}';

  test('costs one tag-object GET per new tag: a changed list reads only the tags it has not seen', async (t) => {
    const gh = githubApi(t);
    const repo = fakeRepo(gh);
    for (let i = 0; i < 10; i++) repo.addTag(`churn@v1.0.${i}`, shaOf(`v${i}`));
    const runtime = createRuntime({ tagObjects: 3 });
    const load = () => loadRegistry(handlerContext(runtime, performance.now()));

    const first = await load();
    assert.equal(first.tags.length, 10);
    assert.equal(gh.calls(TAG_OBJECT).length, 10, 'the first load reads each tag once');

    // Another tag changes the list (a 200, derived again) without adding to the registry.
    repo.addTag('v2.0.0', shaOf('release'));
    const again = await load();
    assert.equal(gh.calls(REFS).length, 2);
    assert.notEqual(again, first, 'a new list, derived again');
    assert.equal(again.tags.length, 10);
    assert.equal(gh.calls(TAG_OBJECT).length, 10, 'no tag object read again, though the cache holds 3');

    repo.addTag('churn@v1.1.0', shaOf('v11'));
    const grown = await load();
    assert.equal(gh.calls(TAG_OBJECT).length, 11, 'the new tag costs exactly one');
    assert.equal(grown.all.state.models.churn.latest, 'v1.1.0'); // every tag as loaded (none is judged here)
    assert.equal(grown.tags.length, 11);
    assert.equal(gh.violations.length, 0);
  });
});
