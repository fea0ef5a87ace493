/**
 * Registry state from annotated tags. Expected values are derived from GTO's rules (gto/base.py,
 * gto/tag.py, gto/api.py `_show_registry`) and its test scenarios, each named where it is used.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  findTagEvent,
  registryState,
  registryView,
  standingAssignment,
  type AnnotatedTag,
  type ModelState,
} from '../../../core/registry/index.ts';

const C1 = '89de382074d472f8e6b8fd654490183c3c0fb497';
const C2 = '04d79900801d9aa7ec726169706280a32a25d198';
const C3 = 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3';

/** An annotated tag at `time` (HH:MM:SS on one day) on commit `sha`. */
function tag(
  name: string,
  sha: string,
  time: string,
  tagger = { name: 'Alexander Guschin', email: '1aguschin@gmail.com' },
): AnnotatedTag {
  return { tag: name, sha, taggedAt: `2022-08-04T${time}Z`, tagger, message: `${name}\n` };
}

/** What `gto show` prints for one model: latest and the holder of each stage. */
function shown(model: ModelState) {
  return {
    latest: model.latest,
    stages: Object.fromEntries(Object.values(model.stages).map((h) => [h.stage, h.version])),
    deprecated: model.deprecated,
  };
}

describe('GTO tests/conftest.py showcase (timestamps from tests/test_registry.py)', () => {
  // rf@v1.2.3 and nn@v0.0.1 on the first commit; rf@v1.2.4 auto-bumped on the second; then
  // nn#staging#1, rf#production#1 (v1.2.3), rf#staging#2 and rf#production#3 (second commit, v1.2.4),
  // and rf#production#4: `assign rf production --version v1.2.3 --force`.
  const tags = [
    tag('rf#production#4', C1, '16:57:02'),
    tag('rf@v1.2.3', C1, '16:56:57'),
    tag('nn@v0.0.1', C1, '16:56:58'),
    tag('rf@v1.2.4', C2, '16:56:59'),
    tag('nn#staging#1', C1, '16:56:59'),
    tag('rf#production#1', C1, '16:56:59'),
    tag('rf#staging#2', C2, '16:57:00'),
    tag('rf#production#3', C2, '16:57:01'),
  ];
  const state = registryState(tags);

  test('the forced re-assignment of the older version wins production (test_cli.py: rf#production → v1.2.3)', () => {
    assert.deepEqual(Object.keys(state.models), ['nn', 'rf']);
    assert.deepEqual(shown(state.models.rf), {
      latest: 'v1.2.4',
      stages: { production: 'v1.2.3', staging: 'v1.2.4' },
      deprecated: false,
    });
    assert.deepEqual(state.models.rf.stages.production, {
      stage: 'production',
      version: 'v1.2.3',
      sha: C1,
      tag: 'rf#production#4',
      at: '2022-08-04T16:57:02Z',
    });
    assert.deepEqual(shown(state.models.nn), { latest: 'v0.0.1', stages: { staging: 'v0.0.1' }, deprecated: false });
    assert.equal(state.models.nn.stages.staging.tag, 'nn#staging#1');
  });

  test('both versions are still assigned to production (test_cli.py: rf#production --vs -1 → v1.2.4, v1.2.3)', () => {
    const rf = state.models.rf;
    const [v124, v123] = rf.versions;
    assert.deepEqual([v124.version, v123.version], ['v1.2.4', 'v1.2.3']);
    assert.equal(standingAssignment(rf, v124, 'production')?.tag, 'rf#production#3');
    assert.equal(standingAssignment(rf, v123, 'production')?.tag, 'rf#production#4');
    assert.deepEqual(v124.stages, ['staging']);
    assert.deepEqual(v123.stages, ['production']);
  });

  test('versions carry their registration tag and commit (test_showcase.py rf_ver1 / rf_ver2)', () => {
    assert.deepEqual(
      state.models.rf.versions.map(({ version, sha, tag, active, registered }) => ({
        version,
        sha,
        tag,
        active,
        registered,
      })),
      [
        { version: 'v1.2.4', sha: C2, tag: 'rf@v1.2.4', active: true, registered: true },
        { version: 'v1.2.3', sha: C1, tag: 'rf@v1.2.3', active: true, registered: true },
      ],
    );
  });

  test('each tag resolves to its event (test_cli.py check-ref: rf#production#3 is production of v1.2.4)', () => {
    assert.equal(
      state.models.rf.history.length,
      6,
      'two registrations and four assignments (GTO counts 8 with its two artifacts.yaml commits)',
    );
    assert.deepEqual(
      (({ name, event, stage, version, by }) => ({ name, event, stage, version, by }))(
        findTagEvent(state, 'rf#production#3')!,
      ),
      {
        name: 'rf',
        event: 'assignment',
        stage: 'production',
        version: 'v1.2.4',
        by: 'Alexander Guschin <1aguschin@gmail.com>',
      },
    );
    assert.equal(findTagEvent(state, 'rf@v1.2.4')?.event, 'registration');
    assert.equal(findTagEvent(state, 'this-tag-does-not-exist'), undefined);
    assert.deepEqual(
      state.models.rf.history.map((h) => h.tag),
      ['rf@v1.2.3', 'rf@v1.2.4', 'rf#production#1', 'rf#staging#2', 'rf#production#3', 'rf#production#4'],
      'oldest first; same-second events by GTO priority (registration before assignment)',
    );
  });
});

