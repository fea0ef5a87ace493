import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { memoryLogger } from '../../../core/logger.ts';
import { exitCodeOf, runCommand } from '../../../core/train/internal/run-command.ts';
import { tempDir } from '../../support/cli.ts';
import { isRunning, killAll, pidsIn, waitForFile } from '../../support/processes.ts';

const TREE = resolve('test/fixtures/train/tree.sh');
const GRACE_MS = 500;
/** The acceptance criterion itself: the whole tree is gone within the grace period plus one second. */
const WITHIN_MS = GRACE_MS + 1000;

async function runTree(stop: (controller: AbortController) => void, options: { timeoutMs?: number } = {}) {
  const dir = tempDir('cairn-train-');
  const pids = join(dir, 'pids');
  const ready = join(dir, 'ready');
  const controller = new AbortController();
  const logger = memoryLogger();
  const running = runCommand({
    command: [TREE],
    cwd: dir,
    env: { ...process.env, PIDS: pids, READY: ready },
    logger,
    graceMs: GRACE_MS,
    timeoutMs: options.timeoutMs,
    signal: controller.signal,
    watchMs: 100,
  });
  await waitForFile(ready);
  const tree = pidsIn(pids);
  const stoppedAt = performance.now();
  stop(controller);
  try {
    const outcome = await running;
    // From the signal to the return; for a timeout, from the moment it expired (measured from the start).
    const stoppingMs =
      options.timeoutMs === undefined
        ? performance.now() - stoppedAt
        : Date.now() - (outcome.startedAt.getTime() + options.timeoutMs);
    return { outcome, tree, logger, stoppingMs };
  } finally {
    setTimeout(() => killAll(tree), 0);
  }
}

describe('runCommand: the command and its whole tree', () => {
  test('SIGINT to cairn: every process of the tree is gone when it returns, those ignoring SIGTERM included', async () => {
    const { outcome, tree, stoppingMs } = await runTree((controller) => controller.abort('SIGINT'));
    assert.ok(
      stoppingMs <= WITHIN_MS,
      `returned ${Math.round(stoppingMs)} ms after SIGINT (grace + 1 s: ${WITHIN_MS})`,
    );
    assert.equal(tree.length, 6);
    assert.deepEqual(
      tree.filter((pid) => isRunning(pid)),
      [],
    );
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.cancelledBy, 'SIGINT');
    assert.equal(exitCodeOf(outcome), 130);
  });

  test('SIGTERM to cairn: cancelled, 143', async () => {
    const { outcome, tree, stoppingMs } = await runTree((controller) => controller.abort('SIGTERM'));
    assert.ok(
      stoppingMs <= WITHIN_MS,
      `returned ${Math.round(stoppingMs)} ms after SIGTERM (grace + 1 s: ${WITHIN_MS})`,
    );
    assert.deepEqual(
      tree.filter((pid) => isRunning(pid)),
      [],
    );
    assert.equal(outcome.status, 'cancelled');
    assert.equal(exitCodeOf(outcome), 143);
  });

  test('timeout: timed_out, 124, and the tree is gone', async () => {
    const { outcome, tree, logger, stoppingMs } = await runTree(() => {}, { timeoutMs: 300 });
    assert.ok(stoppingMs <= WITHIN_MS, `returned ${stoppingMs} ms after the timeout (grace + 1 s: ${WITHIN_MS})`);
    assert.deepEqual(
      tree.filter((pid) => isRunning(pid)),
      [],
    );
    assert.equal(outcome.status, 'timed_out');
    assert.equal(exitCodeOf(outcome), 124);
    assert.ok(logger.lines.some((line) => /timeout-minutes/.test(line.message)));
  });

  for (const code of [0, 3, 42]) {
    test(`exit code ${code} propagates`, async () => {
      const outcome = await runCommand({
        command: ['sh', '-c', `exit ${code}`],
        cwd: process.cwd(),
        env: process.env,
        logger: memoryLogger(),
        graceMs: GRACE_MS,
      });
      assert.equal(outcome.status, code === 0 ? 'succeeded' : 'failed');
      assert.equal(outcome.exitCode, code);
      assert.equal(exitCodeOf(outcome), code);
    });
  }

  test('a command killed by a signal: 128 + its number, and the signal', async () => {
    const outcome = await runCommand({
      command: ['sh', '-c', 'kill -KILL $$'],
      cwd: process.cwd(),
      env: process.env,
      logger: memoryLogger(),
      graceMs: GRACE_MS,
    });
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.signal, 'SIGKILL');
    assert.equal(outcome.exitCode, null);
    assert.equal(exitCodeOf(outcome), 137);
  });

  test('processes the command leaves behind are stopped when it ends', async () => {
    const dir = tempDir('cairn-train-');
    const logger = memoryLogger();
    const outcome = await runCommand({
      command: ['sh', '-c', `sleep 300 & echo $! > ${join(dir, 'pid')}; exit 0`],
      cwd: dir,
      env: process.env,
      logger,
      graceMs: GRACE_MS,
    });
    const [pid] = pidsIn(join(dir, 'pid'));
    assert.equal(isRunning(pid), false);
    assert.equal(outcome.status, 'succeeded');
    assert.ok(logger.lines.some((line) => /left processes running/.test(line.message)));
  });

  test('a command that is not there is a usage error: nothing ran', async () => {
    await assert.rejects(
      runCommand({
        command: ['cairn-no-such-command'],
        cwd: process.cwd(),
        env: process.env,
        logger: memoryLogger(),
        graceMs: GRACE_MS,
      }),
      { name: 'UserError', message: /cannot run cairn-no-such-command: not found/ },
    );
  });
});
