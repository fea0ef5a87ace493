/**
 * Planned registry changes against GTO's `GitRegistry` rules (gto/registry.py) and the tag names its
 * tests expect (tests/test_api.py, tests/test_cli.py). Nothing here touches git.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import {
  planAssignment,
  planDeprecation,
  planDeregistration,
  planRegistration,
  planUnassignment,
  registryState,
  type AnnotatedTag,
  type PlanContext,
} from '../../../core/registry/index.ts';

const HEAD = 'a'.repeat(40);
const PARENT = 'b'.repeat(40);
let clock = 0;

/** A repository's tags: each call adds annotated tags one second apart. */
function repo(...tags: Array<[string, string]>): PlanContext {
  const annotated: AnnotatedTag[] = tags.map(([tag, sha]) => ({
    tag,
    sha,
    taggedAt: new Date(Date.UTC(2024, 0, 1) + ++clock * 1000).toISOString(),
  }));
  return {
    state: registryState(annotated),
    tagNames: tags.map(([tag]) => tag),
    by: 'Jane <jane@example.com>',
    why: 'retrained on March data',
  };
}

const tagsOf = (planned: Array<{ tag: string }>) => planned.map((p) => p.tag);
const refused = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (error: unknown) => error instanceof UserError && message.test(error.message));

describe('register (GTO tests/test_cli.py::test_register, tests/test_api.py::test_register_deregister)', () => {
  test('first version v0.0.1, an explicit version, the auto-bump after it', () => {
    assert.deepEqual(tagsOf(planRegistration(repo(), { name: 'a1', sha: HEAD })), ['a1@v0.0.1']);
    assert.deepEqual(tagsOf(planRegistration(repo(), { name: 'a2', sha: HEAD, version: 'v1.2.3' })), ['a2@v1.2.3']);
    const planned = planRegistration(repo(['artifact@v1.0.0', PARENT]), { name: 'artifact', sha: HEAD });
    assert.deepEqual(planned[0].event, { name: 'artifact', event: 'registration', version: 'v1.0.1' });
    assert.equal(planned[0].sha, HEAD);
  });
  test('the message records what, why and who', () => {
    const [planned] = planRegistration(repo(), { name: 'churn', sha: HEAD, version: 'v1.3.0' });
    assert.equal(planned.message, 'Register churn v1.3.0\n\nretrained on March data\n\nBy: Jane <jane@example.com>');
  });
  test('re-registering a deregistered commit gives its old version, numbered since the plain tag exists (a2@v1.2.3#1)', () => {
    const context = repo(['a2@v1.2.3', HEAD], ['a2@v1.2.3!', HEAD]);
    assert.deepEqual(tagsOf(planRegistration(context, { name: 'a2', sha: HEAD })), ['a2@v1.2.3#1']);
    refused(
      () => planRegistration(context, { name: 'a2', sha: HEAD, version: 'v2.0.0' }),
      /was a2 v1\.2\.3 \(deregistered since\); it can only be registered again as v1\.2\.3/,
    );
  });
  test('refusals: invalid version (GTO: "Supplied version \'1.2.3\' cannot be parsed"), a commit that holds a version, a version in use, --version with --bump, bump with nothing to bump', () => {
    refused(() => planRegistration(repo(), { name: 'a3', sha: HEAD, version: '1.2.3' }), /invalid version "1\.2\.3"/);
    refused(
      () => planRegistration(repo(['m@v1.0.0', HEAD]), { name: 'm', sha: HEAD }),
      /already m v1\.0\.0; a commit holds one version/,
    );
    refused(
      () => planRegistration(repo(['m@v1.0.0', PARENT]), { name: 'm', sha: HEAD, version: 'v1.0.0' }),
      /v1\.0\.0 already exists at commit bbbbbbb/,
    );
    refused(
      () =>
        planRegistration(repo(['m@v1.0.0', PARENT], ['m@v1.0.1', 'c'.repeat(40)], ['m@v1.0.1!', 'c'.repeat(40)]), {
          name: 'm',
          sha: HEAD,
        }),
      /next version after v1\.0\.0 is v1\.0\.1, but it already exists .* \(deregistered\)/,
    );
    refused(
      () => planRegistration(repo(), { name: 'm', sha: HEAD, version: 'v1.0.0', bump: 'minor' }),
      /--version or --bump, not both/,
    );
    refused(
      () => planRegistration(repo(), { name: 'm', sha: HEAD, bump: 'minor' }),
      /no registered version to bump yet/,
    );
    refused(() => planRegistration(repo(), { name: 'bad name', sha: HEAD }), /invalid model name "bad name"/);
  });
});

