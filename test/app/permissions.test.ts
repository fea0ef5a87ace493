/**
 * A stage's permission holds on every path to a change: the same levels (core/config/permissions.ts)
 * for a pushed tag (its sender), a `/cairn` command (its commenter) and a deploy run (whoever
 * started or re-ran it), always from the default branch's config.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { githubApi } from '../support/github-api.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { commentPayload, protectionRulePayload } from './support/payloads.ts';
import { testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');
const V2 = shaOf('commit v2');
const PERMISSION = 'GET /repos/{owner}/{repo}/collaborators/{username}/permission';

/** churn v1.0.0 (V1) and v1.1.0 (V2) registered and evaluated; v1.0.0 in production. */
async function setup(t: { after(fn: () => void): void }, config = CONFIG) {
  const gh = githubApi(t);
  const repo = fakeRepo(gh, {
    roles: { maintainer: 'maintain', writer: 'write', triager: 'triage', reader: 'read', admin: 'admin' },
  });
  repo.setConfig(config);
  repo.addRecord(V1, sampleReport());
  repo.addRecord(V2, sampleReport());
  repo.addHonouredTag('churn@v1.0.0', V1);
  repo.addHonouredTag('churn@v1.1.0', V2);
  repo.addHonouredTag('churn#production#1', V1);
  const app = await testApp();
  return { gh, repo, app };
}

type Repo = Awaited<ReturnType<typeof setup>>['repo'];

/** Pushes `tag` on `commit` as `sender`; the verdict its check gives. */
async function push(app: Awaited<ReturnType<typeof testApp>>, repo: Repo, tag: string, commit: string, sender: string) {
  repo.addTag(tag, commit);
  await app.deliver('push', repo.pushEvent(tag, { sender }));
  const check = repo.registryChecks(commit, tag).at(-1)!; // the newest: this push's
  return { honoured: !String(check.output.title).startsWith('Not honoured'), check };
}

