/**
 * The built CLI as a service manager runs it: `cairn runner start` in its own process, GitHub on
 * loopback (every request checked against @octokit/openapi), and signals sent to cairn's whole
 * process group, as Ctrl+C in a terminal does. The actions runner sits in a group of its own, so
 * the signal reaches cairn alone and its job finishes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { CLI, runCli } from '../support/cli.ts';
import { startFakeGithub } from '../e2e/support/fake-github.ts';
import { PROXY_ONLY_DOMAIN, startHttpProxy } from '../support/http-proxy.ts';
import { encodeJitConfig, fakeActionsRunner } from './support/fake-actions-runner.ts';
import { fakeRunnerApi } from './support/fake-runner-api.ts';
import { until } from './support/machine.ts';

test('Ctrl+C drains the built CLI behind a proxy: the running job finishes, nothing registers again, exit 0', async (t) => {
  const github = await startFakeGithub({ validateResponses: true });
  t.after(() => github.close());
  // GitHub behind the company proxy: its name resolves only there.
  const proxy = await startHttpProxy();
  t.after(() => proxy.close());
  const apiUrl = github.baseUrl.replace('127.0.0.1', `api.${PROXY_ONLY_DOMAIN}`);
  const runner = fakeActionsRunner();
  const api = fakeRunnerApi(t, runner.log, github.gh);
  const cairn = spawn(
    process.execPath,
    [
      CLI,
      'runner',
      'start',
      '--repo',
      'acme/models',
      '--runner-dir',
      runner.runnerDir,
      '--name',
      'box',
      '--labels',
      'lab,big',
    ],
    {
      // PATH without nvidia-smi: a machine without a GPU.
      env: {
        ...runner.env,
        PATH: dirname(process.execPath),
        GITHUB_TOKEN: 'ghp_admin',
        GITHUB_API_URL: apiUrl,
        HTTP_PROXY: proxy.url,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let stdout = '';
  cairn.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  cairn.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => cairn.once('exit', (code) => resolve(code)));
  t.after(() => {
    if (cairn.exitCode === null) process.kill(-cairn.pid!, 'SIGKILL');
  });

  await until('the runner starts', () => runner.log().some((e) => e.event === 'start'));
  runner.queueJob('train');
  await until('it runs the job', () => runner.log().some((e) => e.event === 'job'));
  process.kill(-cairn.pid!, 'SIGINT');
  await until('cairn drains', () => stderr.includes('draining'));
  runner.finishJob('train');

  assert.equal(await exited, 0, stderr);
  assert.ok(
    runner.log().some((e) => e.event === 'exit' && e.job === 'train' && e.finished),
    'the job finished',
  );
  assert.deepEqual(api.registrations[0].labels, ['self-hosted', 'Linux', 'X64', 'lab', 'big']);
  assert.equal(api.registrations.length, 1);
  assert.match(stderr, /Running job: train/);
  assert.deepEqual(proxy.hosts(), [`api.${PROXY_ONLY_DOMAIN}`], 'registration went through the proxy');
  for (const secret of ['ghp_admin', encodeJitConfig(api.registrations[0].id)]) {
    assert.ok(!stderr.includes(secret), `stderr holds ${secret}`);
    assert.ok(!stdout.includes(secret), `stdout holds ${secret}`);
  }
  github.gh.done();
});

test('cairn runner start and install print their own help', async () => {
  for (const sub of ['start', 'install']) {
    const help = await runCli(['runner', sub, '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^Usage: cairn runner ${sub} `));
  }
});

test('cairn runner start without a repository or organisation is a usage error', async () => {
  const result = await runCli(['runner', 'start', '--runner-dir', '.']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /takes one of --repo OWNER\/NAME or --org ORG/);
});
