/**
 * `cairn runner start`'s lifecycle against the fake actions runner and the OpenAPI-checked fake
 * GitHub: one job per JIT registration, idle timeout, GitHub's 422 for a busy runner, drain on
 * SIGTERM, stop-now on a second, and no ghost runner on any path (every registration is deleted
 * or consumed by the one job it ran).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isUserError } from '../../core/errors.ts';
import { encodeJitConfig, type FakeActionsRunner } from './support/fake-actions-runner.ts';
import type { Registration } from './support/fake-runner-api.ts';
import { ONE_H100, startMachine, until } from './support/machine.ts';

/** Every registration was deleted through the API or consumed by a job its runner finished. */
function assertNoGhosts(registrations: Registration[], runner: FakeActionsRunner) {
  const consumed = new Set(runner.log().flatMap((e) => (e.event === 'exit' && e.finished ? [e.runnerId] : [])));
  const ghosts = registrations.filter((r) => !r.deleted && !consumed.has(r.id));
  assert.deepEqual(ghosts, [], 'registrations neither deleted nor consumed by a job');
}

/** Neither cairn's token nor any runner's JIT config (a credential until its job ends) is in the log. */
function assertNoSecretsLogged(lines: string[], registrations: Registration[]) {
  const secrets = ['ghp_admin', ...registrations.map((r) => encodeJitConfig(r.id))];
  assert.ok(registrations.length > 0);
  for (const secret of secrets)
    assert.deepEqual(
      lines.filter((line) => line.includes(secret)),
      [],
      'a secret is in the log',
    );
}

const started = (runner: FakeActionsRunner, id: number) =>
  runner.log().some((e) => e.event === 'start' && e.runnerId === id);
const jobRunning = (runner: FakeActionsRunner, job: string) =>
  runner.log().some((e) => e.event === 'job' && e.job === job);

test('registers just in time, runs one job per registration, then registers afresh', async (t) => {
  const { api, runner, signals, stopped, logged } = startMachine(t, { gpus: ONE_H100, labels: ['team-a'] });
  await until('the first runner starts', () => started(runner, 100));
  runner.queueJob('train-1');
  await until('it runs the job', () => jobRunning(runner, 'train-1'));
  runner.finishJob('train-1');
  await until('a fresh runner starts', () => started(runner, 101));

  const [first, second] = api.registrations;
  assert.deepEqual(first.labels, [
    'self-hosted',
    'Linux',
    'X64',
    'gpu',
    'gpu-h100-80gb-hbm3',
    'cuda-12',
    'gpus-1',
    'team-a',
  ]);
  assert.equal(first.runnerGroupId, 1);
  assert.match(first.name, /^box-[0-9a-f]{6}$/);
  assert.notEqual(second.name, first.name, 'each registration needs a name of its own');
  const start = runner.log().find((e) => e.event === 'start')!;
  assert.equal(start.labels, first.labels.join(','), 'jobs see CAIRN_RUNNER_LABELS');
  assert.deepEqual(start.credentials, [], "cairn's own credentials never reach a job");

  signals.emit('SIGTERM');
  assert.equal(await stopped, 0);
  assert.equal(first.deleted, false, 'its job consumed the first registration: nothing to delete');
  assert.equal(second.deleted, true, 'draining deletes the idle registration');
  assertNoGhosts(api.registrations, runner);
  assertNoSecretsLogged(logged(), api.registrations);
});

test('--idle-timeout deregisters an idle runner through the API and stops', async (t) => {
  const { api, runner, stopped, logged } = startMachine(t, { idleTimeoutMs: 150 });
  assert.equal(await stopped, 0);
  assert.equal(api.registrations.length, 1);
  assert.equal(api.registrations[0].deleted, true);
  assert.equal(api.gh.calls('DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}').length, 1);
  assert.ok(runner.log().some((e) => e.event === 'exit' && e.signal === 'SIGTERM' && !e.job));
  assert.ok(logged().some((line) => /idle: deregistered box-/.test(line)));
  assertNoGhosts(api.registrations, runner);
});

test('a runner GitHub calls busy (422) at deregistration keeps running its job', async (t) => {
  const { api, runner, stopped, logged } = startMachine(t, { idleTimeoutMs: 150 });
  // The job is assigned in the moment the idle runner is deregistered.
  api.busyOnNextDelete(() => runner.queueJob('late-job'));
  await until('the late job runs', () => jobRunning(runner, 'late-job'));
  await until('cairn hears it is busy', () =>
    logged().some((line) => /is busy: a job was just assigned, so it keeps running/.test(line)),
  );
  assert.ok(!runner.log().some((e) => e.event === 'exit'), 'the busy runner was not stopped');
  runner.finishJob('late-job');

  assert.equal(await stopped, 0, 'after the job, a fresh runner idles out and stops');
  const [first, second] = api.registrations;
  assert.equal(first.deleted, false);
  assert.ok(runner.log().some((e) => e.event === 'exit' && e.job === 'late-job' && e.finished));
  assert.equal(second.deleted, true);
  assertNoGhosts(api.registrations, runner);
});