describe('assign (GTO tests/test_cli.py::test_assign, tests/test_api.py::test_assign_force_is_needed)', () => {
  test('a registered version: one numbered tag on its commit (nn1#prod#1)', () => {
    const planned = planAssignment(repo(['nn1@v0.0.1', HEAD]), { name: 'nn1', stage: 'prod', sha: HEAD });
    assert.deepEqual(
      planned.map(({ tag, sha, event }) => ({ tag, sha, event })),
      [{ tag: 'nn1#prod#1', sha: HEAD, event: { name: 'nn1', event: 'assignment', stage: 'prod', version: 'v0.0.1' } }],
    );
  });
  test('an unregistered commit is registered first (nn2@v0.0.1 then nn2#prod#1)', () => {
    assert.deepEqual(tagsOf(planAssignment(repo(), { name: 'nn2', stage: 'prod', sha: HEAD })), [
      'nn2@v0.0.1',
      'nn2#prod#1',
    ]);
  });
  test('by version; a version still assigned needs --force, which makes it the holder again', () => {
    const context = repo(['m@v0.0.1', HEAD], ['m#staging#1', HEAD], ['m@v0.0.2', PARENT], ['m#staging#2', PARENT]);
    refused(
      () => planAssignment(context, { name: 'm', stage: 'staging', sha: HEAD }),
      /m v0\.0\.1 is already assigned to staging \(m#staging#1\), though v0\.0\.2 was assigned after it; pass --force/,
    );
    refused(
      () => planAssignment(context, { name: 'm', stage: 'staging', version: 'v0.0.2' }),
      /m v0\.0\.2 already holds staging/,
    );
    assert.deepEqual(tagsOf(planAssignment(context, { name: 'm', stage: 'staging', sha: HEAD, force: true })), [
      'm#staging#3',
    ]);
  });
  test('refusals: unknown version, deregistered version, neither or both of version and ref, a stage the config does not list', () => {
    const context = repo(['m@v1.0.0', HEAD], ['m@v1.1.0', PARENT], ['m@v1.1.0!', PARENT]);
    refused(
      () => planAssignment(context, { name: 'm', stage: 'prod', version: 'v9.0.0' }),
      /m has no version v9\.0\.0; its active versions: v1\.0\.0/,
    );
    refused(
      () => planAssignment(context, { name: 'm', stage: 'prod', version: 'v1.1.0' }),
      /v1\.1\.0 is deregistered; register it again/,
    );
    refused(() => planAssignment(context, { name: 'm', stage: 'prod', sha: PARENT }), /v1\.1\.0 is deregistered/);
    refused(
      () => planAssignment(context, { name: 'm', stage: 'prod' }),
      /--version vX\.Y\.Z or the commit with --ref REV/,
    );
    refused(
      () => planAssignment(context, { name: 'm', stage: 'prod', version: 'v1.0.0', sha: HEAD }),
      /one of them, not both/,
    );
    refused(
      () =>
        planAssignment(context, {
          name: 'm',
          stage: 'prod',
          version: 'v1.0.0',
          allowedStages: ['staging', 'production'],
        }),
      /stage "prod" is not one of the stages in \.github\/cairn\.yml \(staging, production\)/,
    );
    refused(() => planAssignment(context, { name: 'm', stage: 'pr od', version: 'v1.0.0' }), /invalid stage name/);
  });
});

describe('unassign, deregister, deprecate (GTO tests/test_api.py push tests: model#dev!#2, model@v0.0.1!, model@deprecated)', () => {
  const context = repo(['model@v0.0.1', HEAD], ['model#dev#1', HEAD]);
  test("unassign: a numbered tag on the version's commit; refused when the version is not in the stage", () => {
    const [planned] = planUnassignment(context, { name: 'model', stage: 'dev', version: 'v0.0.1' });
    assert.deepEqual([planned.tag, planned.sha, planned.event.version], ['model#dev!#2', HEAD, 'v0.0.1']);
    refused(
      () => planUnassignment(context, { name: 'model', stage: 'prod', version: 'v0.0.1' }),
      /not in stage prod; nothing to unassign/,
    );
    refused(
      () => planUnassignment(context, { name: 'other', stage: 'dev', version: 'v0.0.1' }),
      /no model "other" in the registry/,
    );
  });
  test('deregister: plain tag; refused twice', () => {
    assert.deepEqual(tagsOf(planDeregistration(context, { name: 'model', version: 'v0.0.1' })), ['model@v0.0.1!']);
    assert.deepEqual(tagsOf(planDeregistration(context, { name: 'model', sha: HEAD })), ['model@v0.0.1!']);
    refused(
      () => planDeregistration(repo(['m@v1.0.0', HEAD], ['m@v1.0.0!', HEAD]), { name: 'm', version: 'v1.0.0' }),
      /already deregistered/,
    );
  });
  test("deprecate: plain tag on the newest event's commit; refused when deprecated; numbered once the plain tag exists", () => {
    const [planned] = planDeprecation(repo(['model@v0.0.1', PARENT], ['model@v0.0.2', HEAD]), { name: 'model' });
    assert.deepEqual([planned.tag, planned.sha], ['model@deprecated', HEAD]);
    refused(
      () => planDeprecation(repo(['m@v1.0.0', HEAD], ['m@deprecated', HEAD]), { name: 'm' }),
      /already deprecated/,
    );
    assert.deepEqual(
      tagsOf(planDeprecation(repo(['m@v1.0.0', HEAD], ['m@deprecated', HEAD], ['m@v1.1.0', PARENT]), { name: 'm' })),
      ['m@deprecated#1'],
    );
    refused(() => planDeprecation(repo(), { name: 'model' }), /no model "model"/);
  });
});