describe('GTO tests/resources sample remote repo: churn (tags rebuilt from expected_history_churn.json)', () => {
  const A = 'e19353d623660452e97a351ab0ba56a92126bd70';
  const B = '299e82a7b3244899a84e715a39b786a4451c25cd';
  const at = (iso: string): AnnotatedTag['taggedAt'] => iso;
  const tags: AnnotatedTag[] = [
    { tag: 'churn@v3.0.0', sha: A, taggedAt: at('2022-05-20T03:09:52Z') },
    { tag: 'churn@v3.1.0', sha: B, taggedAt: at('2022-05-24T18:16:32Z') },
    { tag: 'churn#staging#1', sha: B, taggedAt: at('2022-05-25T22:03:12Z') },
    { tag: 'churn#prod#2', sha: A, taggedAt: at('2022-05-27T01:49:52Z') },
  ];
  test('expected_registry.json: churn latest v3.1.0, prod v3.0.0, staging v3.1.0, dev none', () => {
    const state = registryState(tags);
    assert.deepEqual(shown(state.models.churn), {
      latest: 'v3.1.0',
      stages: { prod: 'v3.0.0', staging: 'v3.1.0' },
      deprecated: false,
    });
    assert.equal(findTagEvent(state, 'churn#prod#2')?.version, 'v3.0.0', 'test_api.py check-ref on the remote repo');
  });
});

