import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { REGISTRY_ISSUE_MARKER } from '../../core/report/registry-view.ts';
import { githubApi, holdNext } from '../support/github-api.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { commentPayload, deploymentStatusPayload } from './support/payloads.ts';
import { testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');

async function setup(t: { after(fn: () => void): void }) {
  const gh = githubApi(t);
  const repo = fakeRepo(gh, { roles: { maintainer: 'maintain' } });
  repo.setConfig(CONFIG);
  repo.setConfig(CONFIG, V1);
  repo.addRecord(V1, sampleReport());
  repo.addTag('churn@v1.0.0', V1);
  const app = await testApp();
  return { gh, repo, app };
}

describe('the "Model registry" issue', () => {
  test('is created once and then edited in place, recording the newest status per environment across refreshes', async (t) => {
    const { gh, repo, app } = await setup(t);
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
    await app.deliver(
      'deployment_status',
      deploymentStatusPayload({ ref: 'churn#production#1', sha: V1, environment: 'prod', state: 'in_progress' }),
    );
    await app.deliver(
      'deployment_status',
      deploymentStatusPayload({ ref: 'churn#production#1', sha: V1, environment: 'prod', state: 'success' }),
    );
    repo.addTag('churn#staging#1', V1);
    await app.deliver('push', repo.pushEvent('churn#staging#1'));

    assert.equal(repo.issues.length, 1);
    assert.equal(gh.calls('POST /repos/{owner}/{repo}/issues').length, 1);
    const body = repo.issues[0].body;
    assert.ok(body.startsWith(`${REGISTRY_ISSUE_MARKER}\n`));
    assert.match(body, /## Last deployment per environment/);
    assert.match(body, /\| prod \| ✅ success \| `churn#production#1` \|/);
    assert.doesNotMatch(body, /in_progress/);
    assert.match(
      body,
      /\| `churn` \| `v1\.0\.0` \| `v1\.0\.0` \| – \|/,
      'the staging assignment shows after the deployment was recorded',
    );
    assert.match(body, /## Recent changes/);
  });

  test('an existing registry issue is found on a later page of issues (a new app process) and updated, not duplicated', async (t) => {
    const { gh, repo, app } = await setup(t);
    for (let i = 0; i < 120; i++)
      repo.issues.push({
        number: 1000 + i,
        title: `bug ${i}`,
        body: i === 10 ? `> ${REGISTRY_ISSUE_MARKER} quoted` : 'text',
        state: 'open',
      });
    repo.issues.push({ number: 2000, title: 'Model registry', body: `${REGISTRY_ISSUE_MARKER}\nold`, state: 'closed' });
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
    assert.equal(gh.calls('POST /repos/{owner}/{repo}/issues').length, 0);
    assert.equal(gh.calls('GET /repos/{owner}/{repo}/issues').length, 2);
    assert.match(repo.issues.find((i) => i.number === 2000)!.body, /`churn` \| `v1\.0\.0`/);
  });

  test('two tag pushes handled out of order: the issue keeps the newer registry, not the one loaded first', async (t) => {
    const gh = githubApi(t);
    // The assignment's dispatch waits until the registration pushed after it is done.
    const dispatch = holdNext(gh, 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      status: 204,
    });
    const repo = fakeRepo(gh);
    const V2 = shaOf('commit v2');
    for (const sha of [V1, V2]) repo.setConfig(CONFIG, sha);
    repo.setConfig(CONFIG);
    repo.addTag('churn@v1.0.0', V1);
    const app = await testApp();
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));

    repo.addTag('churn#staging#1', V1);
    const assignment = app.deliver('push', repo.pushEvent('churn#staging#1'));
    await dispatch.reached; // its registry (without v1.1.0) is loaded
    repo.addTag('churn@v1.1.0', V2);
    await app.deliver('push', repo.pushEvent('churn@v1.1.0'));
    assert.match(
      repo.issues[0].body,
      /\| `churn` \| `v1\.1\.0` \| – \| – \|/,
      'the assignment is still being judged: not shown yet',
    );
    dispatch.release();
    await assignment;

    assert.match(
      repo.issues[0].body,
      /\| `churn` \| `v1\.1\.0` \| `v1\.0\.0` \| – \|/,
      'the registration pushed second is still shown, and the assignment now that it is honoured',
    );
    repo.addTag('churn#production#1', V2);
    await app.deliver('push', repo.pushEvent('churn#production#1'));
    assert.match(
      repo.issues[0].body,
      /\| `churn` \| `v1\.1\.0` \| `v1\.0\.0` \| `v1\.1\.0` \|/,
      'a later registry is shown again',
    );
  });

  test('a deleted registry issue is made again', async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
    repo.issues.splice(0);
    await app.deliver(
      'deployment_status',
      deploymentStatusPayload({ ref: 'main', sha: V1, environment: 'prod', state: 'success' }),
    );
    assert.equal(repo.issues.length, 1);
    assert.match(repo.issues[0].body, /\| prod \| ✅ success \| `main` \|/);
  });
});

