/**
 * The registry issue and the app's comments are found by marker AND author (the app's own bot, from
 * `GET /app`), as Renovate finds its dashboard: a marker anyone pasted into an issue or a comment of
 * their own is ignored, and the app makes its own.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { REGISTRY_ISSUE_MARKER } from '../../core/report/registry-view.ts';
import { replyMarker } from '../../app/chatops/handle-comment.ts';
import { githubApi } from '../support/github-api.ts';
import { fakeUser } from '../support/github-fakes.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { APP_LOGIN, CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { commentPayload } from './support/payloads.ts';
import { testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');

async function setup(t: { after(fn: () => void): void }) {
  const gh = githubApi(t);
  const repo = fakeRepo(gh, { roles: { reader: 'read' } });
  for (const at of ['main', V1]) repo.setConfig(CONFIG, at);
  repo.addRecord(V1, sampleReport());
  repo.addTag('churn@v1.0.0', V1);
  return { gh, repo, app: await testApp() };
}

describe('planted markers', () => {
  test('a registry issue someone else opened with the marker is ignored: the app opens its own and later edits that one in place', async (t) => {
    const { gh, repo, app } = await setup(t);
    const planted = repo.addIssue({
      title: 'Model registry',
      body: `${REGISTRY_ISSUE_MARKER}\n| churn | v9.9.9 | production |`,
      state: 'open',
      author: 'mallory',
    });
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
    // A new process looks the issue up again (nothing remembered), and must find the app's, not mallory's.
    repo.addTag('churn#staging#1', V1);
    await (await testApp()).deliver('push', repo.pushEvent('churn#staging#1'));

    assert.equal(gh.calls('POST /repos/{owner}/{repo}/issues').length, 1);
    const ours = repo.issues.filter((i) => i.number !== planted.number);
    assert.equal(ours.length, 1);
    assert.match(
      ours[0].body,
      /\| `churn` \| `v1\.0\.0` \| `v1\.0\.0` \| – \|/,
      "the second refresh edited the app's issue",
    );
    assert.equal(
      repo.issues.find((i) => i.number === planted.number)?.body,
      `${REGISTRY_ISSUE_MARKER}\n| churn | v9.9.9 | production |`,
    );
    assert.deepEqual(
      gh.calls<{ body: string }>('PATCH /repos/{owner}/{repo}/issues/{issue_number}').map((r) => r.params.issue_number),
      [String(ours[0].number)],
    );
    assert.equal(gh.calls('GET /app').length, 2, 'GET /app once per app process');
  });

  test('a ChatOps reply marker planted by someone else does not silence the command: the redelivery still answers', async (t) => {
    const { repo, app } = await setup(t);
    // A first delivery reacted 👀 and died; meanwhile someone pasted the reply marker for that comment.
    repo.reactions.push({ commentId: 9001, content: 'eyes' });
    repo.comments.add({
      issueNumber: 12,
      body: `${replyMarker(9001)}\nalready done, nothing to see`,
      user: fakeUser('mallory', 'User'),
    });
    await app.deliver('issue_comment', commentPayload('/cairn show', { login: 'reader' }));
    const replies = repo.comments.on(12).filter((c) => c.user.login === APP_LOGIN);
    assert.equal(replies.length, 1);
    assert.ok(replies[0].body.includes(replyMarker(9001)));
  });
});
