import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readRecordFromCheckRun } from '../../core/github/eval-record.ts';
import { REGISTRY_ISSUE_MARKER } from '../../core/report/registry-view.ts';
import { githubApi, githubError } from '../support/github-api.ts';
import { sampleReport } from '../core/github/sample-report.ts';
import { CONFIG, fakeRepo, shaOf } from './support/fake-repo.ts';
import { pushPayload } from './support/payloads.ts';
import { deliveryStatus, testApp } from './support/probot.ts';

const V1 = shaOf('commit v1');
const V2 = shaOf('commit v2');

/**
 * A repository with churn v1.0.0 registered (and evaluated) at V1, config on main and on V1/V2.
 * `handled`: the app has judged the registration's push already; `pushed`: its push is on the way.
 */
async function setup(t: { after(fn: () => void): void }, registration: 'handled' | 'pushed' = 'handled') {
  const gh = githubApi(t);
  const repo = fakeRepo(gh, { roles: { maintainer: 'maintain' } });
  for (const at of ['main', V1, V2]) repo.setConfig(CONFIG, at);
  repo.addRecord(V1, sampleReport());
  if (registration === 'handled') repo.addHonouredTag('churn@v1.0.0', V1);
  else repo.addTag('churn@v1.0.0', V1);
  const app = await testApp();
  return { gh, repo, app };
}

