import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { githubApi } from '../support/github-api.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { commentPayload, protectionRulePayload } from './support/payloads.ts';
import { deliveryStatus, signBody, testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');

async function setup(t: { after(fn: () => void): void }) {
  const gh = githubApi(t);
  const repo = fakeRepo(gh, { roles: { maintainer: 'maintain', reader: 'read' } });
  repo.setConfig(CONFIG);
  repo.setConfig(CONFIG, V1);
  repo.addRecord(V1, sampleReport());
  repo.addHonouredTag('churn@v1.0.0', V1);
  repo.addTag('churn#production#1', V1);
  const app = await testApp();
  return { gh, repo, app };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('the delivery was accepted'),
    (error: unknown) => error,
  );
}

describe('webhook signatures', () => {
  test('a bad, missing, foreign or stale signature is rejected (400) and nothing runs', async (t) => {
    const { gh, repo, app } = await setup(t);
    const body = JSON.stringify(repo.pushEvent('churn#production#1'));
    const tampered = body.replace('churn#production#1', 'churn#production#2');
    const attempts = [
      { name: 'push', body, signature: 'sha256=' + '0'.repeat(64) },
      { name: 'push', body, signature: '' },
      { name: 'push', body, signature: await signBody(body, 'another-secret') },
      { name: 'push', body: tampered, signature: await signBody(body) },
      // The old SHA-1 header alone is not accepted.
      { name: 'push', body, signature: 'sha1=0000000000000000000000000000000000000000' },
    ];
    for (const attempt of attempts) {
      const error = await rejection(app.deliverRaw(attempt));
      assert.equal(deliveryStatus(error), 400);
      assert.match((error as Error).message, /signature does not match/);
    }
    assert.deepEqual(gh.requests, [], 'not even an installation token was requested');
    assert.equal(repo.dispatches.length, 0);
  });

  test('replayed deliveries of a signed tag push, comment and protection rule have no second effect', async (t) => {
    const { repo, app } = await setup(t);
    const deliveries: Array<[string, unknown]> = [
      ['push', repo.pushEvent('churn#production#1')],
      ['issue_comment', commentPayload('/cairn promote churn@v1.0.0 to staging', { login: 'maintainer' })],
      [
        'deployment_protection_rule',
        protectionRulePayload({ environment: 'prod', ref: 'churn#production#1', sha: V1 }),
      ],
    ];
    for (const [name, payload] of deliveries) {
      const { id } = await app.deliver(name, payload);
      for (let i = 0; i < 3; i++) await app.deliver(name, payload, { id });
    }
    assert.equal(repo.dispatches.length, 1);
    assert.equal(repo.tagNames().filter((n) => n.startsWith('churn#staging')).length, 1);
    assert.equal(repo.comments.on(12).length, 1);
    assert.equal(repo.reviews.length, 1);
  });
});

describe('payloads', () => {
  test('a signed payload without the fields a handler needs is a 400 with the field named, nothing is called, and the app keeps working', async (t) => {
    const { gh, repo, app } = await setup(t);
    const { repository: _repository, ...noRepository } = repo.pushEvent('churn#production#1');
    const malformed: Array<[string, unknown, RegExp]> = [
      ['push', noRepository, /malformed push payload: repository: /],
      ['push', { ...repo.pushEvent('churn#production#1'), installation: undefined }, /installation/],
      ['push', { ...repo.pushEvent('churn#production#1'), after: undefined }, /malformed push payload: after: /],
      ['issue_comment', { ...commentPayload('/cairn show'), comment: { id: 'x', body: 5 } }, /comment\.id/],
      [
        'deployment_protection_rule',
        {
          ...protectionRulePayload({ environment: 'prod', ref: 'churn#production#1', sha: V1 }),
          deployment_callback_url: 'not a url',
        },
        /deployment_callback_url/,
      ],
      ['deployment_status', { action: 'created' }, /malformed deployment_status payload/],
    ];
    for (const [name, payload, message] of malformed) {
      const error = await rejection(app.deliver(name, payload));
      assert.equal(deliveryStatus(error), 400, `${name} should be a 400`);
      assert.match((error as Error).message, message);
    }
    assert.deepEqual(gh.requests, []);

    await app.deliver('push', repo.pushEvent('churn#production#1'));
    assert.equal(repo.dispatches.length, 1);
  });

  test('a signed body that is not JSON is a 400', async (t) => {
    const { gh, app } = await setup(t);
    const body = '{"ref": "refs/tags/churn#production#1",';
    const error = await rejection(app.deliverRaw({ name: 'push', body, signature: await signBody(body) }));
    assert.equal(deliveryStatus(error), 400);
    assert.deepEqual(gh.requests, []);
  });
});

describe('permissions', () => {
  test("a read-only user's /cairn promote is refused and makes no tag, even when repeated", async (t) => {
    const { gh, repo, app } = await setup(t);
    for (let id = 1; id <= 3; id++)
      await app.deliver(
        'issue_comment',
        commentPayload('/cairn promote churn@v1.0.0 to production', { login: 'reader', id }),
      );
    assert.equal(
      gh.calls('POST /repos/{owner}/{repo}/git/tags').length + gh.calls('POST /repos/{owner}/{repo}/git/refs').length,
      0,
    );
    assert.equal(repo.comments.on(12).filter((c) => /🚫 @reader/.test(c.body)).length, 3);
  });

  test('a pull request cannot grant itself rights: permissions come from the default branch config', async (t) => {
    const { repo, app } = await setup(t);
    const head = shaOf('pr head');
    repo.branches['feature'] = head;
    repo.setConfig(CONFIG.replace('promote: maintain', 'promote: read'), head);
    await app.deliver(
      'issue_comment',
      commentPayload('/cairn promote churn@v1.0.0 to production', { login: 'reader', pullRequest: true }),
    );
    assert.match(repo.comments.on(12)[0].body, /needs `maintain` permission/);
  });
});
