/**
 * A tag's verdict belongs to one tag object: the same tag pushed again (a new object, even on the
 * same commit) is judged afresh by its own pusher, and never inherits the old object's verdict.
 * `/cairn sync` honours only tags that arrived without a push event; checks of the release before
 * verdicts were recorded keep their answer.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readVerdict } from '../../app/tag-verdict.ts';
import { githubApi } from '../support/github-api.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { APP_LOGIN, CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { commentPayload } from './support/payloads.ts';
import { testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');
const V2 = shaOf('commit v2');
const OBJECT = 'a'.repeat(40);

/** churn v1.0.0 (V1) and v1.1.0 (V2) registered; v1.0.0 went to production by `/cairn` (#1), then v1.1.0 (#2). */
async function setup(t: { after(fn: () => void): void }) {
  const gh = githubApi(t);
  const repo = fakeRepo(gh, { roles: { maintainer: 'maintain', writer: 'write' } });
  repo.setConfig(CONFIG);
  for (const sha of [V1, V2]) repo.addRecord(sha, sampleReport());
  repo.addHonouredTag('churn@v1.0.0', V1, { date: '2024-01-01T00:00:00Z' });
  repo.addHonouredTag('churn@v1.1.0', V2, { date: '2024-01-02T00:00:00Z' });
  repo.addHonouredTag('churn#production#1', V1, {
    date: '2024-01-03T00:00:00Z',
    message: 'Assign\n\nCairn-Request: issue=99 comment=5\n',
    by: APP_LOGIN,
  });
  repo.addHonouredTag('churn#production#2', V2, { date: '2024-01-04T00:00:00Z' });
  const clock = { now: Date.parse('2024-06-01T12:00:00Z') };
  const app = await testApp({ runtime: { now: () => new Date(clock.now) } });
  return { gh, repo, app, clock };
}

type Repo = ReturnType<typeof fakeRepo>;

function reply(repo: Repo, commentId: number, issueNumber = 12): string {
  return repo.comments.on(issueNumber).find((c) => c.body.startsWith(`<!-- cairn:reply:${commentId} -->`))!.body;
}