describe('tag pushes', () => {
  test('a registration gets a passing check and a release whose notes are the model card and metrics of the record', async (t) => {
    const { repo, app } = await setup(t, 'pushed');
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));

    const [check] = repo.registryChecks(V1);
    assert.equal(check.conclusion, 'success');
    assert.match(String(check.output.title), /^Registered churn v1\.0\.0 \(gate passed\)/);
    const object = repo.refs.get('refs/tags/churn@v1.0.0')!.sha;
    assert.equal(check.external_id, `tag:churn@v1.0.0:${object}`, 'the check names the tag and its tag object');
    assert.match(
      String(check.output.summary),
      new RegExp(`\\n<!-- cairn:tag-verdict honoured object=${object} by=maintainer -->$`),
    );
    const [release] = repo.releases;
    assert.equal(release.tag_name, 'churn@v1.0.0');
    assert.equal(release.name, 'churn v1.0.0');
    assert.equal(release.prerelease, false);
    assert.match(release.body, /# Model card: churn/);
    assert.match(release.body, /\| f1 \| 0\.7640 \|/);
    assert.match(release.body, /Gate passed/);
    assert.match(release.body, /\*\*Model type:\*\* gradient boosting/);
    assert.doesNotMatch(release.body, /^---$/m, 'no YAML front matter in a release body');
    assert.equal(repo.dispatches.length, 0);
    // The registry view is created once, with the new version.
    assert.equal(repo.issues.length, 1);
    assert.equal(repo.issues[0].title, 'Model registry');
    assert.ok(repo.issues[0].body.startsWith(REGISTRY_ISSUE_MARKER));
    assert.match(repo.issues[0].body, /\| `churn` \| `v1\.0\.0` \| – \| – \|/);
  });

  test('a push for a tag deleted before the delivery arrived does nothing; the tag comes from the tag list, not its own ref', async (t) => {
    const { gh, repo, app } = await setup(t);
    repo.addTag('churn@v9.0.0', V2);
    const push = repo.pushEvent('churn@v9.0.0');
    repo.refs.delete('refs/tags/churn@v9.0.0');
    await app.deliver('push', push);
    assert.deepEqual(repo.writes(), []);
    assert.deepEqual(repo.registryChecks(V1, 'churn@v9.0.0'), []);
    assert.deepEqual(gh.calls('GET /repos/{owner}/{repo}/git/ref/{ref}'), [], 'no lookup of the ref by itself');
  });

  test('a registration of a commit without an evaluation record still releases, and says the record is missing', async (t) => {
    const { repo, app } = await setup(t);
    repo.addTag('churn@v2.0.0-rc.1', V2);
    await app.deliver('push', repo.pushEvent('churn@v2.0.0-rc.1'));
    const [check] = repo.registryChecks(V2);
    assert.match(String(check.output.title), /no evaluation record/);
    assert.match(String(check.output.summary), /protection rule will reject this version/);
    assert.equal(repo.releases[0].prerelease, true);
    assert.match(repo.releases[0].body, /No evaluation record/);
  });

  test('an assignment dispatches the stage workflow from the tag with model, version, stage and sha', async (t) => {
    const { repo, app } = await setup(t);
    repo.addTag('churn#production#1', V1);
    await app.deliver('push', repo.pushEvent('churn#production#1'));

    assert.deepEqual(repo.dispatches, [
      {
        workflow: 'deploy.yml',
        ref: 'churn#production#1',
        inputs: { model: 'churn', version: 'v1.0.0', stage: 'production', sha: V1 },
      },
    ]);
    const [check] = repo.registryChecks(V1, 'churn#production#1');
    assert.equal(check.conclusion, 'success');
    assert.match(String(check.output.title), /Dispatched deploy\.yml for churn v1\.0\.0 to production/);
    assert.match(repo.issues[0].body, /\| `churn` \| `v1\.0\.0` \| – \| `v1\.0\.0` \|/);
  });

  test('a stage with its own workflow dispatches that one; a stage without any is recorded, nothing dispatched', async (t) => {
    const { repo, app } = await setup(t);
    const config = CONFIG.replace('deploy:\n  workflow: deploy.yml\n', '').replace(
      '  staging:\n    promote: write\n',
      '  staging:\n    promote: write\n    workflow: .github/workflows/stage.yml\n',
    );
    repo.setConfig(config);
    repo.addTag('churn#staging#1', V1);
    repo.addTag('churn#production#2', V1);
    await app.deliver('push', repo.pushEvent('churn#staging#1'));
    await app.deliver('push', repo.pushEvent('churn#production#2'));

    assert.deepEqual(
      repo.dispatches.map((d) => [d.workflow, d.ref]),
      [['stage.yml', 'churn#staging#1']],
    );
    const [production] = repo.registryChecks(V1, 'churn#production#2');
    assert.equal(production.conclusion, 'neutral');
    assert.match(String(production.output.summary), /set `stages\.production\.workflow` or `deploy\.workflow`/);
  });

  test('an invalid registry tag fails the check on the tagged commit with the grammar, and nothing else happens', async (t) => {
    const { repo, app } = await setup(t);
    repo.addTag('churn@1.0', V2);
    await app.deliver('push', repo.pushEvent('churn@1.0'));
    const [check] = repo.registryChecks(V2);
    assert.equal(check.conclusion, 'failure');
    assert.match(String(check.output.summary), /"1\.0" is not a version/);
    assert.match(String(check.output.summary), /registry tags are name@\u200bvX\.Y\.Z \(register\)/); // rendered inert: no @mention
    assert.equal(repo.dispatches.length + repo.releases.length, 0);
  });

  test('an unknown model or a stage the config does not allow fails the check and dispatches nothing', async (t) => {
    const { repo, app } = await setup(t);
    repo.addTag('fraud#production#1', V1);
    repo.addTag('churn#canary#1', V1);
    await app.deliver('push', repo.pushEvent('fraud#production#1'));
    await app.deliver('push', repo.pushEvent('churn#canary#1'));

    const [fraud] = repo.registryChecks(V1, 'fraud#production#1');
    const [canary] = repo.registryChecks(V1, 'churn#canary#1');
    assert.equal(fraud.conclusion, 'failure');
    assert.match(String(fraud.output.summary), /model "fraud" is not in \.github\/cairn\.yml models \(known: churn\)/);
    assert.equal(canary.conclusion, 'failure');
    assert.match(
      String(canary.output.summary),
      /stage "canary" is not in \.github\/cairn\.yml stages \(known: staging, production\)/,
    );
    assert.equal(repo.dispatches.length, 0);
  });

  test('a lightweight registry tag fails the check and shows how to make an annotated one', async (t) => {
    const { repo, app } = await setup(t);
    repo.addLightweightTag('churn#production', V1);
    await app.deliver('push', repo.pushEvent('churn#production'));
    const [check] = repo.registryChecks(V1, 'churn#production');
    assert.equal(check.conclusion, 'failure');
    assert.match(String(check.output.summary), /lightweight tag.*annotated/s);
    assert.match(String(check.output.summary), /git tag -a 'churn#production'/);
    assert.equal(repo.dispatches.length, 0);
  });

  test('a broken .github/cairn.yml on the default branch fails the check naming the key and line', async (t) => {
    const { repo, app } = await setup(t);
    repo.setConfig(CONFIG.replace('    task: binary', '    task: binery'));
    repo.addTag('churn@v2.0.0', V2);
    await app.deliver('push', repo.pushEvent('churn@v2.0.0'));
    const [check] = repo.registryChecks(V2);
    assert.equal(check.conclusion, 'failure');
    assert.match(
      String(check.output.summary),
      /\.github\/cairn\.yml \(main\): models\.churn\.task: expected one of binary\\\|multiclass\\\|regression, got "binery" \(line 4\)/,
    );
    assert.equal(repo.releases.length, 0);
  });

  test('a .github/cairn.yml over 256 KiB fails the check naming the limit', async (t) => {
    const { repo, app } = await setup(t);
    repo.setConfig(`${CONFIG}${'# padding\n'.repeat(100_000)}`); // the default branch's config is the one read
    repo.addTag('churn@v2.0.0', V2);
    await app.deliver('push', repo.pushEvent('churn@v2.0.0'));
    const [check] = repo.registryChecks(V2);
    assert.equal(check.conclusion, 'failure');
    assert.match(
      String(check.output.summary),
      /\.github\/cairn\.yml at main is 100\d{4} bytes; a Cairn config may be at most 262144 bytes \(256 KiB\)/,
    );
    assert.equal(repo.releases.length, 0);
  });

  test('a default branch with no .github/cairn.yml is told to add one, whatever the tagged commit has', async (t) => {
    const { repo, app } = await setup(t);
    repo.files.delete(`${repo.branches.main}:.github/cairn.yml`);
    repo.addTag('churn@v2.0.0', V2);
    await app.deliver('push', repo.pushEvent('churn@v2.0.0'));
    assert.match(String(repo.registryChecks(V2)[0].output.summary), /has no \.github\/cairn\.yml at main: add one/);
  });

  test('branch pushes and tags that are not registry tags cost no API call', async (t) => {
    const { gh, app } = await setup(t);
    await app.deliver('push', pushPayload('refs/heads/main'));
    await app.deliver('push', pushPayload('refs/tags/v1.0.0'));
    assert.deepEqual(gh.requests, []);
  });

  test('a deleted registry tag refreshes the registry issue and checks nothing', async (t) => {
    const { repo, app } = await setup(t, 'pushed');
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
    repo.refs.delete('refs/tags/churn@v1.0.0');
    await app.deliver('push', pushPayload('refs/tags/churn@v1.0.0', { deleted: true }));
    assert.equal(repo.registryChecks(V1).length, 1);
    assert.equal(repo.issues.length, 1);
    assert.match(repo.issues[0].body, /No models are registered yet/);
  });
});

