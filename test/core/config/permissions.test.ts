import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { meetsLevel, parseRepoConfig, requiredLevel } from '../../../core/config/index.ts';
import { UserError } from '../../../core/errors.ts';

const config = (stages: string, extra = '') =>
  parseRepoConfig(`models:\n  churn:\n    path: m.onnx\nstages:\n${stages}${extra}`, '.github/cairn.yml');

describe('who may change the registry (one table for ChatOps, tag pushes and deploy runs)', () => {
  const STAGES = '  staging:\n    promote: write\n  production:\n    promote: admin\n  canary:\n';

  test("register needs write; assign and unassign need the stage's promote level, naming the key", () => {
    const c = config(STAGES);
    assert.deepEqual(requiredLevel(c, { event: 'registration' }), { level: 'write' });
    assert.deepEqual(requiredLevel(c, { event: 'assignment', stage: 'production' }), {
      level: 'admin',
      key: 'stages.production.promote',
    });
    assert.deepEqual(requiredLevel(c, { event: 'unassignment', stage: 'staging' }), {
      level: 'write',
      key: 'stages.staging.promote',
    });
    assert.equal(
      requiredLevel(c, { event: 'assignment', stage: 'canary' }).level,
      'write',
      'a stage with nothing under it promotes with write',
    );
  });

  test('deregister and deprecate need the highest promote level of all stages, maintain when there are none', () => {
    assert.equal(requiredLevel(config(STAGES), { event: 'deregistration' }).level, 'admin');
    assert.equal(requiredLevel(config(STAGES), { event: 'deprecation' }).level, 'admin');
    assert.equal(requiredLevel(config('  staging:\n    promote: triage\n'), { event: 'deprecation' }).level, 'triage');
    assert.equal(
      requiredLevel(parseRepoConfig('models:\n  churn:\n    path: m.onnx\n', '.github/cairn.yml'), {
        event: 'deregistration',
      }).level,
      'maintain',
    );
  });

  test('a stage the config does not have needs admin: no tag invents a stage with a lower bar', () => {
    assert.equal(requiredLevel(config(STAGES), { event: 'assignment', stage: 'qa' }).level, 'admin');
  });

  test('levels are ordered read < triage < write < maintain < admin; none reaches nothing', () => {
    assert.ok(meetsLevel('maintain', 'write'));
    assert.ok(meetsLevel('write', 'write'));
    assert.ok(!meetsLevel('triage', 'write'));
    assert.ok(!meetsLevel('none', 'read'));
  });

  test('registry.trusted_bots takes bot logins only, and defaults to none', () => {
    assert.deepEqual(config(STAGES).registry.trusted_bots, []);
    assert.deepEqual(config(STAGES, "registry:\n  trusted_bots: ['github-actions[bot]']\n").registry.trusted_bots, [
      'github-actions[bot]',
    ]);
    assert.throws(
      () => config(STAGES, 'registry:\n  trusted_bots: [octocat]\n'),
      (error: unknown) =>
        error instanceof UserError &&
        /registry\.trusted_bots\[0\]: expected a bot login such as github-actions\[bot\]/.test(error.message),
    );
  });
});
