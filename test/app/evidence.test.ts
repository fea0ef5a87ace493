/**
 * Evidence only from trusted sources, as the app reads it: a `cairn: churn` check run made by an app
 * other than GitHub Actions (or one listed in the default branch's `evidence.trusted_apps`) never
 * decides a deployment or fills release notes, and the answer says it was ignored.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { githubApi } from '../support/github-api.ts';
import { fakeApp } from '../support/github-fakes.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { protectionRulePayload } from './support/payloads.ts';
import { testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');
const V2 = shaOf('commit v2');
const SHADY = fakeApp('shady-ci', 777);
const withF1 = (f1: number) => sampleReport({ metrics: { ...sampleReport().metrics, f1, roc_auc: 0.915 } });

/**
 * churn v1.0.0 (V1) in production; v1.1.0 (V2) assigned, whose only good-looking record is `candidateApp`'s.
 * `pushed`: tags whose push is on the way (the rest were honoured already).
 */
async function setup(t: { after(fn: () => void): void }, config = CONFIG, pushed: readonly string[] = []) {
  const gh = githubApi(t);
  const repo = fakeRepo(gh);
  for (const at of ['main', V1, V2]) repo.setConfig(config, at);
  for (const [tag, sha] of [
    ['churn@v1.0.0', V1],
    ['churn@v1.1.0', V2],
    ['churn#production#1', V1],
    ['churn#production#2', V2],
  ]) {
    if (pushed.includes(tag)) repo.addTag(tag, sha);
    else repo.addHonouredTag(tag, sha);
  }
  repo.addRecord(V1, withF1(0.74));
  // GitHub Actions evaluated v1.1.0 below the production gate (f1>=0.7); another app claims better.
  repo.addRecord(V2, withF1(0.65), { completedAt: '2024-03-01T10:00:00Z' });
  repo.addRecord(V2, withF1(0.99), { app: SHADY, completedAt: '2024-03-02T10:00:00Z' });
  return { gh, repo, app: await testApp() };
}

const toProduction = { environment: 'prod', ref: 'churn#production#2', sha: V2 };

describe('evidence only from trusted apps (app)', () => {
  test('the protection rule ignores a newer check run with better numbers from another app, and says so', async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver('deployment_protection_rule', protectionRulePayload(toProduction));
    const [review] = repo.reviews;
    assert.equal(review.state, 'rejected');
    assert.match(
      review.comment,
      /ignored a "cairn: churn" check run from app shady-ci \(id 777\): not a trusted source/,
    );
    assert.match(review.comment, /\| `f1>=0\.7` \| 0\.6500 \| 0\.7000 \| ❌ fail \|/);
  });

  test("an app in the default branch's evidence.trusted_apps is trusted; the deployed commit's own list is not", async (t) => {
    const trusting = `${CONFIG}evidence:\n  trusted_apps: [777]\n`;
    const { repo, app } = await setup(t);
    repo.setConfig(trusting, V2); // the commit being deployed cannot vouch for its own evidence
    await app.deliver('deployment_protection_rule', protectionRulePayload({ ...toProduction, runId: 1 }));
    repo.setConfig(trusting, 'main');
    await app.deliver('deployment_protection_rule', protectionRulePayload({ ...toProduction, runId: 2 }));
    assert.deepEqual(
      repo.reviews.map((r) => r.state),
      ['rejected', 'approved'],
    );
    assert.match(repo.reviews[1].comment, /\| `f1>=0\.7` \| 0\.9900 \| 0\.7000 \| ✅ pass \|/);
  });

  test('release notes of a registration use the trusted record and name the ignored one', async (t) => {
    const { repo, app } = await setup(t, CONFIG, ['churn@v1.1.0']);
    await app.deliver('push', repo.pushEvent('churn@v1.1.0'));
    const release = repo.releases.find((r) => r.tag_name === 'churn@v1.1.0');
    assert.ok(release);
    assert.match(release.body, /\| f1 \| 0\.6500 \|/);
    assert.doesNotMatch(release.body, /0\.9900/);
    assert.match(
      release.body,
      /Ignored a "cairn: churn" check run from app shady-ci \(id 777\): not a trusted source\./,
    );
  });

  test('a commit whose only record is from another app registers with no metrics', async (t) => {
    const gh = githubApi(t);
    const repo = fakeRepo(gh);
    for (const at of ['main', V1]) repo.setConfig(CONFIG, at);
    repo.addTag('churn@v1.0.0', V1); // its push is the one delivered below
    repo.addRecord(V1, withF1(0.99), { app: SHADY });
    const app = await testApp();
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
    assert.match(String(repo.registryChecks(V1)[0].output.title), /no evaluation record/);
    assert.match(repo.releases[0].body, /No evaluation record/);
    assert.match(repo.releases[0].body, /from app shady-ci \(id 777\): not a trusted source/);
  });
});
