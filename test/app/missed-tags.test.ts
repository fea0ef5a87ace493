/**
 * No missed tags: GitHub sends no push event when more than three tags are pushed at once. The app
 * notices such tags when it loads the tag list, says on each that it is not honoured, and
 * `/cairn sync` by someone with the level honours them.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { githubApi } from '../support/github-api.ts';
import { fakeApp } from '../support/github-fakes.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { commentPayload, protectionRulePayload } from './support/payloads.ts';
import { testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');
const V2 = shaOf('commit v2');
const V3 = shaOf('commit v3');
const MISSED = /^Not honoured: .*: no push event \(more than three tags pushed at once\)$/;

/** churn v1.0.0 registered; a clock the test moves. */
async function setup(t: { after(fn: () => void): void }) {
  const gh = githubApi(t);
  const repo = fakeRepo(gh, { roles: { maintainer: 'maintain', writer: 'write', reader: 'read' } });
  repo.setConfig(CONFIG);
  for (const sha of [V1, V2, V3]) repo.addRecord(sha, sampleReport());
  repo.addHonouredTag('churn@v1.0.0', V1);
  const clock = { now: Date.parse('2024-06-01T12:00:00Z') };
  const app = await testApp({ runtime: { now: () => new Date(clock.now) } });
  return { gh, repo, app, clock };
}

/** `git push origin churn@v1.1.0 churn#staging#1 churn@v1.2.0 churn#production#1`: four tags, no push event. */
function pushFourAtOnce(repo: ReturnType<typeof fakeRepo>) {
  repo.addTag('churn@v1.1.0', V2);
  repo.addTag('churn#staging#1', V2);
  repo.addTag('churn@v1.2.0', V3);
  repo.addTag('churn#production#1', V2);
}

function reply(repo: ReturnType<typeof fakeRepo>, commentId: number): string {
  return repo.comments.on(12).find((c) => c.body.startsWith(`<!-- cairn:reply:${commentId} -->`))!.body;
}

