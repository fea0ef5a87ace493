/**
 * actions/evaluate's sharded modes as a matrix uses them: `shard: I/N` steps write partials, a
 * `merge:` step given the folder they were downloaded to writes the metrics one step over all
 * rows writes, and checks the gate there.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { inputEnv, runBundledAction, runnerFiles } from '../support/action-runner.ts';
import { tempDir } from '../support/cli.ts';
import { assertStepRefusal } from '../support/refusals.ts';
import { fixture } from '../core/evaluate/fixture-paths.ts';

const BUNDLE = resolve('dist/evaluate.js');
const binary = { model: fixture('binary.onnx'), data: fixture('binary.csv'), target: 'churned', name: 'churn' };

async function evaluateStep(inputs: Record<string, string>) {
  const runner = runnerFiles({ repository: 'acme/churn', eventName: 'pull_request', sha: 'a'.repeat(40) });
  const result = await runBundledAction(BUNDLE, {
    ...runner.env,
    ...inputEnv({
      task: 'auto',
      device: 'auto',
      'batch-size': '4096',
      'no-gate': 'false',
      config: join(runner.dir, 'none.yml'),
      ...inputs,
    }),
  });
  return { ...result, runner, outputs: runner.outputs() };
}

describe('actions/evaluate shard: and merge:', () => {
  test('three shard steps and a merge step over their downloaded folder give the one-step metrics; the gate runs at the merge', async () => {
    // actions/download-artifact without merge-multiple: one folder per artifact.
    const downloaded = tempDir();
    for (const i of [1, 2, 3]) {
      const step = await evaluateStep({ ...binary, shard: `${i}/3` });
      assert.equal(step.code, 0, step.stdout + step.stderr);
      assert.equal(step.outputs['metrics-path'], '');
      assert.match(step.outputs.summary, new RegExp(`^churn: shard ${i}/3, rows \\d+\\.\\.\\d+ of 300`));
      assert.match(step.runner.summary(), new RegExp(`churn: shard ${i}/3`));
      const partial = step.outputs['partial-path'];
      assert.ok(partial.startsWith(step.runner.dir), 'written under RUNNER_TEMP');
      mkdirSync(join(downloaded, `partial-${i}`));
      copyFileSync(partial, join(downloaded, `partial-${i}`, `churn.shard-${i}-of-3.json`));
    }
    const merged = await evaluateStep({ merge: downloaded, name: 'churn', gate: 'roc_auc>=0.9' });
    assert.equal(merged.code, 0, merged.stdout + merged.stderr);
    assert.equal(merged.outputs.passed, 'true');
    assert.match(merged.outputs.summary, /^churn: roc_auc 0\.\d{4}, f1 0\.\d{4} — gate passed$/);
    assert.match(merged.runner.summary(), /merged from 3 shards/);
    const one = await evaluateStep({ ...binary, gate: 'roc_auc>=0.9' });
    const [m, o] = [merged, one].map((step) => JSON.parse(readFileSync(step.outputs['metrics-path'], 'utf8')));
    for (const key of ['rows', 'metrics', 'per_class', 'confusion_matrix', 'curves', 'intervals', 'gate'])
      assert.deepEqual(m[key], o[key], key);
    assert.equal(m.latency, undefined);
  });

  const refusals: Array<[string, () => Record<string, string>, RegExp]> = [
    ['shard: 0/3', () => ({ ...binary, shard: '0/3' }), /shard: "0\/3" is not a shard/],
    ['shard: with gate:', () => ({ ...binary, shard: '1/2', gate: 'f1>=0.5' }), /gate: cannot be used with shard:/],
    [
      'shard: with no-gate: true',
      () => ({ ...binary, shard: '1/2', 'no-gate': 'true' }),
      /no-gate: true cannot be used with shard:/,
    ],
    ['shard: and merge: together', () => ({ ...binary, shard: '1/2', merge: 'x' }), /shard: and merge: are both set/],
    ['merge: with model:', () => ({ merge: 'x', model: binary.model }), /model: cannot be used with merge:/],
    [
      'merge: of a path that does not exist',
      () => ({ merge: 'nowhere' }),
      /merge: names nowhere, which does not exist/,
    ],
    ['merge: of an empty folder', () => ({ merge: tempDir() }), /holds no \.json partials/],
  ];
  for (const [label, inputs, message] of refusals) {
    test(`refuses ${label}: the step fails naming its inputs, nothing written`, async () => {
      const step = await evaluateStep(inputs());
      assertStepRefusal(step, message, label);
      assert.equal(existsSync(join(step.runner.dir, 'cairn')), false, 'nothing written');
    });
  }
});
