import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { commandLine, parseCommand } from '../../app/chatops/command.ts';
import { DeliveryGuard } from '../../app/delivery-guard.ts';
import { LruCache } from '../../app/lru.ts';

describe('parseCommand', () => {
  test('reads each command, with or without "to", flags before or after', () => {
    assert.deepEqual(parseCommand('/cairn promote churn@v1.3.0 to production'), {
      kind: 'promote',
      name: 'churn',
      version: 'v1.3.0',
      stage: 'production',
      force: false,
    });
    assert.deepEqual(parseCommand('/cairn promote team/churn@v2.0.0-rc.1 staging --force'), {
      kind: 'promote',
      name: 'team/churn',
      version: 'v2.0.0-rc.1',
      stage: 'staging',
      force: true,
    });
    assert.deepEqual(parseCommand('/cairn register churn --bump minor --ref 0123abc'), {
      kind: 'register',
      name: 'churn',
      bump: 'minor',
      ref: '0123abc',
    });
    assert.deepEqual(parseCommand('/cairn register churn --version=v1.0.0'), {
      kind: 'register',
      name: 'churn',
      version: 'v1.0.0',
    });
    assert.deepEqual(parseCommand('/cairn rollback churn production'), {
      kind: 'rollback',
      name: 'churn',
      stage: 'production',
    });
    assert.deepEqual(parseCommand('/cairn show'), { kind: 'show' });
    assert.deepEqual(parseCommand('/cairn'), { kind: 'help' });
  });

  test('finds the command on any line, but not in quotes, code blocks or other words', () => {
    assert.equal(commandLine('LGTM\r\n  /cairn show  \nthanks'), '/cairn show');
    assert.equal(parseCommand('> /cairn promote churn@v1.0.0 to production'), undefined);
    assert.equal(parseCommand('```\n/cairn show\n```'), undefined);
    assert.equal(parseCommand('/cairnify everything'), undefined);
    assert.equal(parseCommand('please run /cairn show'), undefined);
  });

  test('a command hidden in an HTML comment or an indented code block does not run: a reader cannot see it as one', () => {
    const hidden = [
      '<!-- /cairn promote churn@v1.0.0 to production -->',
      'Looks good.\n<!--\n/cairn promote churn@v1.0.0 to production\n-->',
      'Looks good. <!-- a note\n/cairn promote churn@v1.0.0 to production',
      'Example:\n\n    /cairn promote churn@v1.0.0 to production',
      'Example:\n\n\t/cairn promote churn@v1.0.0 to production',
      '~~~\n/cairn show\n~~~',
    ];
    for (const body of hidden) assert.equal(commandLine(body), undefined, body);
    // What is around a comment still counts, and a `<!--` inside a code block opens no comment.
    assert.equal(commandLine('<!-- note -->\n/cairn show'), '/cairn show');
    assert.equal(commandLine('<!-- a\nb --> text\n/cairn show'), '/cairn show');
    assert.equal(commandLine('```\n<!--\n```\n/cairn show'), '/cairn show');
    assert.equal(commandLine('   /cairn show'), '/cairn show', 'three spaces are not yet a code block');
  });

  test('bad syntax says what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['/cairn promote churn to production', /promote takes NAME@vX\.Y\.Z to STAGE/],
      ['/cairn promote churn@1.3 to production', /invalid version "1\.3"/],
      ['/cairn promote churn@v1.0.0 to prod!', /invalid stage name "prod!"/],
      ['/cairn promote churn@v1.0.0 to production now', /promote takes NAME@vX\.Y\.Z to STAGE/],
      ['/cairn register churn --bump huge', /--bump takes major, minor, patch/],
      ['/cairn register churn --bump minor --version v1.0.0', /--bump or --version, not both/],
      ['/cairn register churn --ref', /--ref needs a value/],
      ['/cairn register churn --force', /unknown option --force/],
      ['/cairn rollback churn', /rollback takes NAME STAGE/],
      ['/cairn show everything', /show takes no arguments/],
      ['/cairn deploy churn', /unknown command "deploy"/],
    ];
    for (const [body, message] of cases) assert.throws(() => parseCommand(body), message, body);
  });

  test('options are read as the CLI reads them: unknown ones and missing values are refused by name', () => {
    const cases: Array<[string, RegExp]> = [
      ['/cairn promote churn@v1.0.0 to production --yes', /unknown option --yes/],
      ['/cairn promote churn@v1.0.0 to production -f', /unknown option -f/],
      ['/cairn rollback churn production --force', /unknown option --force/],
      ['/cairn register churn --bump', /--bump needs a value/],
      ['/cairn register churn --version --ref main', /--version needs a value/],
      ['/cairn register churn --ref -- main', /unknown option --/],
      ['/cairn promote churn@v1.0.0 to production --force=yes', /--force takes no value/],
    ];
    for (const [body, message] of cases)
      assert.throws(
        () => parseCommand(body),
        (error: Error) => error.name === 'CommandSyntaxError' && message.test(error.message),
        body,
      );
    // A value may follow its option after "=" or a space, and a later option wins, as on the command line.
    assert.deepEqual(parseCommand('/cairn register churn --ref=release/2.0 --bump patch --bump major'), {
      kind: 'register',
      name: 'churn',
      bump: 'major',
      ref: 'release/2.0',
    });
    assert.deepEqual(parseCommand('/cairn register churn --version=v1.0.0-rc.1'), {
      kind: 'register',
      name: 'churn',
      version: 'v1.0.0-rc.1',
    });
  });
});

describe('LruCache and DeliveryGuard', () => {
  test('the cache keeps the most recently used entries up to its capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    assert.deepEqual([cache.has('a'), cache.has('b'), cache.has('c')], [true, false, true]);
    assert.throws(() => new LruCache(0), /positive integer/);
  });

  test('a delivery runs once; a failed one may run again; work on one key runs one at a time', async () => {
    const guard = new DeliveryGuard(10);
    let runs = 0;
    assert.equal(await guard.once('d1', async () => void runs++), 'handled');
    assert.equal(await guard.once('d1', async () => void runs++), 'duplicate');
    await assert.rejects(
      guard.once('d2', async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await guard.once('d2', async () => void runs++), 'handled');
    assert.equal(runs, 2);

    const order: string[] = [];
    const slow = guard.exclusive('k', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('first');
    });
    const fast = guard.exclusive('k', async () => void order.push('second'));
    const other = guard.exclusive('other', async () => void order.push('other key'));
    await Promise.all([slow, fast, other]);
    assert.deepEqual(order, ['other key', 'first', 'second']);
  });
});