describe('tags pushed without a push event', () => {
  test('four tags pushed at once: noticed on a load after the grace period, not honoured, then /cairn sync honours what the commenter may', async (t) => {
    const { repo, app, clock } = await setup(t);
    pushFourAtOnce(repo);
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 100 })); // first seen
    clock.now += 5 * 60_000; // their push events would have arrived by now; none will
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 1 }));

    for (const [tag, sha] of [
      ['churn@v1.1.0', V2],
      ['churn#staging#1', V2],
      ['churn@v1.2.0', V3],
      ['churn#production#1', V2],
    ]) {
      const [check] = repo.registryChecks(sha, tag);
      assert.equal(check?.conclusion, 'failure', tag);
      assert.match(String(check.output.title), MISSED);
      assert.match(String(check.output.summary), /\/cairn sync/);
    }
    assert.match(reply(repo, 1), /\| `churn` \| `v1\.0\.0` \| – \| – \|/, 'none of them counts yet');
    assert.equal(repo.dispatches.length, 0);

    // A writer may register and assign staging, not production.
    await app.deliver('issue_comment', commentPayload('/cairn sync', { login: 'writer', id: 2 }));
    assert.deepEqual(
      repo.dispatches.map((d) => [d.ref, d.inputs.version]),
      [['churn#staging#1', 'v1.1.0']],
    );
    assert.match(reply(repo, 2), /✅ Honoured 3 tags that arrived without a push event:/);
    assert.match(reply(repo, 2), /- `churn#staging#1`: Dispatched deploy\.yml for churn v1\.1\.0 to staging/);
    assert.match(
      reply(repo, 2),
      /🚫 Still not honoured \(you have `write`\):\n\n- `churn#production#1` needs `maintain` \(`stages\.production\.promote`\)/,
    );
    assert.match(
      String(repo.registryChecks(V2, 'churn#staging#1')[0].output.summary),
      /Honoured by `\/cairn sync` from `writer`/,
    );
    assert.match(String(repo.registryChecks(V2, 'churn#production#1')[0].output.title), MISSED);
    assert.equal(repo.releases.length, 2, 'both registrations are released');

    // A maintainer syncs the rest; a new process reads every verdict from the checks.
    const restarted = await testApp();
    await restarted.deliver('issue_comment', commentPayload('/cairn sync', { login: 'maintainer', id: 3 }));
    assert.deepEqual(
      repo.dispatches.map((d) => d.ref),
      ['churn#staging#1', 'churn#production#1'],
    );
    assert.match(reply(repo, 3), /✅ Honoured 1 tag that arrived/);
    await restarted.deliver('issue_comment', commentPayload('/cairn sync', { login: 'maintainer', id: 4 }));
    assert.match(reply(repo, 4), /Nothing to sync/);
    assert.match(repo.issues[0].body, /\| `churn` \| `v1\.2\.0` \| `v1\.1\.0` \| `v1\.1\.0` \|/);
  });

  test('a tag whose push may still come is left alone for the grace period, and not counted meanwhile', async (t) => {
    const { gh, repo, app, clock } = await setup(t);
    repo.addTag('churn@v1.1.0', V2);
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 1 }));
    assert.deepEqual(repo.registryChecks(V2), []);
    assert.match(reply(repo, 1), /\| `churn` \| `v1\.0\.0` \|/);
    const lookups = () =>
      gh.calls('GET /repos/{owner}/{repo}/commits/{ref}/check-runs').filter((r) => r.params.ref === V2).length;
    const looked = lookups();
    clock.now += 30_000;
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 3 }));
    assert.equal(lookups(), looked, 'within the grace period the tag is not looked up again');
    clock.now += 31_000;
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 2 }));
    assert.match(String(repo.registryChecks(V2, 'churn@v1.1.0')[0].output.title), MISSED);
    // Its push arriving late finds the check and changes nothing: only /cairn sync honours it now.
    await app.deliver('push', repo.pushEvent('churn@v1.1.0', { sender: 'maintainer' }));
    assert.equal(repo.registryChecks(V2).length, 1);
    assert.equal(repo.releases.length, 0);
  });

  test('a "cairn registry" check another app wrote (a workflow with checks: write) neither marks a tag handled nor honours it', async (t) => {
    const { repo, app, clock } = await setup(t);
    repo.addTag('churn#production#1', V1);
    repo.checks.add({
      name: 'cairn registry',
      head_sha: V1,
      external_id: 'tag:churn#production#1',
      status: 'completed',
      conclusion: 'success',
      app: { ...fakeApp('github-actions'), id: 15368 },
      output: {
        title: 'ok',
        summary: 'ok\n\n<!-- cairn:tag-verdict honoured by=cairn[bot] -->',
        text: null,
        annotations_count: 0,
        annotations_url: '',
      },
    });
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 1 }));
    assert.match(reply(repo, 1), /\| `churn` \| `v1\.0\.0` \| – \| – \|/, 'the forged verdict is not read');
    clock.now += 5 * 60_000;
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 2 }));
    assert.match(String(repo.registryChecks(V1, 'churn#production#1').at(-1)!.output.title), MISSED);
    assert.equal(repo.dispatches.length, 0);
  });

  test('at most 20 missed tags get their check per load, newest first', async (t) => {
    const { repo, app, clock } = await setup(t);
    for (let i = 1; i <= 25; i++) repo.addTag(`churn@v2.${i}.0`, shaOf(`commit 2.${i}`));
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 100 }));
    clock.now += 5 * 60_000;
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 1 }));
    const checked = () =>
      repo.checks.runs
        .filter((r) => r.name === 'cairn registry' && MISSED.test(String(r.output.title)))
        .map((r) => String(r.external_id).replace(/:[0-9a-f]{40}$/, ''));
    assert.equal(checked().length, 20);
    assert.ok(checked().includes('tag:churn@v2.25.0') && !checked().includes('tag:churn@v2.5.0'), 'the newest first');
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 2 }));
    assert.equal(checked().length, 25);
  });

  test('a warm process with nothing missed sends no extra request per load', async (t) => {
    const { gh, app } = await setup(t);
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 1 }));
    const before = gh.requests.length;
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 2 }));
    const routes = gh.requests.slice(before).map((r) => r.route);
    assert.ok(!routes.includes('GET /repos/{owner}/{repo}/commits/{ref}/check-runs'), routes.join(', '));
    assert.ok(!routes.includes('GET /app'));
  });

  test('/cairn sync with nothing missed says so and changes nothing; a tag that does not parse is neither synced nor listed', async (t) => {
    const { repo, app } = await setup(t);
    repo.addTag('churn@1.0', V2);
    await app.deliver('push', repo.pushEvent('churn@1.0', { sender: 'maintainer' }));
    assert.match(String(repo.registryChecks(V2, 'churn@1.0')[0].output.summary), /"1\.0" is not a version/);
    await app.deliver('issue_comment', commentPayload('/cairn sync', { login: 'maintainer', id: 1 }));
    assert.doesNotMatch(repo.issues[0].body, /Tags not honoured/);
    assert.match(reply(repo, 1), /Nothing to sync: every registry tag has been judged on its push/);
    assert.equal(repo.dispatches.length, 0);
  });
});