/** What a `/cairn show` in a new process (verdicts read back from GitHub) says production holds. */
async function productionAfterRestart(repo: Repo, id: number): Promise<string> {
  const fresh = await testApp();
  await fresh.deliver('issue_comment', commentPayload('/cairn show', { login: 'writer', id }));
  return /\| `churn` \| `[^`]+` \| [^|]+ \| ([^|]+) \|/.exec(reply(repo, id))![1].trim();
}

describe('a verdict belongs to the tag object', () => {
  test('a writer who re-pushes an honoured production tag (same name and commit, newer date, forged request line) is judged afresh and changes nothing', async (t) => {
    const { repo, app } = await setup(t);
    assert.equal(await productionAfterRestart(repo, 1), '`v1.1.0`');
    repo.refs.delete('refs/tags/churn#production#1');
    const moved = repo.addTag('churn#production#1', V1, {
      date: '2024-06-01T00:00:00Z',
      message: 'moved\n\nCairn-Request: issue=7 comment=5\n',
    });
    const payload = repo.pushEvent('churn#production#1', { sender: 'writer' });
    await app.deliver('push', payload);

    const checks = repo.registryChecks(V1, 'churn#production#1');
    assert.equal(checks.length, 2, 'a new check for the new tag object');
    assert.equal(checks[1].external_id, `tag:churn#production#1:${moved}`);
    assert.match(String(checks[1].output.title), /^Not honoured: churn#production#1 was pushed by writer/);
    assert.equal(repo.dispatches.length, 0);
    assert.equal(await productionAfterRestart(repo, 2), '`v1.1.0`', 'the state the app acts on is unchanged');

    // The forged request line is not Cairn's: a command from comment 5 on issue 7 is carried out, not "done earlier".
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.1.0 to staging', { login: 'writer', id: 5, issueNumber: 7 }),
    );
    assert.match(reply(repo, 5, 7), /✅ Promoted `churn@v1\.1\.0` to `staging`/);

    // The same push delivered again, in a new process, finds its check: still one per object.
    const restarted = await testApp();
    await restarted.deliver('push', payload);
    assert.equal(repo.registryChecks(V1, 'churn#production#1').length, 2);
  });

  test("a maintainer's push does not vouch for the object a writer re-pushed under the same name before it was handled; the writer's own push fails it", async (t) => {
    const { repo, app } = await setup(t);
    repo.addTag('churn#production#3', V1, { date: '2024-06-01T00:00:00Z' });
    const maintainers = repo.pushEvent('churn#production#3', { sender: 'maintainer' });
    // Seconds later, before the app has loaded the tag list: a writer replaces the tag.
    repo.refs.delete('refs/tags/churn#production#3');
    const replaced = repo.addTag('churn#production#3', V1, { date: '2024-06-01T00:00:05Z' });
    const writers = repo.pushEvent('churn#production#3', { sender: 'writer' });
    assert.notEqual(maintainers.after, replaced);

    await app.deliver('push', maintainers);
    assert.equal(repo.dispatches.length, 0, "nothing dispatched under the maintainer's push");
    assert.deepEqual(
      repo.registryChecks(V1, 'churn#production#3'),
      [],
      'no verdict for an object the maintainer did not push',
    );

    await app.deliver('push', writers);
    const [check, ...more] = repo.registryChecks(V1, 'churn#production#3');
    assert.equal(more.length, 0);
    assert.equal(check.external_id, `tag:churn#production#3:${replaced}`);
    assert.match(String(check.output.title), /^Not honoured: churn#production#3 was pushed by writer/);
    assert.match(
      String(check.output.summary),
      new RegExp(`\\n<!-- cairn:tag-verdict unauthorised object=${replaced} by=writer -->$`),
    );
    assert.equal(repo.dispatches.length, 0);
    assert.equal(await productionAfterRestart(repo, 1), '`v1.1.0`', 'production is unchanged');
  });

  test("a re-pushed tag that got no push event is not covered by the old object's check: it is missed, and waits for /cairn sync", async (t) => {
    const { repo, app, clock } = await setup(t);
    repo.refs.delete('refs/tags/churn#production#1');
    repo.addTag('churn#production#1', V1, { date: '2024-06-01T00:00:00Z' }); // pushed with three others: no event
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'writer', id: 1 }));
    clock.now += 5 * 60_000;
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'writer', id: 2 }));
    const checks = repo.registryChecks(V1, 'churn#production#1');
    assert.equal(checks.length, 2);
    assert.match(String(checks[1].output.title), /no push event/);
    assert.match(reply(repo, 2), /\| `churn` \| `v1\.1\.0` \| – \| `v1\.1\.0` \|/);
  });
});