describe('deployment outcomes reach the conversation that asked for them', () => {
  test('a /cairn promote gets one comment per deployment, edited as the status changes, never duplicated', async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.0.0 to production', {
        login: 'maintainer',
        issueNumber: 12,
        pullRequest: true,
      }),
    );
    const tag = repo.tagNames().find((n) => n.startsWith('churn#production'))!;
    // GitHub sends the push of the tag the app made, with the app's bot as its sender.
    await app.deliver('push', repo.pushEvent(tag, { sender: 'cairn[bot]' }));

    const failed = deploymentStatusPayload({ id: 31, ref: tag, sha: V1, environment: 'prod', state: 'failure' });
    const { id } = await app.deliver('deployment_status', failed);
    await app.deliver('deployment_status', failed, { id });
    await app.deliver('deployment_status', failed);
    const afterFailure = repo.comments.on(12);
    assert.equal(afterFailure.length, 2, 'the command reply and one outcome comment');
    assert.match(
      afterFailure[1].body,
      /^<!-- cairn:deployment:31 -->\n❌ Deployment of `churn@v1\.0\.0` to `prod`: \*\*failure\*\* \(\[run\]\(https:\/\/github\.com\/acme\/churn\/actions\/runs\/555\)\)\./,
    );

    await app.deliver(
      'deployment_status',
      deploymentStatusPayload({ id: 31, ref: tag, sha: V1, environment: 'prod', state: 'success' }),
    );
    const final = repo.comments.on(12);
    assert.equal(final.length, 2);
    assert.match(final[1].body, /✅ Deployment of `churn@v1\.0\.0` to `prod`: \*\*success\*\*/);
  });

  test('deployments of tags people pushed themselves, or of branches, comment nowhere', async (t) => {
    const { repo, app } = await setup(t);
    repo.addTag('churn#production#1', V1);
    await app.deliver(
      'deployment_status',
      deploymentStatusPayload({ ref: 'churn#production#1', sha: V1, environment: 'prod', state: 'success' }),
    );
    await app.deliver(
      'deployment_status',
      deploymentStatusPayload({ ref: 'main', sha: V1, environment: 'prod', state: 'success' }),
    );
    assert.equal(repo.comments.on(12).length, 0);
    assert.equal(repo.issues.length, 1);
  });

  test("a Cairn-Request line in a tag a person pushed is not Cairn's: its deployment comments nowhere", async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
    // A maintainer may assign production, but the request line they wrote names someone else's conversation.
    repo.addTag('churn#production#1', V1, { message: 'deploy\nCairn-Request: issue=12 comment=9001\n' });
    await app.deliver('push', repo.pushEvent('churn#production#1', { sender: 'maintainer' }));
    assert.equal(repo.dispatches.length, 1, 'the assignment itself is honoured');
    await app.deliver(
      'deployment_status',
      deploymentStatusPayload({ ref: 'churn#production#1', sha: V1, environment: 'prod', state: 'success' }),
    );
    assert.equal(repo.comments.on(12).length, 0);
  });

  test('deployments of other things (GitHub Pages) leave the registry alone', async (t) => {
    const { gh, repo, app } = await setup(t);
    await app.deliver(
      'deployment_status',
      deploymentStatusPayload({ ref: 'main', sha: V1, environment: 'github-pages', state: 'success' }),
    );
    assert.equal(repo.issues.length, 0);
    assert.deepEqual(gh.calls('GET /repos/{owner}/{repo}/git/matching-refs/{ref}'), []);
  });
});
