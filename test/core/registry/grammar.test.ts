/**
 * Tag and name grammar against GTO's own test vectors (iterative/gto, tests/test_tag.py and
 * tests/test_constants.py, the scmrepo-era versions). Each table names the GTO test it comes from.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import {
  InvalidTagError,
  checkModelName,
  checkStageName,
  formatTag,
  isRegistryTag,
  nextTagNumber,
  parseTag,
  tagFromRef,
  type ParsedTag,
} from '../../../core/registry/index.ts';

describe('parseTag: GTO tests/test_tag.py::test_parse_name', () => {
  // GTO returns {name, action, version|stage, counter}; ours names the action `event` and the counter `number`.
  const vectors: Array<[string, ParsedTag]> = [
    ['path@v1.2.3', { name: 'path', event: 'registration', version: 'v1.2.3' }],
    ['path@v1.2.3#5', { name: 'path', event: 'registration', version: 'v1.2.3', number: 5 }],
    ['path@v1.2.3!', { name: 'path', event: 'deregistration', version: 'v1.2.3' }],
    ['path@v1.2.3!#2', { name: 'path', event: 'deregistration', version: 'v1.2.3', number: 2 }],
    ['path#stage', { name: 'path', event: 'assignment', stage: 'stage' }],
    ['path#stage#1', { name: 'path', event: 'assignment', stage: 'stage', number: 1 }],
    ['path#stage!#2', { name: 'path', event: 'unassignment', stage: 'stage', number: 2 }],
  ];
  for (const [tag, expected] of vectors) {
    test(tag, () => {
      assert.deepEqual(parseTag(tag), expected);
      assert.equal(formatTag(expected), tag, 'formatTag is the inverse');
    });
  }
});

describe('parseTag: GTO tests/test_tag.py::test_parse_wrong_names (each is invalid)', () => {
  const invalid = [
    '',
    '###',
    '@@@',
    'model@v1',
    'nn#prod#-1',
    'model@v111',
    'model-prod',
    'model@0.0.1',
    'model-prod-v1',
    'model#prod#-1',
    'model#prod#1-2',
    'model#prod?#1-2',
    'model#prod@v1.2.3',
    'model@v1.2.3#prod',
    'model-prod-v1-stage',
    'model@prod@v1@stage-1',
    'namespace/model@0.0.1',
    '@namespace/model@0.0.1',
    'model#prod#v1#stage#1-',
    'model#prod-v1-stage@1-2',
    'model#prod-v1-stage@1-2#@',
  ];
  for (const tag of invalid) {
    test(JSON.stringify(tag), () => {
      assert.throws(
        () => parseTag(tag),
        (error: unknown) => {
          assert.ok(error instanceof InvalidTagError && error instanceof UserError);
          assert.match(
            error.message,
            new RegExp(`^invalid registry tag ${JSON.stringify(tag).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
          );
          assert.match(error.message, /name@vX\.Y\.Z \(register\)/, 'the message shows the grammar');
          return true;
        },
      );
    });
  }
});

describe('parseTag: GTO tests/test_tag.py::test_parse_correct_names (each is valid)', () => {
  const valid: Array<[string, ParsedTag['event']]> = [
    ['nn#prod', 'assignment'],
    ['nn#prod!', 'unassignment'],
    ['nn#prod#1', 'assignment'],
    ['nn@v1.0.0', 'registration'],
    ['nn#prod!#2', 'unassignment'],
    ['nn@v1.0.0!', 'deregistration'],
    ['nn@v1.0.0#1', 'registration'],
    ['nn@v1.0.0!#1', 'deregistration'],
    ['nn@v1.0.0-rc.2', 'registration'],
    ['nn@v1.0.0-alpha', 'registration'],
    ['nn@v1.0.0-alpha.1', 'registration'],
    ['nn@v1.0.0-alpha.beta', 'registration'],
    ['new-artifact@v1.0.1!', 'deregistration'],
  ];
  for (const [tag, event] of valid) {
    test(tag, () => {
      const parsed = parseTag(tag);
      assert.equal(parsed.event, event);
      assert.equal(formatTag(parsed), tag);
    });
  }
});

describe('formatTag + nextTagNumber: GTO tests/test_tag.py::test_name_tag (a repository without tags)', () => {
  // GTO's vector uses the version "v1", which its name_tag does not check; formatTag checks versions, so v1.0.0 stands in.
  const none: string[] = [];
  const n = nextTagNumber(none, 'myartifact');
  const vectors: Array<[ParsedTag, string]> = [
    [{ name: 'myartifact', event: 'registration', version: 'v1.0.0' }, 'myartifact@v1.0.0'],
    [{ name: 'myartifact', event: 'registration', version: 'v1.0.0', number: n }, 'myartifact@v1.0.0#1'],
    [{ name: 'myartifact', event: 'deregistration', version: 'v1.0.0' }, 'myartifact@v1.0.0!'],
    [{ name: 'myartifact', event: 'deregistration', version: 'v1.0.0', number: n }, 'myartifact@v1.0.0!#1'],
    [{ name: 'myartifact', event: 'assignment', stage: 'stage' }, 'myartifact#stage'],
    [{ name: 'myartifact', event: 'assignment', stage: 'stage', number: n }, 'myartifact#stage#1'],
    [{ name: 'myartifact', event: 'unassignment', stage: 'stage', number: n }, 'myartifact#stage!#1'],
  ];
  for (const [event, tag] of vectors) test(tag, () => assert.equal(formatTag(event), tag));

  test('deprecation, plain and numbered (GTO tests/test_api.py::test_if_deprecate_with_auto_push...)', () => {
    assert.equal(formatTag({ name: 'model', event: 'deprecation' }), 'model@deprecated');
    assert.deepEqual(parseTag('model@deprecated#3'), { name: 'model', event: 'deprecation', number: 3 });
  });
});

describe('nextTagNumber: the highest counter of the model, on any event, plus one (GTO tag.py name_tag)', () => {
  test('counts every event kind of that model only, and ignores other tags', () => {
    const tags = [
      'rf@v1.2.3',
      'rf#production#1',
      'rf#staging#2',
      'rf@v1.2.4!#7',
      'nn#staging#9',
      'v1.0.0',
      'rf#prod#x',
      'dir=rf#prod#20',
    ];
    assert.equal(nextTagNumber(tags, 'rf'), 8);
    assert.equal(nextTagNumber(tags, 'nn'), 10);
    assert.equal(nextTagNumber(tags, 'dir:rf'), 21, 'a monorepo model is named dir:name; its tags write dir=name');
    assert.equal(nextTagNumber(tags, 'new'), 1);
  });
  test('GTO tests/test_api.py::test_check_ref_catch_the_bug: staging, prod, dev on one version get #1, #2, #3', () => {
    const tags = ['artifact@v0.0.1'];
    for (const stage of ['staging', 'prod', 'dev'])
      tags.push(formatTag({ name: 'artifact', event: 'assignment', stage, number: nextTagNumber(tags, 'artifact') }));
    assert.deepEqual(tags.slice(1), ['artifact#staging#1', 'artifact#prod#2', 'artifact#dev#3']);
  });
});

describe('names: GTO tests/test_constants.py', () => {
  const validNames = [
    '1',
    'm',
    'nn',
    'm1',
    '1nn',
    'model-prod',
    'model-prod-v1',
    'model_prod_v1',
    'dvclive/model',
    'model_A',
    'DVCLive/Model',
  ];
  const invalidNames = [
    '',
    'm/',
    '/m',
    '###',
    '@@@',
    'a model',
    '_model',
    '-model',
    'model-',
    'model@1',
    'model#1',
    '@namespace/model',
  ];
  test('test_check_name_is_valid: stage and model names', () => {
    for (const name of validNames) {
      assert.equal(checkStageName(name), name);
      assert.equal(checkModelName(name), name);
      assert.equal(parseTag(`${name}@v1.0.0`).name, name);
    }
  });
  test('test_check_name_is_invalid', () => {
    for (const name of invalidNames) {
      assert.throws(() => checkStageName(name), UserError, name);
      assert.throws(() => checkModelName(name), UserError, name);
      assert.throws(() => parseTag(`${name}@v1.0.0`), InvalidTagError, name);
    }
  });
  test('test_check_fullname_is_valid: dir:name', () => {
    for (const name of ['model', 'dvclive:model', 'some/folder:some/model', 'some/Other_Folder:some/model'])
      assert.equal(checkModelName(name), name);
  });
  test('test_check_fullname_in_tag_is_valid: dir=name parses to dir:name', () => {
    const vectors: Array<[string, string]> = [
      ['model', 'model'],
      ['dvclive=model', 'dvclive:model'],
      ['some/folder=some/model', 'some/folder:some/model'],
      ['Some/folder/A=model', 'Some/folder/A:model'],
      ['Some/folder/A=Model', 'Some/folder/A:Model'],
    ];
    for (const [inTag, name] of vectors) {
      const parsed = parseTag(`${inTag}#prod#3`);
      assert.deepEqual(parsed, { name, event: 'assignment', stage: 'prod', number: 3 });
      assert.equal(formatTag(parsed), `${inTag}#prod#3`);
    }
  });
  test('a model name written the tag way (dir=name) is refused with the fix', () => {
    assert.throws(() => checkModelName('dvclive=model'), /write a monorepo model as dir:name/);
  });
});

describe('reasons in the error message say what is wrong', () => {
  const reasons: Array<[string, RegExp]> = [
    ['churn@1.3.0', /"1\.3\.0" is not a version; versions are "v" and a semantic version/],
    ['churn#prod#x', /only one "#N" counter, a whole number/],
    ['churn#prod@v1.0.0', /either a version \(@\) or a stage \(#\), not both/],
    ['-churn@v1.0.0', /"-churn" is not a model name/],
    ['churn#-prod', /"-prod" is not a stage name/],
    ['churn@created', /"@created" is reserved/],
  ];
  for (const [tag, reason] of reasons) test(tag, () => assert.throws(() => parseTag(tag), reason));
});

describe('the folder of a monorepo model: what git check-ref-format refuses is refused', () => {
  const refused: Array<[string, RegExp]> = [
    ['a..b', /holds "\.\."/],
    ['..', /holds "\.\."/],
    ['.hidden', /a part that starts with "\."/],
    ['models/.cache', /a part that starts with "\."/],
    ['a//b', /an empty part/],
    ['/abs', /an empty part/],
    ['models/', /an empty part/],
    ['models.lock', /a part that ends with "\.lock"/],
    ['x.lock/y', /a part that ends with "\.lock"/],
    ['models.', /ends with "\."/],
    ['a b', /the folder "a b" holds the character U\+0020/],
    ['a\tb', /the folder "a\\tb" holds the character U\+0009/],
    ['a\x7fb', /the folder "a\\u007fb" holds the character U\+007F/],
    ...['~', '^', '?', '*', '[', '\\'].map((c): [string, RegExp] => [
      `a${c}b`,
      /a folder uses letters, digits, "-", "_", "\." and "\/"/,
    ]),
  ];
  for (const [folder, reason] of refused) {
    test(JSON.stringify(folder), () => {
      assert.throws(
        () => parseTag(`${folder}=churn@v1.0.0`),
        (e: Error) => e instanceof InvalidTagError && reason.test(e.message) && /git/.test(e.message),
      );
      assert.throws(() => parseTag(`${folder}=churn#prod#2`), InvalidTagError);
      assert.throws(
        () => checkModelName(`${folder}:churn`),
        (e: Error) => e instanceof UserError && reason.test(e.message),
      );
    });
  }
  test('"@{" anywhere, and "//" in a name or stage, are refused too', () => {
    assert.throws(() => parseTag('a@{b=churn@v1.0.0'), /holds "@\{"/);
    assert.throws(() => parseTag('dir=a//b@v1.0.0'), /"a\/\/b" holds "\/\/"/);
    assert.throws(() => parseTag('churn#a//b'), /"a\/\/b" holds "\/\/"/);
    assert.throws(() => checkStageName('a//b'), UserError);
  });
  test('folders git accepts still parse as GTO parses them', () => {
    for (const folder of ['a.b', 'v1.2/models', 'some/Other_Folder', 'x-y/z_w/a.b.c', 'models.locked', 'a.lockb/c']) {
      assert.equal(parseTag(`${folder}=churn@v1.0.0`).name, `${folder}:churn`);
      assert.equal(checkModelName(`${folder}:churn`), `${folder}:churn`);
    }
  });
});

describe('isRegistryTag and tagFromRef', () => {
  test("tags without @ or # are someone else's; refs/tags/ is stripped; branches are no tag", () => {
    assert.equal(isRegistryTag('v1.0.0'), false);
    assert.equal(isRegistryTag('release-2024'), false);
    assert.equal(isRegistryTag('churn@1.0'), true, 'meant for the registry, so it must parse (and does not)');
    assert.equal(tagFromRef('refs/tags/churn#prod#1'), 'churn#prod#1');
    assert.equal(tagFromRef('refs/heads/main'), undefined);
  });
});
