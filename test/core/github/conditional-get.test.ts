import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionalGet, type EtagEntry } from '../../../core/github/conditional-get.ts';
import { createOctokit } from '../../../core/github/octokit.ts';
import { readRepoConfigAt } from '../../../core/github/repo-config.ts';
import { fakeRepo, CONFIG, shaOf } from '../../app/support/fake-repo.ts';
import { githubApi } from '../../support/github-api.ts';

const octokit = () => createOctokit({ auth: 'test-token', retries: 0, throttle: false });
const where = { owner: 'acme', repo: 'churn' };
const REFS = 'GET /repos/{owner}/{repo}/git/matching-refs/{ref}';

type TagRefs = Awaited<ReturnType<ReturnType<typeof octokit>['rest']['git']['listMatchingRefs']>>['data'];

/** Reads the tag list through conditionalGet with `cache`, deriving with `derive`. */
function tagReader<T>(cache: Map<string, EtagEntry>, derive: (refs: TagRefs) => T | Promise<T>): () => Promise<T> {
  return () =>
    conditionalGet(
      cache,
      'acme/churn/tags',
      (headers) => octokit().rest.git.listMatchingRefs({ ...where, ref: 'tags', headers }),
      derive,
    );
}

test('a repeated GET is conditional: on 304 the value derived from the last body comes back, not derived again', async (t) => {
  const gh = githubApi(t);
  const repo = fakeRepo(gh);
  repo.addTag('churn@v1.0.0', 'a'.repeat(40));
  const cache = new Map<string, EtagEntry>();
  let derived = 0;
  const read = tagReader(cache, (refs) => (derived++, refs.map((ref) => ref.ref)));

  assert.deepEqual(await read(), ['refs/tags/churn@v1.0.0']);
  assert.deepEqual(await read(), ['refs/tags/churn@v1.0.0']);
  assert.equal(derived, 1);
  const [first, second] = gh.calls(REFS);
  assert.equal(first.headers['if-none-match'], undefined);
  assert.match(String(second.headers['if-none-match']), /^W\/"[0-9a-f]{40}"$/);

  // A new tag changes the answer: a 200, derived again, and the new ETag kept.
  repo.addTag('churn@v1.1.0', 'b'.repeat(40));
  assert.deepEqual(await read(), ['refs/tags/churn@v1.0.0', 'refs/tags/churn@v1.1.0']);
  assert.equal(derived, 2);
  assert.deepEqual(await read(), ['refs/tags/churn@v1.0.0', 'refs/tags/churn@v1.1.0']);
  assert.equal(derived, 2);
  assert.equal(gh.violations.length, 0);
});

test('a config that fails validation is kept as failed by blob SHA: reported again on every read, never parsed again', async (t) => {
  const gh = githubApi(t);
  const repo = fakeRepo(gh);
  const broken = 'models: [not, a, map]\n';
  const [a, b] = [shaOf('a'), shaOf('b')];
  repo.setConfig(broken);
  repo.setConfig(broken, a);
  const cache = new Map<string, EtagEntry>();
  const errors: Error[] = [];
  for (const ref of ['main', 'main', a]) {
    errors.push(
      await readRepoConfigAt(octokit(), { ...where, ref, cache }).then(
        () => assert.fail('read'),
        (e: Error) => e,
      ),
    );
  }
  for (const error of errors)
    assert.match(
      error.message,
      /cairn\.yml \(main\): models: expected a map of model name -> model settings, got a list/,
    );
  // One parse: every later error carries the first one's cause, the failure kept for the blob.
  assert.ok(errors.every((error) => error.cause === errors[0].cause && error.cause instanceof Error));
  const sent = gh.calls('GET /repos/{owner}/{repo}/contents/{path}');
  assert.equal(sent.length, 3);
  assert.match(String(sent[1].headers['if-none-match']), /^W\//, 'the unchanged file at main is a 304');
  assert.equal(sent[2].headers['if-none-match'], undefined, 'another commit is fetched, its blob known as failed');

  repo.setConfig(CONFIG);
  const first = await readRepoConfigAt(octokit(), { ...where, ref: 'main', cache });
  const second = await readRepoConfigAt(octokit(), { ...where, ref: 'main', cache });
  assert.ok(first !== undefined && first === second, 'the parsed config is reused on a 304');
  assert.ok(cache.has(`acme/churn/git/blobs/${shaOf(CONFIG)}`));
  repo.setConfig(CONFIG, b);
  assert.equal(await readRepoConfigAt(octokit(), { ...where, ref: b, cache }), first);
});

test('a config over 256 KiB is refused by its size, before it is decoded or parsed, and kept as refused', async (t) => {
  const gh = githubApi(t);
  const repo = fakeRepo(gh);
  // Valid YAML: parsing it would succeed, so the refusal shows it was never parsed.
  const padded = `${CONFIG}${'# padding to a megabyte of comments\n'.repeat(29_000)}`;
  assert.ok(Buffer.byteLength(padded) > 1_000_000);
  repo.setConfig(padded);
  const cache = new Map<string, EtagEntry>();
  for (let attempt = 0; attempt < 2; attempt++) {
    await assert.rejects(
      readRepoConfigAt(octokit(), { ...where, ref: 'main', cache }),
      /cairn\.yml at main is \d+ bytes; a Cairn config may be at most 262144 bytes \(256 KiB\)/,
    );
  }
  assert.equal(gh.violations.length, 0);
});

test('the same file at another commit is fetched but not parsed again; a changed one is', async (t) => {
  const gh = githubApi(t);
  const repo = fakeRepo(gh);
  const [a, b, c] = [shaOf('a'), shaOf('b'), shaOf('c')];
  repo.setConfig(CONFIG, a);
  repo.setConfig(CONFIG, b);
  repo.setConfig(CONFIG.replace('staging:', 'canary:\n  staging:'), c);
  const cache = new Map<string, EtagEntry>();
  const atA = await readRepoConfigAt(octokit(), { ...where, ref: a, cache });
  const atB = await readRepoConfigAt(octokit(), { ...where, ref: b, cache });
  const atC = await readRepoConfigAt(octokit(), { ...where, ref: c, cache });
  assert.equal(gh.calls('GET /repos/{owner}/{repo}/contents/{path}').length, 3);
  assert.ok(atA !== undefined && atA === atB, 'one parse for one blob');
  assert.notEqual(atC, atA);
  assert.deepEqual(Object.keys(atC!.stages), ['canary', 'staging', 'production']);
});

test('requests that get the same new answer at once derive it once', async (t) => {
  const gh = githubApi(t);
  const repo = fakeRepo(gh);
  repo.addTag('churn@v1.0.0', 'a'.repeat(40));
  const cache = new Map<string, EtagEntry>();
  let derived = 0;
  const read = tagReader(cache, async (refs) => {
    derived++;
    await new Promise((resolve) => setTimeout(resolve, 20)); // reading tag objects takes a while
    return refs.map((ref) => ref.ref);
  });
  const answers = await Promise.all([read(), read(), read()]);
  assert.deepEqual(answers, Array(3).fill(['refs/tags/churn@v1.0.0']));
  assert.equal(gh.calls(REFS).length, 3, 'each asked GitHub');
  assert.equal(derived, 1, 'one derivation for one body');
  assert.equal(cache.get('acme/churn/tags')?.value, answers[0]);
});