describe('verdict lookups are bounded per load', () => {
  const REGISTRY_CHECKS = 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs';

  /** 60 versions registered on their own commits after v1.0.0 (and whatever `before` adds first): 61 tagged commits. */
  async function bigRegistry(
    t: { after(fn: () => void): void },
    before: (repo: ReturnType<typeof fakeRepo>) => void = () => {},
  ) {
    const { gh, repo, clock } = await setup(t);
    before(repo);
    for (let i = 1; i <= 60; i++) repo.addHonouredTag(`churn@v2.${i}.0`, shaOf(`commit 2.${i}`));
    const app = await testApp({ runtime: { now: () => new Date(clock.now) } }); // a new process: nothing judged yet
    const lookups = () => gh.calls(REGISTRY_CHECKS).filter((r) => r.query.check_name === 'cairn registry').length;
    return { repo, app, lookups };
  }

  test('a new process looks up at most 50 tagged commits per load, the newest first, and the next load goes on', async (t) => {
    const { repo, app, lookups } = await bigRegistry(t);
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 1 }));
    assert.equal(lookups(), 50);
    assert.match(reply(repo, 1), /\| `churn` \| `v2\.60\.0` \|/, 'the newest are judged first');
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 2 }));
    assert.equal(lookups(), 61, 'the second load looks up the other 11');
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader', id: 3 }));
    assert.equal(lookups(), 61, 'then every tag is judged: no more lookups');
    assert.equal(repo.registryChecks(V1).length, 1, 'a tag not looked up yet is never called missed');
    assert.equal(repo.checks.runs.filter((r) => MISSED.test(String(r.output.title))).length, 0);
  });

  test('the tags an event is about are looked up first: a deployment and a promotion of an old version are judged', async (t) => {
    const { repo, app, lookups } = await bigRegistry(t, (r) => r.addHonouredTag('churn#staging#1', V1));
    await app.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ environment: 'staging', ref: 'churn#staging#1', sha: V1, runId: 1 }),
    );
    assert.equal(repo.reviews[0].state, 'approved', repo.reviews[0].comment);
    assert.ok(lookups() <= 50);

    const fresh = await testApp();
    await fresh.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.0.0 to production', { login: 'maintainer', id: 4 }),
    );
    assert.match(reply(repo, 4), /✅ Promoted `churn@v1\.0\.0` to `production`/);
    repo.refs.delete('refs/tags/churn#production#1'); // V1 has only old tags again

    // A pushed assignment of the old version finds the registration on its commit.
    const pushed = await testApp();
    repo.addTag('churn#staging#2', V1);
    await pushed.deliver('push', repo.pushEvent('churn#staging#2', { sender: 'maintainer' }));
    assert.match(
      String(repo.registryChecks(V1, 'churn#staging#2')[0].output.title),
      /^Dispatched deploy\.yml for churn v1\.0\.0 to staging/,
    );
  });
});