describe('GTO tests/test_api.py scenarios', () => {
  test('test_register_deregister: latest follows deregistration; the deregistered version stays listed, inactive', () => {
    const registered = [tag('new-artifact@v1.0.0', C1, '10:00:00'), tag('new-artifact@v1.0.1', C2, '10:00:01')];
    assert.equal(registryState(registered).models['new-artifact'].latest, 'v1.0.1');
    const after = registryState([...registered, tag('new-artifact@v1.0.1!', C2, '10:00:02')]).models['new-artifact'];
    assert.equal(after.latest, 'v1.0.0');
    assert.deepEqual(
      after.versions.map((v) => [v.version, v.active]),
      [
        ['v1.0.1', false],
        ['v1.0.0', true],
      ],
    );
  });

  test('test_assign: non-registry and invalid tags are ignored; two versions assigned to staging, the newer assignment holds it', () => {
    for (const name of ['model', 'folder:artifact', 'some/folder:some/artifact']) {
      const inTag = name.replace(':', '=');
      const state = registryState([
        tag('v1.0.0', C1, '09:00:00'),
        tag('wrong-tag-unrelated', C1, '09:00:00'),
        tag(`${inTag}@v1`, C1, '09:00:00'),
        tag(`${inTag}@v0.0.1`, C1, '10:00:00'),
        tag(`${inTag}#staging#1`, C1, '10:00:00'),
        tag(`${inTag}@v0.0.2`, C2, '10:00:01'),
        tag(`${inTag}#staging#2`, C2, '10:00:01'),
      ]);
      assert.deepEqual(Object.keys(state.models), [name]);
      const model = state.models[name];
      assert.deepEqual(model.stages.staging, {
        stage: 'staging',
        version: 'v0.0.2',
        sha: C2,
        tag: `${inTag}#staging#2`,
        at: '2022-08-04T10:00:01Z',
      });
      assert.ok(
        model.versions.every((v) => standingAssignment(model, v, 'staging')),
        'versions_per_stage=-1 lists both',
      );
    }
  });

  test('test_assign_skip_registration: a stage on a commit never registered gets the commit sha as its version', () => {
    const model = registryState([tag('model#staging#1', C1, '10:00:00')]).models.model;
    assert.deepEqual(shown(model), { latest: undefined, stages: { staging: C1 }, deprecated: false });
    assert.deepEqual(
      model.versions.map((v) => [v.version, v.registered, v.active]),
      [[C1, false, true]],
    );
  });

  test('test_unassign: an unassignment empties the stage', () => {
    const model = registryState([
      tag('model@v0.0.1', C1, '10:00:00'),
      tag('model#dev#1', C1, '10:00:01'),
      tag('model#dev!#2', C1, '10:00:02'),
    ]).models.model;
    assert.deepEqual(model.stages, {});
    assert.equal(model.versions[0].active, true);
  });

  test('test_deprecate: a deprecated model is hidden from show unless asked for', () => {
    const state = registryState([tag('model@v0.0.1', C1, '10:00:00'), tag('model@deprecated', C1, '10:00:01')]);
    assert.equal(state.models.model.deprecated, true);
    assert.deepEqual(registryView(state).rows, []);
    assert.deepEqual(registryView(state).hiddenDeprecated, ['model'], 'the view still names what it hid');
    assert.deepEqual(registryView(state, { deprecated: true }).hiddenDeprecated, []);
    assert.deepEqual(registryView(state, { deprecated: true }).rows, [
      { name: 'model', deprecated: true, latest: 'v0.0.1', stages: {} },
    ]);
  });
});