test('SIGTERM drains: the running job finishes, then cairn exits without registering again', async (t) => {
  const { api, runner, signals, stopped, logged } = startMachine(t);
  await until('the runner starts', () => started(runner, 100));
  runner.queueJob('long-train');
  await until('it runs the job', () => jobRunning(runner, 'long-train'));
  // Cairn learns of the job from the runner's output; until it has, it would ask GitHub (a 422: busy).
  await until('cairn has read that the job runs', () =>
    logged().some((line) => line.includes('Running job: long-train')),
  );
  signals.emit('SIGTERM');
  await until('cairn says it drains', () => logged().some((line) => line.startsWith('draining')));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(!runner.log().some((e) => e.event === 'exit'), 'the job is still running');
  assert.equal(api.gh.calls('DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}').length, 0);

  runner.finishJob('long-train');
  assert.equal(await stopped, 0);
  assert.equal(api.registrations.length, 1, 'no registration after the drain');
  assert.ok(runner.log().some((e) => e.event === 'exit' && e.job === 'long-train' && e.finished));
  assertNoGhosts(api.registrations, runner);
});

test('a second SIGTERM stops the running job now and deregisters the runner', async (t) => {
  const { api, runner, signals, stopped } = startMachine(t);
  await until('the runner starts', () => started(runner, 100));
  runner.queueJob('stuck');
  await until('it runs the job', () => jobRunning(runner, 'stuck'));
  signals.emit('SIGTERM');
  signals.emit('SIGTERM');

  assert.equal(await stopped, 0);
  assert.ok(runner.log().some((e) => e.event === 'exit' && e.signal === 'SIGTERM' && e.job === 'stuck'));
  assert.equal(api.registrations.length, 1);
  assert.equal(api.registrations[0].deleted, true, 'the cancelled runner is deregistered');
  assertNoGhosts(api.registrations, runner);
});

test('SIGTERM before the runner has started deregisters the fresh registration', async (t) => {
  const { api, runner, signals, stopped } = startMachine(t);
  await until('registered', () => api.registrations.length === 1);
  signals.emit('SIGTERM');
  assert.equal(await stopped, 0);
  assert.equal(api.registrations.length, 1);
  assert.equal(api.registrations[0].deleted, true);
  assertNoGhosts(api.registrations, runner);
});

test('a runner that keeps exiting without a job is deregistered each time, and cairn gives up with a user error (exit 2)', async (t) => {
  const { api, runner, stopped, logged } = startMachine(t, {
    extraEnv: { FAKE_RUNNER_CRASH: 'Runner version 2.200.0 is deprecated' },
  });
  // A broken runner folder is the user's to mend: a UserError, which the CLI turns into exit 2.
  await assert.rejects(stopped, (error: Error) => {
    assert.ok(isUserError(error), String(error));
    assert.match(error.message, /exited 3 times without running a job; .*cairn runner install --dir DIR/);
    return true;
  });
  assert.equal(api.registrations.length, 3, 'it tried three times');
  assert.ok(api.registrations.every((r) => r.deleted));
  assert.ok(logged().some((line) => /An error occurred: Runner version 2\.200\.0 is deprecated/.test(line)));
  assertNoGhosts(api.registrations, runner);
  assertNoSecretsLogged(logged(), api.registrations);
});

test("a job finds nothing the job before it left under the runner's _work (its tool cache included)", async (t) => {
  const { runner, signals, stopped } = startMachine(t);
  await until('the first runner starts', () => started(runner, 100));
  runner.queueJob('pull-request');
  await until('it runs the job', () => jobRunning(runner, 'pull-request'));
  runner.finishJob('pull-request');
  await until('a fresh runner starts', () => started(runner, 101));
  runner.queueJob('main');
  await until('it runs the next job', () => jobRunning(runner, 'main'));
  runner.finishJob('main');
  await until('a third runner starts', () => started(runner, 102));
  signals.emit('SIGTERM');
  assert.equal(await stopped, 0);

  const jobs = runner.log().filter((e) => e.event === 'job');
  assert.deepEqual(
    jobs.map((e) => [e.job, e.leftover]),
    [
      ['pull-request', null],
      ['main', null],
    ],
    "the second job found the first one's file under _work/_tool",
  );
});

test('the JIT config reaches run.sh through its environment, never its world-readable command line', async (t) => {
  const { runner, signals, stopped } = startMachine(t);
  await until('the runner starts', () => started(runner, 100));
  const { pid } = runner.log().find((e) => e.event === 'start')!;
  // What any local user reads with ps.
  const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  signals.emit('SIGTERM');
  assert.equal(await stopped, 0);
  assert.ok(
    commandLine.some((arg) => arg.endsWith('/run.sh')),
    `run.sh's own command line: ${commandLine.join(' ')}`,
  );
  assert.ok(!commandLine.includes('--jitconfig'), commandLine.join(' '));
  assert.ok(!commandLine.some((arg) => arg.includes(encodeJitConfig(100))), 'the JIT config is on the command line');
});
