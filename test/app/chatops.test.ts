import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { githubApi, githubError } from '../support/github-api.ts';
import { CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { verdictKey } from '../../app/tag-verdict.ts';
import { commentPayload } from './support/payloads.ts';
import { deliveryStatus, testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');
const V2 = shaOf('commit v2');

async function setup(t: { after(fn: () => void): void }, options: { gh?: ReturnType<typeof githubApi> } = {}) {
  const gh = options.gh ?? githubApi(t);
  const repo = fakeRepo(gh, { roles: { maintainer: 'maintain', writer: 'write', reader: 'read', admin: 'admin' } });
  repo.setConfig(CONFIG);
  repo.addHonouredTag('churn@v1.0.0', V1);
  repo.addHonouredTag('churn@v1.1.0', V2);
  const app = await testApp();
  return { gh, repo, app };
}

/** The replies Cairn posted on issue 12. */
function replies(repo: ReturnType<typeof fakeRepo>) {
  return repo.comments.on(12).map((c) => c.body);
}

function reactionsTo(repo: ReturnType<typeof fakeRepo>, commentId = 9001) {
  return repo.reactions.filter((r) => r.commentId === commentId).map((r) => r.content);
}

describe('/cairn promote', () => {
  test('a maintainer promotes: an annotated assignment tag through the API, a reply with the result, 👀 then 👍', async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver(
      'issue_comment',
      commentPayload('Looks good.\n/cairn promote churn@v1.1.0 to production\nthanks', { login: 'maintainer' }),
    );

    assert.ok(repo.refs.has('refs/tags/churn#production#1'));
    const object = [...repo.tagObjects.values()].find((o) => o.tag === 'churn#production#1')!;
    assert.equal(object.object.sha, V2);
    assert.match(
      object.message,
      /^Assign churn v1\.1\.0 to production\n\nRequested in https:\/\/github\.com\/acme\/churn\/issues\/12#issuecomment-9001\nCairn-Request: issue=12 comment=9001\n\nBy: @maintainer$/,
    );
    const [reply] = replies(repo);
    assert.match(
      reply,
      /^<!-- cairn:reply:9001 -->\n✅ Promoted `churn@v1\.1\.0` to `production`: created \[`churn#production#1`\]/,
    );
    assert.match(reply, /Cairn dispatches `deploy\.yml` from that tag/);
    assert.deepEqual(reactionsTo(repo), ['eyes', '+1']);
    // The deploy is dispatched by the tag push that GitHub sends next, not by the comment.
    assert.equal(repo.dispatches.length, 0);
  });

  test("a read-only user's promote is refused with the reason, and no tag is made", async (t) => {
    const { gh, repo, app } = await setup(t);
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.1.0 to production', { login: 'reader' }),
    );

    assert.deepEqual(gh.calls('POST /repos/{owner}/{repo}/git/tags'), []);
    assert.deepEqual(gh.calls('POST /repos/{owner}/{repo}/git/refs'), []);
    const [reply] = replies(repo);
    assert.match(
      reply,
      /🚫 @reader, promoting churn to production needs `maintain` permission on acme\/churn \(`stages\.production\.promote` in \.github\/cairn\.yml\); you have `read`\. Nothing was changed\./,
    );
    assert.deepEqual(reactionsTo(repo), ['eyes', '-1']);
  });

  test("each stage's own level applies: write may promote to staging, not to production", async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.0.0 to staging', { login: 'writer', id: 1 }),
    );
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.0.0 to production', { login: 'writer', id: 2 }),
    );
    assert.deepEqual(
      repo.tagNames().filter((n) => n.includes('#')),
      ['churn#staging#1'],
    );
    assert.deepEqual([...reactionsTo(repo, 1).slice(-1), ...reactionsTo(repo, 2).slice(-1)], ['+1', '-1']);
  });

  test('an unknown version, model or stage is answered with the reason and changes nothing', async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v9.9.9 to production', { login: 'maintainer', id: 1 }),
    );
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote fraud@v1.0.0 to production', { login: 'maintainer', id: 2 }),
    );
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.0.0 to canary', { login: 'maintainer', id: 3 }),
    );
    const [version, model, stage] = replies(repo);
    assert.match(version, /❌ churn has no version v9\.9\.9; its active versions: v1\.1\.0, v1\.0\.0\./);
    assert.match(model, /❌ model "fraud" is not in \.github\/cairn\.yml models \(known: churn\)/);
    assert.match(stage, /❌ stage "canary" is not in \.github\/cairn\.yml stages \(known: staging, production\)/);
    assert.equal(repo.tagNames().length, 2);
  });

  test('a broken config is reported in the reply, naming the key', async (t) => {
    const { repo, app } = await setup(t);
    repo.setConfig(CONFIG.replace('promote: maintain', 'promote: owner'));
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.1.0 to production', { login: 'maintainer' }),
    );
    // The message is echoed inert: its pipes are escaped in the markdown source.
    assert.match(
      replies(repo)[0],
      /stages\.production\.promote: expected one of read\\\|triage\\\|write\\\|maintain\\\|admin, got "owner" \(line \d+\)/,
    );
  });

  test('a config over 256 KiB is refused in the reply, naming the limit, and not parsed again for the next command', async (t) => {
    const { gh, repo, app } = await setup(t);
    repo.setConfig(`${CONFIG}${'# padding\n'.repeat(100_000)}`);
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.1.0 to production', { login: 'maintainer' }),
    );
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'maintainer', id: 9002 }));
    for (const reply of replies(repo))
      assert.match(
        reply,
        /❌ \.github\/cairn\.yml at main is 100\d{4} bytes; a Cairn config may be at most 262144 bytes \(256 KiB\)/,
      );
    assert.equal(replies(repo).length, 2);
    const reads = gh.calls('GET /repos/{owner}/{repo}/contents/{path}');
    assert.equal(reads.length, 2);
    assert.ok(reads[1].headers['if-none-match'], 'the second read asks whether the refused file changed');
  });

  test('works on pull request conversations too', async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.1.0 to staging', { login: 'maintainer', pullRequest: true }),
    );
    assert.ok(repo.refs.has('refs/tags/churn#staging#1'));
    assert.equal(replies(repo).length, 1);
  });
});