describe('tag pushes: the sender must have the level the default branch asks for', () => {
  test("each row of the table: register write, assign/unassign the stage's promote, deregister/deprecate the highest promote", async (t) => {
    const { repo, app } = await setup(t);
    const V3 = shaOf('commit v3');
    const rows: Array<[string, string, string, boolean]> = [
      ['churn@v1.2.0', V3, 'triager', false],
      ['churn@v1.2.0', V3, 'writer', true],
      ['churn#staging#1', V2, 'reader', false],
      ['churn#staging#2', V2, 'writer', true],
      ['churn#production#2', V2, 'writer', false],
      ['churn#production!#3', V1, 'writer', false],
      ['churn@v1.0.0!', V1, 'writer', false],
      ['churn@deprecated', V1, 'writer', false],
      ['churn#production#4', V2, 'maintainer', true],
      ['churn@v1.0.0!', V1, 'maintainer', true],
    ];
    for (const [tag, commit, sender, expected] of rows) {
      // A tag pushed again by someone else is a new tag object, judged afresh on its own push.
      if (repo.refs.has(`refs/tags/${tag}`)) repo.refs.delete(`refs/tags/${tag}`);
      const { honoured } = await push(app, repo, tag, commit, sender);
      assert.equal(honoured, expected, `${tag} by ${sender}`);
    }
    // Only honoured assignments dispatch.
    assert.deepEqual(
      repo.dispatches.map((d) => d.ref),
      ['churn#staging#2', 'churn#production#4'],
    );
  });

  test('an unauthorised tag stays, dispatches nothing, says who pushed it and who may, and the registry leaves it out', async (t) => {
    const { repo, app } = await setup(t);
    const { honoured, check } = await push(app, repo, 'churn#production#2', V2, 'writer');
    assert.equal(honoured, false);
    assert.equal(check.conclusion, 'failure');
    assert.match(String(check.output.title), /^Not honoured: churn#production#2 was pushed by writer/);
    assert.match(
      String(check.output.summary),
      /needs `maintain` permission on acme\/churn \(`stages\.production\.promote` in \.github\/cairn\.yml on `main`\)\. It was pushed by `writer`, and they have write\./,
    );
    assert.ok(repo.refs.has('refs/tags/churn#production#2'), 'the tag is not deleted');
    assert.deepEqual(repo.dispatches, []);
    const body = repo.issues[0].body;
    assert.match(body, /\| `churn` \| `v1\.1\.0` \| – \| `v1\.0\.0` \|/, 'production is still v1.0.0');
    assert.match(
      body,
      /## Tags not honoured[\s\S]*`churn#production#2`.*pushed by someone without the level it needs \(writer\)/,
    );

    // A deploy from that tag is no deploy of a registered version, and a new process still knows.
    const restarted = await testApp();
    await restarted.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ environment: 'prod', ref: 'churn#production#2', sha: V2 }),
    );
    assert.equal(repo.reviews[0].state, 'rejected');
    assert.match(repo.reviews[0].comment, /churn#production#\u200b2 names no registered version of churn/);
  });

  test("the tagged commit's config cannot lower the bar: the default branch's levels and workflows win", async (t) => {
    const { repo, app } = await setup(t);
    const weakened = CONFIG.replace('    promote: maintain\n', '    promote: read\n').replace(
      'workflow: deploy.yml',
      'workflow: evil.yml',
    );
    repo.setConfig(weakened, V2);
    const refused = await push(app, repo, 'churn#production#2', V2, 'reader');
    assert.equal(refused.honoured, false);
    assert.match(String(refused.check.output.summary), /needs `maintain`/);
    const allowed = await push(app, repo, 'churn#production#3', V2, 'maintainer');
    assert.equal(allowed.honoured, true);
    assert.deepEqual(
      repo.dispatches.map((d) => d.workflow),
      ['deploy.yml'],
    );
  });

  test("bots: the app's own is honoured without a permission lookup; another only when registry.trusted_bots lists it", async (t) => {
    const { gh, repo, app } = await setup(t);
    const own = await push(app, repo, 'churn#staging#1', V2, 'cairn[bot]');
    assert.equal(own.honoured, true);
    const untrusted = await push(app, repo, 'churn#staging#2', V2, 'github-actions[bot]');
    assert.equal(untrusted.honoured, false);
    assert.match(
      String(untrusted.check.output.summary),
      /It was pushed by `github-actions\[bot\]`, and it is a bot that is not listed in registry\.trusted_bots/,
    );
    assert.deepEqual(gh.calls(PERMISSION), [], 'a bot has no repository permission to look up');

    repo.setConfig(`${CONFIG}registry:\n  trusted_bots: ['github-actions[bot]']\n`);
    const trusted = await push(app, repo, 'churn#staging#3', V2, 'github-actions[bot]');
    assert.equal(trusted.honoured, true);
    assert.deepEqual(
      repo.dispatches.map((d) => d.ref),
      ['churn#staging#1', 'churn#staging#3'],
    );
    assert.equal(gh.calls('GET /app').length, 1, 'the app learns its own bot login once per process');
  });

  test('the permission lookup adds one request per push, and nothing else changes', async (t) => {
    const { gh, repo, app } = await setup(t);
    await push(app, repo, 'churn#staging#1', V2, 'maintainer'); // warms the process: tag objects, identity, ETags
    const routes = async (tag: string, sender: string) => {
      const before = gh.requests.length;
      await push(app, repo, tag, V2, sender);
      return gh.requests.slice(before).map((r) => r.route);
    };
    // The app's own bot needs no lookup: its pushes cost what every push cost before this change.
    const byApp = await routes('churn#staging#2', 'cairn[bot]');
    const byPerson = await routes('churn#staging#3', 'maintainer');
    assert.deepEqual(
      byPerson.filter((r) => r !== PERMISSION),
      byApp,
    );
    assert.equal(byPerson.length - byApp.length, 1);
    assert.ok(
      byPerson.length <= 10,
      `an assignment pushed by a person costs ${byPerson.length} requests: ${byPerson.join(', ')}`,
    );
  });

  test("a registration push reads the default branch's config once, for the level and the trusted apps alike", async (t) => {
    const { gh, repo, app } = await setup(t);
    const configReads = () =>
      gh.calls('GET /repos/{owner}/{repo}/contents/{path}').filter((r) => r.params.path === '.github/cairn.yml').length;
    const before = configReads();
    const { honoured, check } = await push(app, repo, 'churn@v1.2.0', shaOf('commit v3'), 'writer');
    assert.equal(honoured, true);
    assert.match(String(check.output.title), /^Registered churn v1\.2\.0/);
    assert.equal(configReads() - before, 1);
  });
});

