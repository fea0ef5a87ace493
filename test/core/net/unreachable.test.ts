/**
 * A request the network never carried is the user's environment to fix: the front doors name the
 * host and what to check (exit 2, a failed step) instead of printing a stack trace.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createOctokit } from '../../../core/github/index.ts';
import { describeNetworkFailure, networkFailure } from '../../../core/net/index.ts';
import { runCli, tempDir } from '../../support/cli.ts';
import { assertCliRefusal } from '../../support/refusals.ts';

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

describe('networkFailure', () => {
  test('an Octokit request to a port nothing listens on: the host and ECONNREFUSED', async () => {
    const port = await closedPort();
    const octokit = createOctokit({ auth: 'ghp_x', baseUrl: `http://127.0.0.1:${port}`, retries: 0, throttle: false });
    const error = await octokit.rest.repos.get({ owner: 'a', repo: 'b' }).then(
      () => assert.fail('the request was answered'),
      (failure: unknown) => failure,
    );
    assert.deepEqual(networkFailure(error), { code: 'ECONNREFUSED', host: `127.0.0.1:${port}` });
    assert.match(
      describeNetworkFailure(networkFailure(error)!),
      /^could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. .*HTTPS_PROXY/,
    );
  });

  test('fetch to a name no DNS knows: ENOTFOUND', async () => {
    const error = await fetch('http://nowhere.cairn-proxy.test/').then(
      () => assert.fail('the name resolved'),
      (failure: unknown) => failure,
    );
    assert.equal(networkFailure(error)?.code, 'ENOTFOUND');
  });

  test('an answer, even a 500, and any other error are not network failures', () => {
    const answered = Object.assign(new Error('Server Error'), {
      status: 500,
      response: { status: 500 },
      cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
    });
    assert.equal(networkFailure(answered), undefined);
    assert.equal(networkFailure(new TypeError('undefined is not a function')), undefined);
    assert.equal(networkFailure('ECONNREFUSED'), undefined);
  });
});

test('cairn runner start with GitHub unreachable: exit 2 naming the host, no stack trace', async () => {
  const dir = tempDir('cairn-unreachable-');
  mkdirSync(join(dir, 'runner'));
  writeFileSync(join(dir, 'runner', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  const port = await closedPort();
  const result = await runCli(['runner', 'start', '--repo', 'a/b', '--runner-dir', 'runner'], {
    cwd: dir,
    env: { GITHUB_TOKEN: 'ghp_unreachable', GITHUB_API_URL: `http://127.0.0.1:${port}` },
  });
  assertCliRefusal(
    result,
    { message: new RegExp(`could not reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`) },
    'unreachable',
  );
  assert.doesNotMatch(result.stdout + result.stderr, /ghp_unreachable/);
});
