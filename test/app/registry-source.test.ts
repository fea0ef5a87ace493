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
    target: { owner: 'acme', repo: 'churn', fullName: 'acme/churn', defaultBranch: 'main', htmlUrl: 'https://github.com/acme/churn' },
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
    assert.deepEqual(c.tagNames, ['churn@v1.0.0'], 'a delivery that arrived after it started reads GitHub again, and sees its tag');
    assert.equal(gh.calls(REFS).length, 2);

    // Nothing is under way any more: the next load asks GitHub, whenever its delivery arrived.
    await loadRegistry(handlerContext(runtime, arrivedEarly));
    assert.equal(gh.calls(REFS).length, 3);
  });
});