describe('/cairn register, rollback, show', () => {
  test('register --bump minor tags the default branch head with the next version', async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver('issue_comment', commentPayload('/cairn register churn --bump minor', { login: 'writer' }));
    const object = [...repo.tagObjects.values()].find((o) => o.tag === 'churn@v1.2.0')!;
    assert.equal(object.object.sha, repo.branches.main);
    assert.match(replies(repo)[0], /✅ Registered `churn@v1\.2\.0` at commit `[0-9a-f]{7}`/);
  });

  test('register --version at a ref; a commit that already has a version is refused', async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver(
      'issue_comment',
      commentPayload(`/cairn register churn --version v2.0.0 --ref ${V1}`, { login: 'writer' }),
    );
    assert.match(
      replies(repo)[0],
      /❌ commit [0-9a-f]{7} is already churn v1\.0\.0; a commit holds one version of a model/,
    );
    assert.equal(repo.tagNames().length, 2);
  });

  test('rollback re-assigns the version that held the stage before the current one', async (t) => {
    const { repo, app } = await setup(t);
    repo.addHonouredTag('churn#production#1', V1);
    repo.addHonouredTag('churn#production#2', V2);
    await app.deliver('issue_comment', commentPayload('/cairn rollback churn production', { login: 'admin' }));
    const object = [...repo.tagObjects.values()].find((o) => o.tag === 'churn#production#3')!;
    assert.equal(object.object.sha, V1);
    assert.match(replies(repo)[0], /✅ Rolled `churn` in `production` back from `v1\.1\.0` to `v1\.0\.0`/);
  });

  test('rollback with nothing earlier in the stage is refused', async (t) => {
    const { repo, app } = await setup(t);
    repo.addHonouredTag('churn#production#1', V2);
    await app.deliver('issue_comment', commentPayload('/cairn rollback churn production', { login: 'admin' }));
    assert.match(replies(repo)[0], /no earlier active version of churn was in production before v1\.1\.0/);
    assert.equal(repo.tagNames().length, 3);
  });

  test('show answers anyone with the models × stages table, without a permission check', async (t) => {
    const { gh, repo, app } = await setup(t);
    repo.addHonouredTag('churn#production#1', V1);
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'stranger' }));
    assert.match(
      replies(repo)[0],
      /\| model \| latest \| staging \| production \|\n\|[-: |]+\|\n\| `churn` \| `v1\.1\.0` \| – \| `v1\.0\.0` \|/,
    );
    assert.deepEqual(gh.calls('GET /repos/{owner}/{repo}/collaborators/{username}/permission'), []);
  });

  test('show with 3,000 models fits a GitHub comment: whole rows, the marker first, and how many were left out', async (t) => {
    const { repo, app } = await setup(t);
    for (let i = 0; i < 3_000; i++) {
      const tag = `team-${String(i).padStart(4, '0')}/model-with-a-long-name@v1.0.${i}`;
      // Known to the app already (3,000 tag-object reads through the fake take seconds).
      const object = repo.tagObjects.get(repo.addTag(tag, V1))!;
      const known = {
        tag,
        sha: V1,
        taggedAt: object.tagger.date,
        tagger: { name: object.tagger.name, email: object.tagger.email },
        message: object.message,
        object: object.sha,
      };
      app.runtime.tagObjects.set(object.sha, known);
      app.runtime.tagVerdicts.set(verdictKey('acme/churn', known), { honoured: true, by: 'maintainer', byApp: false });
    }
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'stranger' }));
    const [reply] = replies(repo);
    assert.ok(reply.length <= 65_536, `${reply.length} characters`);
    assert.match(reply, /^<!-- cairn:reply:9001 -->\n## Models\n/);
    const rows = reply.split('\n').filter((line) => /^\| `/.test(line));
    assert.ok(
      rows.every((row) => /^\| `[^`]+` \| `v[^`]+` \| – \| – \|$/.test(row)),
      'every row whole',
    );
    const left = Number(
      /_([\d,]+) more models are not listed here, to fit; `cairn registry show` lists them all\._$/
        .exec(reply)?.[1]
        .replace(/,/g, ''),
    );
    assert.equal(rows.length + left, 3_001, 'listed + left out = every model (churn too)');
  });

  test('a command that does not parse gets 😕 and the usage; other comments and bots get nothing', async (t) => {
    const { gh, repo, app } = await setup(t);
    await app.deliver('issue_comment', commentPayload('/cairn promote churn to production', { login: 'maintainer' }));
    assert.match(replies(repo)[0], /😕 I could not read that command: promote takes NAME@\u200BvX\.Y\.Z to STAGE\./);
    assert.match(replies(repo)[0], /\/cairn rollback NAME STAGE/);
    assert.deepEqual(reactionsTo(repo), ['eyes', 'confused']);

    const before = gh.requests.length;
    await app.deliver(
      'issue_comment',
      commentPayload('Nice work!\n> /cairn promote churn@v1.1.0 to production', { id: 2 }),
    );
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.1.0 to production', { id: 3, login: 'cairn[bot]', type: 'Bot' }),
    );
    assert.equal(gh.requests.length, before);
  });
});

describe('ChatOps is idempotent', () => {
  test('a replayed or redelivered comment gets no second tag and no second reply', async (t) => {
    const { repo, app } = await setup(t);
    const payload = commentPayload('/cairn promote churn@v1.1.0 to production', { login: 'maintainer' });
    const { id } = await app.deliver('issue_comment', payload);
    await app.deliver('issue_comment', payload, { id });
    await app.deliver('issue_comment', payload);
    await (await testApp()).deliver('issue_comment', payload, { id });
    assert.equal(repo.tagNames().filter((n) => n.startsWith('churn#')).length, 1);
    assert.equal(replies(repo).length, 1);
  });

  test('a comment seen for the first time is answered without reading the thread; a redelivery reads it and stops', async (t) => {
    const { gh, repo, app } = await setup(t);
    const payload = commentPayload('/cairn show', { login: 'reader' });
    await app.deliver('issue_comment', payload);
    assert.equal(replies(repo).length, 1);
    assert.deepEqual(
      gh.calls('GET /repos/{owner}/{repo}/issues/{issue_number}/comments'),
      [],
      'GitHub added the 👀 (201), so there was no reply to look for',
    );

    await (await testApp()).deliver('issue_comment', payload);
    assert.equal(
      gh.calls('GET /repos/{owner}/{repo}/issues/{issue_number}/comments').length,
      1,
      'the 👀 existed (200), so the thread was searched',
    );
    assert.equal(replies(repo).length, 1);
    assert.deepEqual(reactionsTo(repo), ['eyes'], 'a question gets its reply, and no 👍');

    await app.deliver('issue_comment', commentPayload('/cairn help', { id: 9002, login: 'reader' }));
    assert.match(replies(repo)[1], /Cairn commands:/);
    assert.deepEqual(reactionsTo(repo, 9002), ['eyes']);
  });

  test('when GitHub refuses reactions, the thread is searched before anything is done', async (t) => {
    const gh = githubApi(t);
    // 👀 and 👍 of the first delivery, 👀 of the second.
    gh.on(
      'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
      () => githubError(422, 'Validation Failed'),
      { times: 3 },
    );
    const { repo, app } = await setup(t, { gh });
    const payload = commentPayload('/cairn promote churn@v1.1.0 to production', { login: 'maintainer' });
    await app.deliver('issue_comment', payload);
    assert.equal(gh.calls('GET /repos/{owner}/{repo}/issues/{issue_number}/comments').length, 1);
    assert.deepEqual(
      repo.tagNames().filter((n) => n.startsWith('churn#')),
      ['churn#production#1'],
    );
    assert.equal(replies(repo).length, 1);

    await (await testApp()).deliver('issue_comment', payload);
    assert.equal(gh.calls('GET /repos/{owner}/{repo}/issues/{issue_number}/comments').length, 2);
    assert.deepEqual(
      repo.tagNames().filter((n) => n.startsWith('churn#')),
      ['churn#production#1'],
    );
    assert.equal(replies(repo).length, 1);
  });

  test('a crash between the tag and the reply: the redelivery finds the tag by its request line and only replies', async (t) => {
    const gh = githubApi(t);
    gh.on('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', () => githubError(502, 'Bad Gateway'), {
      times: 1,
    });
    const { repo, app } = await setup(t, { gh });
    const payload = commentPayload('/cairn promote churn@v1.1.0 to production', { login: 'maintainer' });

    const failure = await app.deliver('issue_comment', payload, { id: 'd-7' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.equal(deliveryStatus(failure), 502);
    assert.ok(repo.refs.has('refs/tags/churn#production#1'));
    assert.equal(replies(repo).length, 0);

    await app.deliver('issue_comment', payload, { id: 'd-7' });
    assert.deepEqual(
      repo.tagNames().filter((n) => n.startsWith('churn#')),
      ['churn#production#1'],
    );
    assert.match(replies(repo)[0], /✅ Done earlier for this comment: \[`churn#production#1`\]/);
  });
});