describe('tag pushes are idempotent', () => {
  test('the same delivery again does nothing at all; a new delivery of the same push finds the check and does not dispatch again', async (t) => {
    const { gh, repo, app } = await setup(t);
    repo.addTag('churn#production#1', V1);
    const payload = repo.pushEvent('churn#production#1');
    const { id } = await app.deliver('push', payload);
    const requests = gh.requests.length;

    await app.deliver('push', payload, { id });
    assert.equal(gh.requests.length, requests, 'a replayed delivery id sends no request');

    await app.deliver('push', payload);
    const restarted = await testApp(); // a new process: its memory is empty, GitHub's markers are not
    await restarted.deliver('push', payload, { id });

    assert.equal(repo.dispatches.length, 1);
    assert.equal(repo.registryChecks(V1, 'churn#production#1').length, 1);
    assert.equal(repo.issues.length, 1);
  });

  test('an internal error fails the delivery, frees the marker, and the redelivery finishes the job once', async (t) => {
    const gh = githubApi(t);
    // Scripted before the fake: the first contents read answers 500, later ones reach the fake.
    gh.on('GET /repos/{owner}/{repo}/contents/{path}', () => githubError(500, 'Server Error'), { times: 1 });
    const repo = fakeRepo(gh);
    repo.setConfig(CONFIG, V1);
    repo.setConfig(CONFIG);
    repo.addRecord(V1, sampleReport());
    repo.addHonouredTag('churn@v1.0.0', V1);
    repo.addTag('churn#production#1', V1);
    const app = await testApp();
    const payload = repo.pushEvent('churn#production#1');

    const failure = await app.deliver('push', payload, { id: 'd-1' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.equal(deliveryStatus(failure), 500);
    assert.equal(repo.dispatches.length, 0);
    const [abandoned] = repo.registryChecks(V1, 'churn#production#1');
    const object = repo.refs.get('refs/tags/churn#production#1')!.sha;
    assert.equal(abandoned.external_id, `retry:churn#production#1:${object}`);
    assert.equal(abandoned.conclusion, 'failure');

    await app.deliver('push', payload, { id: 'd-1' });
    assert.equal(repo.dispatches.length, 1);
    assert.deepEqual(
      repo.registryChecks(V1, 'churn#production#1').map((c) => [c.external_id, c.conclusion]),
      [
        [`retry:churn#production#1:${object}`, 'failure'],
        [`tag:churn#production#1:${object}`, 'success'],
      ],
    );
  });

  test('the check never carries a record that could be mistaken for an evaluation', async (t) => {
    const { repo, app } = await setup(t, 'pushed');
    await app.deliver('push', repo.pushEvent('churn@v1.0.0'));
    assert.equal(readRecordFromCheckRun(repo.registryChecks(V1)[0]), undefined);
  });
});
