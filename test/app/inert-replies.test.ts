/**
 * What the app writes to GitHub from a hostile comment, tag or deployment renders inert: no team
 * pinged in the app's name, no HTML or link posted as the app, no planted marker.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { replyMarker } from '../../app/chatops/handle-comment.ts';
import { deploymentMarker } from '../../app/deployment-status.ts';
import { githubApi } from '../support/github-api.ts';
import { assertInert } from '../support/inert-markdown.ts';
import { APP_LOGIN, CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { commentPayload, deploymentStatusPayload, protectionRulePayload } from './support/payloads.ts';
import { testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');
/** One word (a command splits on spaces) that carries most attacks. */
const WORD = '@org/team<img/src=x/onerror=1>](http://x)<!--cairn:registry-->|`#1';

async function setup(t: { after(fn: () => void): void }) {
  const gh = githubApi(t);
  const repo = fakeRepo(gh, { roles: { maintainer: 'maintain' } });
  for (const at of ['main', V1]) repo.setConfig(CONFIG, at);
  repo.addTag('churn@v1.0.0', V1);
  const app = await testApp();
  return { gh, repo, app };
}

describe('ChatOps replies echo the comment inert', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an unknown command', `/cairn ${WORD}`, /unknown command/],
    ['an invalid model name', `/cairn register ${WORD}`, /invalid model name/],
    ['an invalid stage name', `/cairn promote churn@v1.0.0 to ${WORD}`, /invalid stage name/],
    ['an unknown option', `/cairn register churn --${WORD}`, /unknown option/],
    ['a ref that does not exist', `/cairn register churn --ref ${WORD}`, /❌/],
  ];
  for (const [what, body, expected] of cases) {
    test(what, async (t) => {
      const { repo, app } = await setup(t);
      await app.deliver('issue_comment', commentPayload(body, { login: 'maintainer' }));
      const [reply] = repo.comments.on(12).map((c) => c.body);
      assert.match(reply, expected);
      assertInert(reply, { markers: [replyMarker(9001)] });
    });
  }
});

describe('check runs and deployment replies', () => {
  test('the registry check on a hostile tag: a one-line title and an inert summary while it runs and once finished', async (t) => {
    const { gh, repo, app } = await setup(t);
    const tag = `${WORD}@v1.0.0`;
    repo.addTag(tag, V1);
    await app.deliver('push', repo.pushEvent(tag));
    const [started] = gh.calls<{ output: { title: string; summary: string } }>('POST /repos/{owner}/{repo}/check-runs');
    assert.doesNotMatch(started.body.output.title, /\n/);
    assertInert(started.body.output.summary);
    const [finished] = gh.calls<{ status: string; output: { title: string; summary: string } }>(
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
    );
    assert.equal(finished.body.status, 'completed');
    assert.match(finished.body.output.summary, /is not a valid registry tag|invalid registry tag/);
    // GitHub shows a title as plain text (core/github/check-run.ts fitTitle): one line, no control character.
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(finished.body.output.title, /[\u0000-\u001F\u007F]/);
    assert.ok(finished.body.output.title.length <= 200);
    // The verdict line is Cairn's own marker, alone on the last line.
    assertInert(finished.body.output.summary, {
      markers: [/^<!-- cairn:tag-verdict undecided object=[0-9a-f]{40} by=maintainer -->$/],
    });
  });

  test('the deployment review names a hostile environment and ref inert', async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ environment: `${WORD} \`x`, ref: 'main', sha: V1, runId: 1 }),
    );
    await app.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ environment: 'prod', ref: `refs/heads/${WORD}`, sha: shaOf('elsewhere'), runId: 2 }),
    );
    const [environment, ref] = repo.reviews.map((r) => r.comment);
    assert.match(environment, /belongs to no stage/);
    assert.match(ref, /invalid registry tag/);
    assertInert(environment);
    assertInert(ref);
  });

  test('the outcome of a deployment /cairn started names a hostile environment inert', async (t) => {
    const { repo, app } = await setup(t);
    const tag = 'churn#production#1';
    repo.addHonouredTag(tag, V1, { message: 'Assign\n\nCairn-Request: issue=12 comment=9001\n', by: APP_LOGIN }); // the app's own tag
    const environment = `${WORD} \`x`;
    await app.deliver(
      'deployment_status',
      deploymentStatusPayload({
        ref: tag,
        sha: V1,
        environment,
        state: 'success',
        targetUrl: 'https://github.com/acme/churn/actions/runs/1',
      }),
    );
    const [reply] = repo.comments.on(12).map((c) => c.body);
    assert.match(reply, /Deployment of/);
    assertInert(reply, { markers: [deploymentMarker(7001)], links: ['https://github.com/acme/churn/actions/runs/1'] });
  });

  test('a deployment status whose target_url is not a page of the repository is no link, in the reply or the registry issue', async (t) => {
    const { repo, app } = await setup(t);
    const tag = 'churn#production#1';
    repo.addHonouredTag(tag, V1, { message: 'Assign\n\nCairn-Request: issue=12 comment=9001\n', by: APP_LOGIN });
    // target_url is set by anyone with deployments: write.
    const targetUrl = 'https://evil.example/acme/churn/actions/runs/1';
    await app.deliver(
      'deployment_status',
      deploymentStatusPayload({ ref: tag, sha: V1, environment: 'production', state: 'failure', targetUrl }),
    );
    const [reply] = repo.comments.on(12).map((c) => c.body);
    assert.match(reply, /: \*\*failure\*\* \(`https:\/\/evil\.example\/acme\/churn\/actions\/runs\/1`\)\./);
    assertInert(reply, { markers: [deploymentMarker(7001)] });
    const issue = repo.issues[0].body;
    assert.match(issue, /`https:\/\/evil\.example\/acme\/churn\/actions\/runs\/1`/);
    assertInert(issue, {
      markers: [/^<!-- cairn:registry -->$/, /^<!-- cairn:deployments .* -->$/],
      links: ['https://github.com/acme/churn/'],
    });
  });
});