describe('ChatOps: the commenter needs the same levels', () => {
  test("register needs write, promote the stage's level; show needs none", async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn register churn --bump patch', { login: 'triager', id: 1 }),
    );
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.1.0 to production', { login: 'writer', id: 2 }),
    );
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.1.0 to staging', { login: 'writer', id: 3 }),
    );
    const replies = repo.comments.on(12).map((c) => c.body);
    assert.match(
      replies[0],
      /registering a version of churn needs `write` permission on acme\/churn; you have `triage`/,
    );
    assert.match(
      replies[1],
      /promoting churn to production needs `maintain` permission on acme\/churn \(`stages\.production\.promote` in \.github\/cairn\.yml\); you have `write`/,
    );
    assert.match(replies[2], /✅ Promoted `churn@v1\.1\.0` to `staging`/);
  });

  test("rollback needs the stage's level: a writer is refused and nothing changes", async (t) => {
    const { repo, app } = await setup(t);
    repo.addHonouredTag('churn#production#2', V2); // v1.1.0 replaced v1.0.0: there is something to roll back to
    const tags = repo.tagNames();
    await app.deliver('issue_comment', commentPayload('/cairn rollback churn production', { login: 'writer', id: 4 }));
    const [reply] = repo.comments.on(12).map((c) => c.body);
    assert.match(
      reply,
      /🚫 @writer, rolling back churn in production needs `maintain` permission on acme\/churn \(`stages\.production\.promote` in \.github\/cairn\.yml\); you have `write`\. Nothing was changed\./,
    );
    assert.deepEqual(repo.tagNames(), tags, 'no tag made');
    assert.deepEqual(repo.dispatches, []);
    assert.deepEqual(
      repo
        .writes()
        .map((r) => r.route)
        .filter((r) => !/comments|reactions/.test(r)),
      [],
      'only the reply and its reactions are written',
    );
  });
});

describe("deploy runs: whoever started or re-ran the run must have the stage's level", () => {
  // v1.1.0 replaces v1.0.0 in production (the gate compares it with the version it replaces).
  const toProduction = { environment: 'prod', ref: 'churn#production#2', sha: V2 };

  test('a run the app dispatched is approved; a re-run of it by someone below the level is rejected', async (t) => {
    const { repo, app } = await setup(t);
    repo.addHonouredTag('churn#production#2', V2, { by: 'cairn[bot]' });
    await app.deliver('deployment_protection_rule', protectionRulePayload({ ...toProduction, runId: 1 }));
    repo.workflowRuns.set(2, { login: 'writer', type: 'User' });
    await app.deliver('deployment_protection_rule', protectionRulePayload({ ...toProduction, runId: 2 }));
    repo.workflowRuns.set(3, { login: 'maintainer', type: 'User' });
    await app.deliver('deployment_protection_rule', protectionRulePayload({ ...toProduction, runId: 3 }));

    assert.deepEqual(
      repo.reviews.map((r) => [r.runId, r.state]),
      [
        [1, 'approved'],
        [2, 'rejected'],
        [3, 'approved'],
      ],
    );
    assert.match(
      repo.reviews[1].comment,
      /the run was started by writer, and deploying to production needs maintain permission \(stages\.production\.promote in \.github\/cairn\.yml\): they have write/,
    );
  });

  test("a hand-started deploy (workflow_dispatch on a branch) by a user below the stage's level is rejected", async (t) => {
    const { repo, app } = await setup(t);
    repo.workflowRuns.set(7, { login: 'reader', type: 'User' });
    await app.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ environment: 'staging', ref: 'main', sha: V2, runId: 7 }),
    );
    repo.workflowRuns.set(8, { login: 'writer', type: 'User' });
    await app.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ environment: 'staging', ref: 'main', sha: V2, runId: 8 }),
    );
    assert.deepEqual(
      repo.reviews.map((r) => r.state),
      ['rejected', 'approved'],
    );
    assert.match(repo.reviews[0].comment, /started by reader, and deploying to staging needs write/);
  });

  test('another bot (even a trusted one) cannot start a deploy on its own', async (t) => {
    const { repo, app } = await setup(t, `${CONFIG}registry:\n  trusted_bots: ['github-actions[bot]']\n`);
    repo.addHonouredTag('churn#production#2', V2, { by: 'github-actions[bot]' });
    repo.workflowRuns.set(9, { login: 'github-actions[bot]', type: 'Bot' });
    await app.deliver('deployment_protection_rule', protectionRulePayload({ ...toProduction, runId: 9 }));
    assert.equal(repo.reviews[0].state, 'rejected');
    assert.match(
      repo.reviews[0].comment,
      /only Cairn itself may start a deployment without a person who has the level/,
    );
  });

  test('a stage with no gate on the default branch is rejected, even when the record carries a passing gate of its own', async (t) => {
    const { repo, app } = await setup(t, CONFIG.replace(/ {4}gates:\n.*\n.*\n/, ''));
    repo.addHonouredTag('churn#production#2', V2);
    await app.deliver('deployment_protection_rule', protectionRulePayload({ ...toProduction, runId: 4 }));
    assert.equal(repo.reviews[0].state, 'rejected');
    assert.match(
      repo.reviews[0].comment,
      /no gate for production in \.github\/cairn\.yml on main: set models\.churn\.gates\.production \(or gates\.default\)/,
    );
  });
});
