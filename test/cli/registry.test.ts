/**
 * `cairn registry` on real git repositories. Tagger times are set through GIT_COMMITTER_DATE, one
 * step per second or more, so the order GTO's rules see is the order written here. Expected states
 * are derived from GTO's rules (see test/core/registry/state.test.ts) and spelled out per step.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli, tempDir } from '../support/cli.ts';
import { REGISTRY_SUBCOMMANDS } from '../../cli/commands/registry-help.ts';
import { assertCliRefusal } from '../support/refusals.ts';
import { assertNoWorkflowCommands, HOSTILE } from '../support/inert-markdown.ts';
import { GitRepo, gitEnv, isoAt } from '../core/registry/git-repo.ts';

function registry(repo: GitRepo, s: number, ...args: string[]) {
  return runCli(['registry', ...args, '--repo', repo.dir], { env: gitEnv(s) });
}

async function ok(repo: GitRepo, s: number, ...args: string[]): Promise<string> {
  const result = await registry(repo, s, ...args);
  assert.equal(result.code, 0, `cairn registry ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

async function showJson(repo: GitRepo, ...flags: string[]) {
  return JSON.parse(await ok(repo, 0, 'show', '--json', ...flags));
}

describe('cairn registry parse-tag', () => {
  test("prints the DESIGN.md JSON for GTO's vectors (tests/test_tag.py::test_parse_name) and strips refs/tags/", async () => {
    const vectors: Array<[string, object]> = [
      ['path@v1.2.3', { name: 'path', event: 'registration', version: 'v1.2.3' }],
      ['path@v1.2.3!#2', { name: 'path', event: 'deregistration', version: 'v1.2.3', number: 2 }],
      ['refs/tags/path#stage#1', { name: 'path', event: 'assignment', stage: 'stage', number: 1 }],
      ['path#stage!#2', { name: 'path', event: 'unassignment', stage: 'stage', number: 2 }],
      ['some/folder=some/model@deprecated', { name: 'some/folder:some/model', event: 'deprecation' }],
    ];
    for (const [tag, expected] of vectors) {
      const result = await runCli(['registry', 'parse-tag', tag]);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), expected);
    }
  });

  test('an invalid tag exits 2 with the reason and the grammar (tests/test_tag.py::test_parse_wrong_names)', async () => {
    const result = await runCli(['registry', 'parse-tag', 'model@0.0.1']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /invalid registry tag "model@0\.0\.1": "0\.0\.1" is not a version; .*name@vX\.Y\.Z \(register\)/,
    );
  });

  test('a folder git refuses exits 2 naming the rule', async () => {
    for (const [tag, reason] of [
      ['a/../b=churn@v1.0.0', /holds "\.\."/],
      ['.dir=churn@v1.0.0', /starts with "\."/],
      ['a//b=churn#prod', /empty part/],
      ['dir.lock=churn@v1.0.0', /ends with "\.lock"/],
    ] as const) {
      const result = await runCli(['registry', 'parse-tag', tag]);
      assert.equal(result.code, 2, tag);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, reason);
      assert.match(result.stderr, /git check-ref-format refuses/);
    }
  });

  test('an invalid tag that carries workflow commands is printed, but no line of the output runs one', async () => {
    const result = await runCli(['registry', 'parse-tag', `x@${HOSTILE}`]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /::warning::x/);
    assertNoWorkflowCommands(result.stdout + result.stderr);
  });
});

describe('GTO tests/conftest.py showcase, built with cairn registry', () => {
  let repo: GitRepo;
  before(async () => {
    repo = GitRepo.create();
    const c1 = repo.commit('Add artifacts');
    const c2 = repo.commit('Update model');
    await ok(repo, 0, 'register', 'rf', '--version', 'v1.2.3', '--ref', c1);
    await ok(repo, 0, 'register', 'nn', '--ref', c1);
    await ok(repo, 1, 'register', 'rf', '--ref', c2); // bump version automatically
    await ok(repo, 1, 'assign', 'nn', 'staging', '--version', 'v0.0.1');
    await ok(repo, 1, 'assign', 'rf', 'production', '--version', 'v1.2.3');
    await ok(repo, 2, 'assign', 'rf', 'staging', '--ref', 'HEAD');
    await ok(repo, 3, 'assign', 'rf', 'production', '--ref', c2);
    await ok(repo, 4, 'assign', 'rf', 'production', '--version', 'v1.2.3', '--force');
  });

  test('makes the tags GTO makes', () => {
    assert.deepEqual(repo.tags(), [
      'nn#staging#1',
      'nn@v0.0.1',
      'rf#production#1',
      'rf#production#3',
      'rf#production#4',
      'rf#staging#2',
      'rf@v1.2.3',
      'rf@v1.2.4',
    ]);
  });

  test('show agrees with gto show: rf latest v1.2.4, production v1.2.3 (forced), staging v1.2.4; nn staging v0.0.1', async () => {
    const result = await registry(repo, 0, 'show');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        'name  latest  #production  #staging',
        'nn    v0.0.1  -            v0.0.1',
        'rf    v1.2.4  v1.2.3       v1.2.4',
        '',
      ].join('\n'),
    );
  });
});

describe('cairn registry on a repository with forced re-assignments, deregistrations and deprecations', () => {
  let repo: GitRepo;
  let c1: string, c2: string, c3: string;
  before(() => {
    repo = GitRepo.create();
    c1 = repo.commit('first model');
    c2 = repo.commit('retrained');
    c3 = repo.commit('new architecture');
  });

  test("each step leaves the state GTO's rules give", async () => {
    await ok(repo, 10, 'register', 'churn', '--version', 'v1.0.0', '--ref', c1);
    await ok(repo, 12, 'register', 'old', '--ref', c1);
    await ok(repo, 15, 'register', 'segment', '--ref', c1);
    await ok(repo, 20, 'assign', 'churn', 'prod', '--version', 'v1.0.0');
    await ok(repo, 22, 'deprecate', 'old');
    await ok(repo, 25, 'assign', 'segment', 'dev', '--ref', c1);
    assert.equal(
      (await ok(repo, 30, 'register', 'churn', '--bump', 'minor', '--ref', c2)).split('\n')[0],
      `Created tag churn@v1.1.0: registers churn v1.1.0 at ${c2.slice(0, 7)}`,
    );
    await ok(repo, 32, 'register', 'old', '--ref', c2); // a later tag brings a deprecated model back
    await ok(repo, 40, 'assign', 'churn', 'prod', '--ref', c2);
    await ok(repo, 50, 'assign', 'churn', 'staging', '--version', 'v1.1.0');
    let churn = (await showJson(repo)).models.churn;
    assert.deepEqual(
      [churn.stages.prod.version, churn.stages.staging.version, churn.latest],
      ['v1.1.0', 'v1.1.0', 'v1.1.0'],
    );

    // v1.0.0 is still assigned to prod (its tag stands), so assigning it again needs --force (GTO's rule)...
    const refused = await registry(repo, 60, 'assign', 'churn', 'prod', '--version', 'v1.0.0');
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /already assigned to prod \(churn#prod#1\), though v1\.1\.0 was assigned after it; pass --force/,
    );
    // ...and the forced re-assignment of the older version wins.
    await ok(
      repo,
      61,
      'assign',
      'churn',
      'prod',
      '--version',
      'v1.0.0',
      '--force',
      '--message',
      'roll back: v1.1.0 misbehaves',
    );
    churn = (await showJson(repo)).models.churn;
    assert.deepEqual(churn.stages.prod, {
      stage: 'prod',
      version: 'v1.0.0',
      sha: c1,
      tag: 'churn#prod#4',
      at: isoAt(61),
    });

    await ok(repo, 70, 'register', 'churn', '--bump', 'major', '--ref', c3);
    await ok(repo, 80, 'assign', 'churn', 'staging', '--ref', c3);
    assert.equal((await showJson(repo)).models.churn.stages.staging.version, 'v2.0.0');
    // Deregistering v2.0.0: it holds nothing; staging returns to v1.1.0, whose assignment still stands.
    await ok(repo, 90, 'deregister', 'churn', '--version', 'v2.0.0');
    // Unassigning v1.0.0 from prod: prod returns to v1.1.0.
    await ok(repo, 100, 'unassign', 'churn', 'prod', '--version', 'v1.0.0');
    await ok(repo, 110, 'deprecate', 'segment');

    // Tags that do not count: lightweight, not a registry tag, invalid.
    repo.tag('churn@v9.9.9', c3, 120, { lightweight: true });
    repo.tag('v1.0.0', c1, 121);
    repo.tag('churn@1.0', c1, 122);

    assert.deepEqual(repo.tags(), [
      'churn#prod!#6',
      'churn#prod#1',
      'churn#prod#2',
      'churn#prod#4',
      'churn#staging#3',
      'churn#staging#5',
      'churn@1.0',
      'churn@v1.0.0',
      'churn@v1.1.0',
      'churn@v2.0.0',
      'churn@v2.0.0!',
      'churn@v9.9.9',
      'old@deprecated',
      'old@v0.0.1',
      'old@v0.0.2',
      'segment#dev#1',
      'segment@deprecated',
      'segment@v0.0.1',
      'v1.0.0',
    ]);
  });

  test('show --json: models x latest x stage holders, deprecated models left out', async () => {
    const version = (v: string, sha: string, tag: string, s: number, active: boolean, stages: string[]) => ({
      version: v,
      sha,
      tag,
      at: isoAt(s),
      active,
      registered: true,
      stages,
    });
    assert.deepEqual(await showJson(repo), {
      stages: ['dev', 'prod', 'staging'], // dev is held by the deprecated segment: GTO lists the stages of every model
      models: {
        churn: {
          name: 'churn',
          deprecated: false,
          latest: 'v1.1.0',
          versions: [
            version('v2.0.0', c3, 'churn@v2.0.0', 70, false, []),
            version('v1.1.0', c2, 'churn@v1.1.0', 30, true, ['prod', 'staging']),
            version('v1.0.0', c1, 'churn@v1.0.0', 10, true, []),
          ],
          stages: {
            prod: { stage: 'prod', version: 'v1.1.0', sha: c2, tag: 'churn#prod#2', at: isoAt(40) },
            staging: { stage: 'staging', version: 'v1.1.0', sha: c2, tag: 'churn#staging#3', at: isoAt(50) },
          },
        },
        old: {
          name: 'old',
          deprecated: false,
          latest: 'v0.0.2',
          versions: [
            version('v0.0.2', c2, 'old@v0.0.2', 32, true, []),
            version('v0.0.1', c1, 'old@v0.0.1', 12, true, []),
          ],
          stages: {},
        },
      },
    });
  });

  test('show --deprecated includes the deprecated model; the table marks it', async () => {
    const segment = (await showJson(repo, '--deprecated')).models.segment;
    assert.deepEqual(
      [segment.deprecated, segment.latest, segment.stages.dev.version, segment.stages.dev.tag],
      [true, 'v0.0.1', 'v0.0.1', 'segment#dev#1'],
    );
    const table = await ok(repo, 0, 'show', '--deprecated');
    assert.equal(
      table,
      [
        'name                  latest  #dev    #prod   #staging',
        'churn                 v1.1.0  -       v1.1.0  v1.1.0',
        'old                   v0.0.2  -       -       -',
        'segment (deprecated)  v0.0.1  v0.0.1  -       -',
        '',
      ].join('\n'),
    );
  });

  test('tag messages record why and who', () => {
    const message = repo.git(['for-each-ref', '--format=%(contents)', 'refs/tags/churn#prod#4']);
    assert.equal(
      message,
      'Assign churn v1.0.0 to prod\n\nroll back: v1.1.0 misbehaves\n\nBy: Registry Tester <tester@example.com>',
    );
    assert.equal(repo.git(['for-each-ref', '--format=%(taggername)', 'refs/tags/churn#prod#4']), 'Registry Tester');
  });

  test('bad input exits 2 with what to change, no stack trace, and makes no tag', async () => {
    const before = repo.tags();
    const cases: Array<[string[], RegExp]> = [
      [['promote', 'churn'], /unknown registry command "promote"; use one of parse-tag, show/],
      [['parse-tag'], /takes TAG/],
      [['parse-tag', 'model@0.0.1'], /invalid registry tag "model@0\.0\.1"/],
      [['show', 'extra'], /takes no arguments; unexpected "extra"/],
      [['show', '--bogus'], /--bogus/],
      [['show', '--config', tempDir()], /is a folder; the config is a file/],
      [
        ['assign', 'churn', 'prod', '--version', 'v9.9.9'],
        /churn has no version v9\.9\.9; its active versions: v1\.1\.0, v1\.0\.0/,
      ],
      [['assign', 'churn', 'prod'], /--version vX\.Y\.Z or the commit with --ref REV/],
      [['assign', 'churn', 'prod', '--version', 'v2.0.0'], /v2\.0\.0 is deregistered; register it again/],
      [['register', 'churn', '--version', '1.2.3', '--ref', c3], /invalid version "1\.2\.3"/],
      [['register', 'churn', '--ref', 'no-such-branch'], /no commit "no-such-branch"/],
      [['register', 'churn', '--ref', c2], /already churn v1\.1\.0; a commit holds one version/],
      [['register', 'churn', '--bump', 'huge'], /--bump must be one of major, minor, patch/],
      [['unassign', 'churn', 'staging', '--version', 'v1.0.0'], /not in stage staging/],
      [['deregister', 'churn', '--version', 'v2.0.0'], /already deregistered/],
      [['deprecate', 'segment'], /already deprecated/],
      [['deprecate', 'ghost'], /no model "ghost" in the registry/],
      [
        ['register', 'churn', '--push', '--remote', 'nowhere', '--ref', repo.commit('fourth', 130)],
        /could not push churn@v1\.1\.1 to nowhere[\s\S]*nothing changed/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await registry(repo, 200, ...args);
      assertCliRefusal(result, { message }, args.join(' '));
      assert.deepEqual(repo.tags(), before, `${args.join(' ')} made no tag`);
    }
  });
});

describe('cairn registry: config stages, --push, no repository', () => {
  test('a stage not listed in .github/cairn.yml is refused before anything is tagged, even the registration', async () => {
    const repo = GitRepo.create();
    repo.commit('first');
    mkdirSync(join(repo.dir, '.github'));
    writeFileSync(
      join(repo.dir, '.github', 'cairn.yml'),
      'stages:\n  staging:\n  production:\n    promote: maintain\n',
    );
    const result = await registry(repo, 1, 'assign', 'churn', 'prod', '--ref', 'HEAD');
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /stage "prod" is not one of the stages in \.github\/cairn\.yml \(staging, production\)/,
    );
    assert.deepEqual(repo.tags(), []);
    await ok(repo, 2, 'assign', 'churn', 'production', '--ref', 'HEAD');
    assert.equal(
      await ok(repo, 0, 'show'),
      'name   latest  #staging  #production\nchurn  v0.0.1  -         v0.0.1\n',
      'configured stages are the columns, in config order',
    );
  });

  test('--push sends the registration and the assignment to the remote (GTO tests/test_api.py push tests)', async () => {
    const remote = GitRepo.create({ bare: true });
    const repo = GitRepo.create();
    repo.commit('first');
    repo.git(['remote', 'add', 'origin', remote.dir]);
    const out = await ok(repo, 1, 'assign', 'model', 'dev', '--ref', 'HEAD', '--push');
    assert.match(out, /Pushed 'model@v0\.0\.1' 'model#dev#1' to origin\./);
    assert.deepEqual(remote.tags(), ['model#dev#1', 'model@v0.0.1']);
    const json = JSON.parse(await ok(repo, 2, 'unassign', 'model', 'dev', '--version', 'v0.0.1', '--push', '--json'));
    assert.deepEqual(
      json.tags.map((t: { tag: string }) => t.tag),
      ['model#dev!#2'],
    );
    assert.equal(json.pushed, true);
    assert.deepEqual(remote.tags(), ['model#dev!#2', 'model#dev#1', 'model@v0.0.1']);
  });

  test('a .github/cairn.yml over 256 KiB: exit 2 naming the limit', async () => {
    const repo = GitRepo.create();
    repo.commit('first');
    mkdirSync(join(repo.dir, '.github'));
    writeFileSync(join(repo.dir, '.github', 'cairn.yml'), `stages:\n  staging:\n${'#'.repeat(300_000)}\n`);
    const result = await registry(repo, 0, 'show');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cairn\.yml is 300\d{3} bytes; a Cairn config may be at most 262144 bytes \(256 KiB\)/);
  });

  test('outside a git repository: exit 2 naming --repo', async () => {
    const result = await runCli(['registry', 'show', '--repo', tempDir()]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /is not a git repository; run this inside one or pass --repo DIR/);
  });
});

describe('cairn registry show after a deprecation', () => {
  test('names the deprecated model instead of saying there are no registry tags', async () => {
    const repo = GitRepo.create();
    repo.commit('first');
    await ok(repo, 1, 'register', 'churn', '--ref', 'HEAD');
    await ok(repo, 2, 'deprecate', 'churn');
    const shown = await ok(repo, 0, 'show');
    assert.doesNotMatch(shown, /no registry tags/);
    assert.equal(
      shown,
      `No active models in the registry of ${repo.dir}.\nDeprecated: churn (\`cairn registry show --deprecated\` lists it).\n`,
    );
    assert.equal(await ok(repo, 0, 'show', '--deprecated'), 'name                latest\nchurn (deprecated)  v0.0.1\n');

    // Beside an active model: the table, then the line naming what it left out.
    await ok(repo, 3, 'register', 'fraud', '--ref', 'HEAD');
    assert.equal(
      await ok(repo, 0, 'show'),
      'name   latest\nfraud  v0.0.1\nDeprecated: churn (`cairn registry show --deprecated` lists it).\n',
    );
  });

  test('a repository with no registry tags still says so', async () => {
    const repo = GitRepo.create();
    repo.commit('first');
    assert.equal(await ok(repo, 0, 'show'), `No models in the registry of ${repo.dir} (no registry tags).\n`);
  });
});

describe('cairn registry <command> --help', () => {
  const general = runCli(['registry', '--help']);

  test('cairn registry --help lists every command and exits 0', async () => {
    const { code, stdout } = await general;
    assert.equal(code, 0);
    for (const name of Object.keys(REGISTRY_SUBCOMMANDS)) assert.match(stdout, new RegExp(`^  ${name} `, 'm'), name);
  });

  for (const [name, { synopsis }] of Object.entries(REGISTRY_SUBCOMMANDS)) {
    test(`cairn registry ${name} --help prints ${name}'s own usage and exits 0, without a repository or arguments`, async () => {
      const result = await runCli(['registry', name, '--help'], { cwd: tempDir() });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, new RegExp(`^Usage: cairn registry ${name} `));
      assert.notEqual(result.stdout, (await general).stdout);
      // Every option its usage line names is explained below it.
      for (const flag of synopsis.match(/--[a-z]+/g) ?? [])
        assert.match(result.stdout, new RegExp(`^  ${flag} `, 'm'), `${name}: ${flag}`);
      assert.deepEqual(await runCli(['registry', name, '-h']), result, '-h is --help');
      assert.deepEqual(await runCli(['registry', 'help', name]), result, 'cairn registry help NAME is the same');
    });
  }

  test("a wrong number of arguments names the command's own --help", async () => {
    const result = await runCli(['registry', 'assign', 'churn']);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /cairn registry assign takes NAME STAGE\. Run `cairn registry assign --help` for its usage\./,
    );
  });
});
