import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricsReport } from '../../core/metrics/types.ts';
import { githubApi } from '../support/github-api.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { checkWebhookPayload, protectionRulePayload } from './support/payloads.ts';
import { deliveryStatus, testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');
const V2 = shaOf('commit v2');

function withMetrics(metrics: Record<string, number>) {
  return sampleReport({ metrics: { ...sampleReport().metrics, ...metrics } });
}

/** churn v1.0.0 (V1) is in production; v1.1.0 (V2) has just been assigned. Both evaluated. */
async function setup(
  t: { after(fn: () => void): void },
  candidate: MetricsReport | null = withMetrics({ f1: 0.764, roc_auc: 0.915 }),
) {
  const gh = githubApi(t);
  const repo = fakeRepo(gh);
  repo.setConfig(CONFIG);
  repo.addHonouredTag('churn@v1.0.0', V1);
  repo.addHonouredTag('churn@v1.1.0', V2);
  repo.addHonouredTag('churn#production#1', V1);
  repo.addHonouredTag('churn#production#2', V2);
  repo.addRecord(V1, withMetrics({ f1: 0.74, roc_auc: 0.92 }));
  if (candidate) repo.addRecord(V2, candidate);
  const app = await testApp();
  return { gh, repo, app };
}

const toProduction = { environment: 'prod', ref: 'churn#production#2', sha: V2 };

describe('deployment protection rule', () => {
  test('the payload the tests send is one GitHub could send', () => {
    assert.doesNotThrow(() =>
      checkWebhookPayload('deployment-protection-rule-requested', protectionRulePayload(toProduction)),
    );
    assert.throws(
      () =>
        checkWebhookPayload('deployment-protection-rule-requested', {
          ...protectionRulePayload(toProduction),
          action: 'approved',
        }),
      /does not match/,
    );
  });

  test("approves a version whose record passes the stage's gate against the version it replaces, and shows the metrics and the card", async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver('deployment_protection_rule', protectionRulePayload(toProduction));

    const [review] = repo.reviews;
    assert.deepEqual([review.runId, review.environment_name, review.state], [555, 'prod', 'approved']);
    assert.match(review.comment, /^✅ Cairn approves `churn@v1\.1\.0` to `prod`\./);
    assert.match(review.comment, /Gate passed\*\* \(2 of 2 rules\): `f1>=0\.7, roc_auc>=baseline-0\.01`/);
    assert.match(review.comment, /\| `roc_auc>=baseline-0\.01` \| 0\.9150 \| 0\.9100 \| ✅ pass \|/);
    assert.match(review.comment, /\| metric \| v1\.0\.0 \(now in production\) \| v1\.1\.0 \| change \|/);
    assert.match(
      review.comment,
      /\[model card\]\(https:\/\/github\.com\/acme\/churn\/releases\/tag\/churn%40v1\.1\.0\)/,
    );
    assert.match(review.comment, /\[evaluation record\]\(https:\/\/github\.com\/acme\/churn\/runs\/\d+\)/);
  });

  test('rejects a version whose gate fails, naming the failing rule', async (t) => {
    const { repo, app } = await setup(t, withMetrics({ f1: 0.65, roc_auc: 0.915 }));
    await app.deliver('deployment_protection_rule', protectionRulePayload(toProduction));
    const [review] = repo.reviews;
    assert.equal(review.state, 'rejected');
    assert.match(
      review.comment,
      /^❌ Cairn rejects `churn@v1\.1\.0` to `prod`\.\n\n- The production gate failed for churn v1\.1\.0\./,
    );
    assert.match(review.comment, /\| `f1>=0\.7` \| 0\.6500 \| 0\.7000 \| ❌ fail \|/);
  });

  test('rejects a version with no evaluation record', async (t) => {
    const { repo, app } = await setup(t, null);
    await app.deliver('deployment_protection_rule', protectionRulePayload(toProduction));
    assert.equal(repo.reviews[0].state, 'rejected');
    assert.match(
      repo.reviews[0].comment,
      /commit [0-9a-f]{7} has no "cairn: churn" evaluation record; run the evaluation on it first/,
    );
  });

  test("rejects what it cannot tie to a stage and a version: unknown environment, another stage's tag, no deployment, a stray ref", async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ ...toProduction, environment: 'qa', runId: 1 }),
    );
    repo.addHonouredTag('churn#staging#3', V2);
    await app.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ ...toProduction, ref: 'churn#staging#3', runId: 2 }),
    );
    await app.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ ...toProduction, deployment: false, runId: 3 }),
    );
    await app.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ ...toProduction, ref: 'main', sha: shaOf('elsewhere'), runId: 4 }),
    );

    assert.deepEqual(
      repo.reviews.map((r) => r.state),
      ['rejected', 'rejected', 'rejected', 'rejected'],
    );
    const [qa, staging, none, stray] = repo.reviews.map((r) => r.comment);
    assert.match(qa, /environment "qa" belongs to no stage in \.github\/cairn\.yml/);
    // Reasons are rendered inert: `#3` gets a zero-width space so it links no issue.
    assert.match(
      staging,
      /runs from churn#staging#\u200B3, which assigns staging, but this environment is stage production/,
    );
    assert.match(none, /the event names no deployment/);
    assert.match(stray, /commit [0-9a-f]{7} \(ref main\) is no registered model version/);
  });

  test('a branch deployment of a registered commit is judged as that version; a stage with no own gate uses default', async (t) => {
    const { repo, app } = await setup(t);
    await app.deliver(
      'deployment_protection_rule',
      protectionRulePayload({ environment: 'staging', ref: 'main', sha: V2 }),
    );
    assert.equal(repo.reviews[0].state, 'approved');
    assert.match(repo.reviews[0].comment, /Gate passed\*\* \(1 of 1 rules\): `f1>=0\.6`/);
  });

  test('a callback URL of another repository is a 400 and nothing is sent', async (t) => {
    const { gh, app } = await setup(t);
    const failure = await app
      .deliver('deployment_protection_rule', protectionRulePayload({ ...toProduction, callbackRepo: 'evil/elsewhere' }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    assert.equal(deliveryStatus(failure), 400);
    assert.deepEqual(gh.requests, []);
  });

  test('a redelivery does not review twice', async (t) => {
    const { repo, app } = await setup(t);
    const payload = protectionRulePayload(toProduction);
    const { id } = await app.deliver('deployment_protection_rule', payload);
    await app.deliver('deployment_protection_rule', payload, { id });
    assert.equal(repo.reviews.length, 1);
  });
});
