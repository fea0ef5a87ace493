import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTelemetry } from '../../../core/gpu/index.ts';
import { fakeGpuEnv, noNvidiaSmiEnv } from '../../support/fake-nvidia-smi.ts';

const ALLOCATED_MIB = 256;

/**
 * A command like a training script's: a parent (a shell) whose grandchild allocates and touches
 * ALLOCATED_MIB, says so, then waits to be killed.
 */
function startTree() {
  const grandchild = `const b = Buffer.alloc(${ALLOCATED_MIB} * 1024 * 1024, 1); console.log('allocated', b.length); setInterval(() => b[0]++, 1000);`;
  const child = `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' }); setInterval(() => {}, 1000);`;
  const root = spawn(process.execPath, ['-e', child], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const allocated = new Promise<void>((resolve) =>
    root.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('allocated') && resolve()),
  );
  return {
    pid: root.pid!,
    allocated,
    async kill() {
      process.kill(-root.pid!, 'SIGKILL');
      await once(root, 'exit');
    },
  };
}

describe('startTelemetry', () => {
  test("the tree's RSS counts a grandchild's memory; GPUs are read from nvidia-smi's loop", async () => {
    const tree = startTree();
    try {
      const telemetry = startTelemetry({ rootPid: tree.pid, intervalS: 0.1, gpus: true, env: fakeGpuEnv('mixed') });
      await tree.allocated;
      await sleep(1200); // the fake's loop answers every 100 ms; let a few rounds arrive
      const summary = await telemetry.stop();

      assert.equal(summary.interval_s, 0.1);
      assert.ok(summary.samples >= 2, `samples: ${summary.samples}`);
      assert.ok(summary.peak_rss_mb > ALLOCATED_MIB, `peak_rss_mb ${summary.peak_rss_mb} <= ${ALLOCATED_MIB}`);
      const first = summary.series[0]!;
      assert.ok(first.rss_mb < summary.peak_rss_mb, 'the series shows the RSS growing');

      // The fake's memory.used climbs 2048 MiB a round from 1024 (+100 per index), capped at the board's total.
      assert.deepEqual(
        summary.gpus.map((gpu) => gpu.index),
        [0, 1, 2],
      );
      assert.ok(summary.gpus[0]!.peak_memory_mib > 1024);
      assert.ok(summary.gpus[0]!.peak_memory_mib <= 15360);
      assert.ok(summary.gpus.every((gpu) => gpu.mean_utilization_pct >= 0 && gpu.mean_utilization_pct <= 100));
      const last = summary.series.at(-1)!;
      assert.deepEqual(
        last.gpus.map((gpu) => gpu.index),
        [0, 1, 2],
      );
    } finally {
      await tree.kill();
    }
  });

  test("a loop answering with its header and units (nvidia-smi's plain csv) reads the same", async () => {
    const tree = startTree();
    try {
      const telemetry = startTelemetry({
        rootPid: tree.pid,
        intervalS: 0.1,
        gpus: true,
        env: fakeGpuEnv('header-units'),
      });
      await tree.allocated;
      await sleep(500);
      const summary = await telemetry.stop();
      assert.deepEqual(
        summary.gpus.map((gpu) => gpu.index),
        [0],
      );
      assert.ok(summary.gpus[0]!.peak_memory_mib >= 1024);
    } finally {
      await tree.kill();
    }
  });

  test("a `--per-gpu` job's telemetry reads its own GPU, not the seven other jobs' (CUDA_VISIBLE_DEVICES)", async () => {
    const tree = startTree();
    try {
      const env = { ...fakeGpuEnv('eight'), CUDA_VISIBLE_DEVICES: 'GPU-8c1b7f2e-3d5a-4c6b-9e8f-0a1b2c3d4e3f' };
      const telemetry = startTelemetry({ rootPid: tree.pid, intervalS: 0.1, gpus: true, env });
      await tree.allocated;
      await sleep(500);
      const summary = await telemetry.stop();
      assert.deepEqual(
        summary.gpus.map((gpu) => gpu.index),
        [3],
      );
      assert.ok(summary.series.every((point) => point.gpus.every((gpu) => gpu.index === 3)));
    } finally {
      await tree.kill();
    }
  });

  test('CUDA_VISIBLE_DEVICES=-1 hides every GPU: RSS only', async () => {
    const tree = startTree();
    try {
      const env = { ...fakeGpuEnv('eight'), CUDA_VISIBLE_DEVICES: '-1' };
      const telemetry = startTelemetry({ rootPid: tree.pid, intervalS: 0.1, gpus: true, env });
      await tree.allocated;
      await sleep(300);
      const summary = await telemetry.stop();
      assert.deepEqual(summary.gpus, []);
    } finally {
      await tree.kill();
    }
  });

  test('without nvidia-smi the run is still sampled, RSS only', async () => {
    const tree = startTree();
    try {
      const telemetry = startTelemetry({ rootPid: tree.pid, intervalS: 0.1, gpus: true, env: noNvidiaSmiEnv() });
      await tree.allocated;
      const summary = await telemetry.stop();
      assert.deepEqual(summary.gpus, []);
      assert.ok(summary.peak_rss_mb > ALLOCATED_MIB);
    } finally {
      await tree.kill();
    }
  });

  test('a process that has already exited gives a summary, not an error', async () => {
    const gone = spawn(process.execPath, ['-e', '0']);
    await once(gone, 'exit');
    const summary = await startTelemetry({ rootPid: gone.pid! }).stop();
    assert.equal(summary.peak_rss_mb, 0);
    assert.ok(summary.samples >= 1);
  });

  test("on a kernel without /proc/<pid>/task/<tid>/children, the tree is found through each process's ppid", async () => {
    // pid 100 -> 101 -> 102 (a comm with spaces and a parenthesis), and 200, not of the tree.
    const proc = mkdtempSync(join(tmpdir(), 'cairn-proc-'));
    const processes = [
      [100, 1, 'bash', 1000],
      [101, 100, 'python', 2048],
      [102, 101, 'pt_data (w) 0', 4096],
      [200, 1, 'sshd', 999_999],
    ] as const;
    for (const [pid, ppid, comm, rssKib] of processes) {
      mkdirSync(join(proc, String(pid)));
      writeFileSync(join(proc, String(pid), 'stat'), `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 0 0\n`);
      writeFileSync(join(proc, String(pid), 'status'), `Name:\t${comm}\nVmRSS:\t  ${rssKib} kB\nThreads:\t1\n`);
    }
    const summary = await startTelemetry({ rootPid: 100, procRoot: proc }).stop();
    assert.equal(summary.peak_rss_mb, 7); // (1000 + 2048 + 4096) KiB = 6.98 MiB, without pid 200
  });
});
