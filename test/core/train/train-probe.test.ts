import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { memoryLogger } from '../../../core/logger.ts';
import { train } from '../../../core/train/index.ts';
import { tempDir } from '../../support/cli.ts';
import { fakeGpuEnv, fakeProcDriver } from '../../support/fake-nvidia-smi.ts';

const runner = { name: 'test', os: 'Linux', arch: 'X64', labels: null };

describe('train: a GPU probe that never answers', () => {
  test('--gpu optional with a hung nvidia-smi: the record is written with gpu: null, and the log says why', async () => {
    const dir = tempDir('cairn-train-probe-');
    const logger = memoryLogger();
    const result = await train({
      command: ['sh', '-c', 'exit 0'],
      cwd: dir,
      env: fakeGpuEnv('hang'),
      logger,
      gpu: 'optional',
      record: { path: join(dir, 'record.json'), shown: 'record.json' },
      runner,
      gpuProcRoot: fakeProcDriver(),
      telemetryIntervalS: 0,
    });
    assert.equal(result.exitCode, 0);
    assert.equal(result.record.gpu, null);
    assert.equal(JSON.parse(readFileSync(join(dir, 'record.json'), 'utf8')).gpu, null);
    assert.ok(
      logger.lines.some(
        (line) => line.level === 'warn' && /GPU probe \(nvidia-smi\) had not answered/.test(line.message),
      ),
      JSON.stringify(logger.lines),
    );
  });

  test('a cancelled run does not wait for the hung probe either', async () => {
    const dir = tempDir('cairn-train-probe-');
    const logger = memoryLogger();
    const controller = new AbortController();
    const running = train({
      command: ['sleep', '30'],
      cwd: dir,
      env: fakeGpuEnv('hang'),
      logger,
      gpu: 'optional',
      record: { path: join(dir, 'record.json'), shown: 'record.json' },
      runner,
      gpuProcRoot: fakeProcDriver(),
      telemetryIntervalS: 0,
      graceMs: 200,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort('SIGTERM'), 300);
    const result = await running;
    assert.equal(result.record.status, 'cancelled');
    assert.equal(result.record.gpu, null);
    assert.ok(logger.lines.some((line) => /when the run was cancelled; the record has gpu: null/.test(line.message)));
  });
});
