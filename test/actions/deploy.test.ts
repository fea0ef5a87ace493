import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../core/logger.ts';
import { FileStore, pushModelArtifact, stagePointerKey } from '../../core/store/index.ts';
import { inputEnv, runBundledAction, runnerFiles } from '../support/action-runner.ts';
import { tempDir } from '../support/cli.ts';

const BUNDLE = resolve('dist/deploy.js');

/** Runs dist/deploy.js as the runner does in a dispatched workflow: the dispatch inputs in the event, INPUT_*, GITHUB_REF. */
async function deployStep(inputs: Record<string, string>, dispatch: Record<string, string> = {}, ref = 'refs/heads/main') {
  const runner = runnerFiles({ repository: 'acme/churn', eventName: 'workflow_dispatch', event: { inputs: dispatch } });
  const result = await runBundledAction(BUNDLE, { ...runner.env, GITHUB_REF: ref, ...inputEnv(inputs) }, { cwd: runner.dir });
  return { ...result, outputs: runner.outputs(), summary: runner.summary() };
}

describe('actions/deploy (dist/deploy.js, run as the runner runs it)', () => {
  const dir = tempDir('cairn-deploy-action-');
  const remote = join(dir, 'remote');
  const serving = join(dir, 'serving');
  const store = new FileStore(remote);
  const pointerPath = join(remote, ...stagePointerKey('churn', 'production').split('/'));
  const pointer = () => JSON.parse(readFileSync(pointerPath, 'utf8')) as Record<string, unknown>;
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    for (const [version, bytes] of [
      ['v1.0.0', 'first model'],
      ['v1.1.0', 'second model'],
    ]) {
      mkdirSync(join(dir, version));
      const file = join(dir, version, 'model.onnx');
      writeFileSync(file, bytes);
      await pushModelArtifact(store, { name: 'churn', version, file, logger: silentLogger });
    }
  });

  test('first and second deploy: the model is copied to the target, outputs and summary name it, the pointer records the previous version', async () => {
    // Model and stage from the assignment tag the app dispatched on, the version from the dispatch inputs.
    const first = await deployStep({ remote: pathToFileURL(remote).href, target: serving }, { version: 'v1.0.0' }, 'refs/tags/churn#production#1');
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const served = join(serving, 'churn', 'production', 'model.onnx');
    assert.equal(first.outputs.uri, pathToFileURL(served).href);
    assert.equal(first.outputs['previous-version'], '');
    assert.equal(readFileSync(served, 'utf8'), 'first model');
    assert.match(first.summary, /### Deployed churn v1\.0\.0 to production/);
    assert.match(first.summary, /\| previous version \| none \(first deploy\) \|/);
    assert.equal(pointer().version, 'v1.0.0');
    assert.equal(pointer().run_url, 'https://github.com/acme/churn/actions/runs/4242');

    const second = await deployStep({ remote, target: serving, model: 'churn', version: 'v1.1.0', stage: 'production' });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.equal(second.outputs['previous-version'], 'v1.0.0');
    assert.equal(readFileSync(served, 'utf8'), 'second model');
    assert.deepEqual([pointer().version, pointer().previous], ['v1.1.0', 'v1.0.0']);
  });

  test('a failing command restores the previous pointer and fails the step saying so', async () => {
    const before = readFileSync(pointerPath, 'utf8');
    const seen = join(dir, 'seen.txt');
    // The command sees the verified model and the deploy's names, then fails.
    const command = `printf '%s %s %s ' "$CAIRN_MODEL" "$CAIRN_VERSION" "$CAIRN_STAGE" > '${seen}' && cat "$CAIRN_MODEL_PATH" >> '${seen}' && exit 3`;
    const step = await deployStep({ remote, command }, { model: 'churn', version: 'v1.0.0', stage: 'production' });
    assert.equal(step.code, 1);
    assert.equal(readFileSync(seen, 'utf8'), 'churn v1.0.0 production first model');
    assert.match(step.stdout, /::error::publishing churn v1\.0\.0 to production failed: the deploy command exited with code 3/);
    assert.match(step.stdout, /The stage pointer was restored to v1\.1\.0/);
    assert.equal(readFileSync(pointerPath, 'utf8'), before);
    assert.match(step.summary, /### Deploy of churn v1\.0\.0 to production failed/);
    assert.equal(step.outputs.uri, undefined);
  });

  test('an unknown version fails with the reason and moves nothing', async () => {
    const before = readFileSync(pointerPath, 'utf8');
    const step = await deployStep({ remote, target: serving, command: 'exit 0' }, { model: 'churn', version: 'v9.0.0', stage: 'production' });
    assert.equal(step.code, 1);
    assert.match(step.stdout, /::error::model churn has no version v9\.0\.0 in file:\/\//);
    assert.equal(readFileSync(pointerPath, 'utf8'), before);
    assert.equal(readFileSync(join(serving, 'churn', 'production', 'model.onnx'), 'utf8'), 'second model');
  });

  test('no stage anywhere fails with what to set', async () => {
    const step = await deployStep({ remote, model: 'churn', version: 'v1.0.0' });
    assert.equal(step.code, 1);
    assert.match(step.stdout, /::error::no stage to deploy: set the stage input/);
  });
});