describe('GTO rules beyond its tests (gto/base.py), derived case by case', () => {
  test('order is tagger time, not the #N counter nor the order tags are listed', () => {
    const model = registryState([
      tag('m#prod#2', C2, '10:00:05'),
      tag('m@v2.0.0', C2, '10:00:01'),
      tag('m#prod#9', C1, '10:00:02'),
      tag('m@v1.0.0', C1, '10:00:00'),
    ]).models.m;
    assert.equal(model.stages.prod.version, 'v2.0.0');
  });

  test('a stage tag older than its registration still belongs to the registered version (registrations are indexed first)', () => {
    const model = registryState([tag('m#prod#1', C1, '10:00:00'), tag('m@v1.0.0', C1, '10:00:05')]).models.m;
    assert.deepEqual(shown(model), { latest: 'v1.0.0', stages: { prod: 'v1.0.0' }, deprecated: false });
  });

  test('a deregistered version holds nothing; the stage goes to the newest standing assignment of an active version', () => {
    const model = registryState([
      tag('m@v1.0.0', C1, '10:00:00'),
      tag('m#prod#1', C1, '10:00:01'),
      tag('m@v2.0.0', C2, '10:00:02'),
      tag('m#prod#2', C2, '10:00:03'),
      tag('m@v2.0.0!', C2, '10:00:04'),
    ]).models.m;
    assert.deepEqual(shown(model), { latest: 'v1.0.0', stages: { prod: 'v1.0.0' }, deprecated: false });
    assert.equal(model.stages.prod.tag, 'm#prod#1');
  });

  test('a registration after the deregistration brings the version back (GTO tests/test_cli.py::test_register: a2@v1.2.3#1)', () => {
    const model = registryState([
      tag('a2@v1.2.3', C1, '10:00:00'),
      tag('a2@v1.2.3!', C1, '10:00:01'),
      tag('a2@v1.2.3#1', C1, '10:00:02'),
    ]).models.a2;
    assert.equal(model.latest, 'v1.2.3');
    assert.equal(model.versions.length, 1);
    assert.equal(model.versions[0].tag, 'a2@v1.2.3#1');
  });

  test('within one second a cancellation wins: deregistration over registration, unassignment over assignment', () => {
    const same = '10:00:00';
    assert.equal(registryState([tag('m@v1.0.0', C1, same), tag('m@v1.0.0!', C1, same)]).models.m.latest, undefined);
    const model = registryState([
      tag('m@v1.0.0', C1, '09:00:00'),
      tag('m#prod#1', C1, same),
      tag('m#prod!#2', C1, same),
    ]).models.m;
    assert.deepEqual(model.stages, {});
  });

  test('deprecation: only while it is the newest event; a later tag (or one in the same second) brings the model back', () => {
    const base = [tag('m@v1.0.0', C1, '10:00:00'), tag('m@deprecated', C1, '10:00:01')];
    assert.equal(registryState(base).models.m.deprecated, true);
    assert.equal(registryState([...base, tag('m@v1.1.0', C2, '10:00:02')]).models.m.deprecated, false);
    assert.equal(registryState([...base, tag('m#prod#1', C1, '10:00:01')]).models.m.deprecated, false);
    assert.deepEqual(shown(registryState([tag('m@deprecated', C1, '10:00:00')]).models.m), {
      latest: undefined,
      stages: {},
      deprecated: true,
    });
  });

  test('an unassignment on a commit never registered does not cancel its assignment (GTO files each such tag apart)', () => {
    const model = registryState([tag('m#prod#1', C1, '10:00:00'), tag('m#prod!#2', C1, '10:00:01')]).models.m;
    assert.equal(model.stages.prod.version, C1);
  });

  test('stage columns: every stage in use, deprecated models included; configured stages first', () => {
    const state = registryState([
      tag('a@v1.0.0', C1, '10:00:00'),
      tag('a#staging#1', C1, '10:00:01'),
      tag('b@v1.0.0', C1, '10:00:00'),
      tag('b#dev#1', C1, '10:00:01'),
      tag('b@deprecated', C1, '10:00:02'),
    ]);
    assert.deepEqual(registryView(state).stages, ['dev', 'staging']);
    assert.deepEqual(registryView(state, { configuredStages: ['production', 'staging'] }).stages, [
      'production',
      'staging',
      'dev',
    ]);
    assert.deepEqual(
      registryView(state).rows.map((r) => r.name),
      ['a'],
    );
  });

  test('two versions registered on one commit (GTO fails with ManyVersions): stage tags go to the active, highest one', () => {
    const model = registryState([
      tag('m@v1.0.0', C3, '10:00:00'),
      tag('m@v1.1.0', C3, '10:00:01'),
      tag('m#prod#1', C3, '10:00:02'),
    ]).models.m;
    assert.equal(model.stages.prod.version, 'v1.1.0');
  });

  test('tags without a tagger date are skipped; names in tags like dir=name become dir:name', () => {
    const state = registryState([
      { tag: 'x@v1.0.0', sha: C1, taggedAt: '' },
      tag('models/churn=clf@v1.0.0', C1, '10:00:00'),
    ]);
    assert.deepEqual(Object.keys(state.models), ['models/churn:clf']);
  });
});