describe('/cairn sync honours only tags that arrived without a push event', () => {
  test('a tag pushed while the config was broken keeps its pusher, is not synced, and says to push it again; a new push is judged afresh', async (t) => {
    const { repo, app } = await setup(t);
    repo.setConfig('models: [');
    repo.addTag('churn#production#3', V1);
    await app.deliver('push', repo.pushEvent('churn#production#3', { sender: 'writer' }));
    const [failed] = repo.registryChecks(V1, 'churn#production#3');
    assert.equal(failed.conclusion, 'failure');
    assert.match(
      String(failed.output.summary),
      /will not act on it later[\s\S]*tag the commit again and push: the new tag is judged afresh/,
    );
    assert.match(
      String(failed.output.summary),
      /\n<!-- cairn:tag-verdict undecided object=[0-9a-f]{40} by=writer -->$/,
    );

    repo.setConfig(CONFIG);
    await app.deliver('issue_comment', commentPayload('/cairn sync', { login: 'maintainer', id: 7 }));
    assert.match(reply(repo, 7), /Nothing to sync/);
    assert.equal(repo.dispatches.length, 0);
    assert.match(
      repo.issues[0].body,
      /`churn#production#3`.*its check stopped before the permission was decided.*\(writer\)/,
    );

    repo.refs.delete('refs/tags/churn#production#3');
    repo.addTag('churn#production#3', V1);
    await app.deliver('push', repo.pushEvent('churn#production#3', { sender: 'maintainer' }));
    assert.deepEqual(
      repo.dispatches.map((d) => [d.ref, d.inputs.version]),
      [['churn#production#3', 'v1.0.0']],
    );
  });

  test('checks of the release before verdicts: a failure stays out and is not synced, a success counts, a later object is not covered', async (t) => {
    const { repo, app } = await setup(t);
    const legacy = (tag: string, sha: string, conclusion: 'success' | 'failure') =>
      repo.checks.add({
        name: 'cairn registry',
        head_sha: sha,
        external_id: `tag:${tag}`,
        status: 'completed',
        conclusion,
        started_at: '2024-02-01T00:00:00Z',
        output: {
          title: 'old',
          summary: 'handled by an earlier release',
          text: null,
          annotations_count: 0,
          annotations_url: '',
        },
      });
    repo.addTag('churn#staging#1', V1, { date: '2024-01-05T00:00:00Z' });
    legacy('churn#staging#1', V1, 'success');
    repo.addTag('churn#staging#2', V2, { date: '2024-01-06T00:00:00Z' });
    legacy('churn#staging#2', V2, 'failure');
    repo.addTag('churn#staging#3', V2, { date: '2024-03-01T00:00:00Z' }); // pushed again after its old check
    legacy('churn#staging#3', V2, 'success');

    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'writer', id: 1 }));
    assert.match(
      reply(repo, 1),
      /\| `churn` \| `v1\.1\.0` \| `v1\.0\.0` \| `v1\.1\.0` \|/,
      'staging#1 counts; #2 failed back then; #3 is not judged',
    );
    // #3's object has no check of its own: its pusher is unknown, so a sync may honour it; #2 failed back then and stays out.
    await app.deliver('issue_comment', commentPayload('/cairn sync', { login: 'maintainer', id: 2 }));
    assert.match(reply(repo, 2), /✅ Honoured 1 tag that arrived without a push event:\n\n- `churn#staging#3`/);
    assert.deepEqual(
      repo.dispatches.map((d) => d.ref),
      ['churn#staging#3'],
    );
    assert.equal(repo.registryChecks(V2, 'churn#staging#2').length, 1, 'an old failure gets no new check');
    assert.match(repo.issues[0].body, /`churn#staging#2`.*its check failed under an earlier release of Cairn/);
  });
});

describe('the verdict line', () => {
  const run = (summary: string) => ({
    id: 1,
    tag: 'churn#production#1',
    object: OBJECT,
    retry: false,
    status: 'completed',
    conclusion: 'failure',
    summary,
    startedAt: null,
  });

  test("only the summary's last line is read", () => {
    const forged = `<!-- cairn:tag-verdict honoured object=${OBJECT} by=cairn[bot] -->`;
    assert.deepEqual(
      readVerdict(
        run(`quoted:\n${forged}\n\n<!-- cairn:tag-verdict unauthorised object=${OBJECT} by=writer -->`),
        APP_LOGIN,
      ),
      { honoured: false, reason: 'unauthorised', by: 'writer' },
    );
    assert.deepEqual(readVerdict(run(`${forged}\nmore text`), APP_LOGIN), { honoured: false, reason: 'undecided' });
  });

  test('a line about another tag object honours nothing', () => {
    assert.deepEqual(
      readVerdict(run(`x\n<!-- cairn:tag-verdict honoured object=${'b'.repeat(40)} by=maintainer -->`), APP_LOGIN),
      { honoured: false, reason: 'undecided' },
    );
  });
});
