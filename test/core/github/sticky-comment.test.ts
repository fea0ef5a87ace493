import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createOctokit } from '../../../core/github/octokit.ts';
import { hasMarkerLine, upsertStickyComment, withMarker } from '../../../core/github/sticky-comment.ts';
import { githubApi } from '../../support/github-api.ts';
import { fakeIssueComments, fakeUser } from '../../support/github-fakes.ts';

const marker = '<!-- cairn:churn:metrics -->';
const target = { owner: 'acme', repo: 'churn', issueNumber: 7, marker, author: 'github-actions[bot]' };
const octokit = () => createOctokit({ auth: 'test-token', retries: 0, throttle: false });
const LIST = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
const PATCH = 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}';
const POST = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';

function seedChatter(comments: ReturnType<typeof fakeIssueComments>, count: number) {
  for (let i = 0; i < count; i++) comments.add({ issueNumber: 7, body: `review comment ${i}` });
}

describe('upsertStickyComment', () => {
  test('creates the comment, marker first, when the pull request has none', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const comments = fakeIssueComments(gh);
    const result = await upsertStickyComment(octokit(), { ...target, body: `${marker}\n## churn\nf1 0.67` });
    assert.equal(result.action, 'created');
    const [created] = comments.on(7);
    assert.deepEqual([result.id, result.url], [created.id, created.html_url]);
    assert.equal(created.body, `${marker}\n## churn\nf1 0.67`);
    assert.equal(gh.calls(POST).length, 1);
  });

  for (const position of [150, 230]) {
    test(`finds its comment on page ${Math.ceil((position + 1) / 100)} among ${position + 40} comments and updates it in place`, async (t) => {
      const gh = githubApi(t, { validateResponses: true });
      const comments = fakeIssueComments(gh);
      seedChatter(comments, position);
      const ours = comments.add({ issueNumber: 7, body: `${marker}\nold report`, user: fakeUser() });
      seedChatter(comments, 40);

      const result = await upsertStickyComment(octokit(), { ...target, body: `${marker}\nnew report` });

      assert.deepEqual(result, { id: ours.id, url: ours.html_url, action: 'updated' });
      assert.equal(comments.on(7).length, position + 41, 'no second report comment');
      assert.equal(comments.on(7).find((c) => c.id === ours.id)?.body, `${marker}\nnew report`);
      assert.equal(gh.calls(POST).length, 0);
      assert.deepEqual(
        gh.calls<{ body: string }>(PATCH).map((r) => [r.params.comment_id, r.body.body]),
        [[String(ours.id), `${marker}\nnew report`]],
      );
      assert.ok(
        gh.calls(LIST).every((r) => r.query.per_page === '100'),
        'asks for full pages',
      );
    });
  }

  test('sends nothing when the body is already what the comment says', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const comments = fakeIssueComments(gh);
    seedChatter(comments, 120);
    const ours = comments.add({ issueNumber: 7, body: `${marker}\nsame report`, user: fakeUser() });
    const result = await upsertStickyComment(octokit(), { ...target, body: `${marker}\nsame report` });
    assert.deepEqual(result, { id: ours.id, url: ours.html_url, action: 'unchanged' });
    assert.equal(gh.calls(PATCH).length + gh.calls(POST).length, 0);
  });

  test("a marker planted in someone else's comment is ignored: theirs is untouched and ours is created, then updated in place", async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const comments = fakeIssueComments(gh);
    const planted = comments.add({
      issueNumber: 7,
      body: `${marker}\nf1 0.99, ship it`,
      user: fakeUser('mallory', 'User'),
    });
    const impostor = comments.add({ issueNumber: 7, body: `${marker}\nf1 0.99`, user: fakeUser('other-app[bot]') });
    const first = await upsertStickyComment(octokit(), { ...target, body: `${marker}\nf1 0.67` });
    const second = await upsertStickyComment(octokit(), { ...target, body: `${marker}\nf1 0.70` });
    assert.equal(first.action, 'created');
    assert.deepEqual([second.action, second.id], ['updated', first.id]);
    assert.equal(comments.on(7).find((c) => c.id === planted.id)?.body, `${marker}\nf1 0.99, ship it`);
    assert.equal(comments.on(7).find((c) => c.id === impostor.id)?.body, `${marker}\nf1 0.99`);
    assert.deepEqual(
      gh.calls<{ body: string }>(PATCH).map((r) => r.params.comment_id),
      [String(first.id)],
    );
  });

  test('our author is matched whatever its case', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const comments = fakeIssueComments(gh);
    const ours = comments.add({ issueNumber: 7, body: `${marker}\nold`, user: fakeUser('GitHub-Actions[bot]') });
    assert.deepEqual(await upsertStickyComment(octokit(), { ...target, body: `${marker}\nnew` }), {
      id: ours.id,
      url: ours.html_url,
      action: 'updated',
    });
  });

  test('a reply quoting our comment is not taken for it', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const comments = fakeIssueComments(gh);
    comments.add({ issueNumber: 7, body: `> ${marker}\n> old report\n\nWhy did f1 drop?` });
    const result = await upsertStickyComment(octokit(), { ...target, body: `${marker}\nreport` });
    assert.equal(result.action, 'created');
    assert.equal(comments.on(7)[0].body, `> ${marker}\n> old report\n\nWhy did f1 drop?`, 'the reply is untouched');
  });

  test('another model’s comment on the same pull request is left alone', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const comments = fakeIssueComments(gh);
    const other = comments.add({ issueNumber: 7, body: '<!-- cairn:fraud:metrics -->\nfraud report' });
    await upsertStickyComment(octokit(), { ...target, body: `${marker}\nchurn report` });
    assert.equal(comments.on(7).find((c) => c.id === other.id)?.body, '<!-- cairn:fraud:metrics -->\nfraud report');
    assert.equal(comments.on(7).length, 2);
  });

  test('a body without the marker gets it, so the next run finds the comment', async (t) => {
    const gh = githubApi(t, { validateResponses: true });
    const comments = fakeIssueComments(gh);
    await upsertStickyComment(octokit(), { ...target, body: 'report v1' });
    const second = await upsertStickyComment(octokit(), { ...target, body: 'report v2' });
    assert.equal(second.action, 'updated');
    assert.deepEqual(
      comments.on(7).map((c) => c.body),
      [`${marker}\nreport v2`],
    );
  });
});

describe('withMarker', () => {
  test('a body over 65,536 characters is cut to fit, the marker kept first and on its own line', () => {
    const long = `❌ ${'a very long error message line\n'.repeat(4_000)}`;
    for (const body of [long, `intro\n${marker}\n${long}`]) {
      const posted = withMarker(body, marker);
      assert.ok(posted.length <= 65_536, `${posted.length}`);
      assert.ok(posted.startsWith(`${marker}\n`));
      assert.ok(hasMarkerLine(posted, marker));
      assert.equal(posted.split(marker).length, 2, 'one marker');
      assert.match(posted, /\n\n… \(cut to fit a GitHub comment\)$/);
    }
    assert.equal(withMarker('short', marker), `${marker}\nshort`);
  });
});
