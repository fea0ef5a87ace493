/**
 * `startRunners` on a machine of the test's making: the fake actions runner, the fake GitHub
 * (every request checked against @octokit/openapi), signals from an emitter instead of the process.
 */
import { EventEmitter } from 'node:events';
import { createOctokit, type RunnerScope } from '../../../core/github/index.ts';
import type { GpuProbe } from '../../../core/gpu/index.ts';
import { memoryLogger } from '../../../core/logger.ts';
import { startRunners, type StartRunnersOptions } from '../../../runner/start.ts';
import { fakeActionsRunner, type FakeActionsRunner } from './fake-actions-runner.ts';
import { fakeRunnerApi, type FakeRunnerApi } from './fake-runner-api.ts';

export const NO_GPU: GpuProbe = {
  count: 0,
  driver_version: null,
  cuda_version: null,
  devices: [],
  labels: [],
  reason: 'nvidia-smi is not on PATH and /proc/driver/nvidia lists no GPU',
};

export const ONE_H100: GpuProbe = {
  count: 1,
  driver_version: '550.54.15',
  cuda_version: '12.4',
  devices: [
    {
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      uuid: 'GPU-5d3c7a8e-0000-4000-8000-000000000000',
      memory_total_mib: 81559,
      compute_capability: '9.0',
    },
  ],
  labels: ['gpu', 'gpu-h100-80gb-hbm3', 'cuda-12', 'gpus-1'],
};

export interface TestMachine {
  api: FakeRunnerApi;
  runner: FakeActionsRunner;
  signals: EventEmitter;
  logged: () => string[];
  /** startRunners' exit code once every runner has stopped. */
  stopped: Promise<number>;
}

export function startMachine(
  t: { after(fn: () => void | Promise<void>): void },
  options: Partial<StartRunnersOptions> & { gpus?: GpuProbe; scope?: RunnerScope; extraEnv?: NodeJS.ProcessEnv } = {},
): TestMachine {
  const signals = new EventEmitter();
  let stopped: Promise<number> = Promise.resolve(0);
  // Registered before the fake's own check, so a test that fails midway still stops its runners first.
  t.after(async () => {
    signals.emit('SIGTERM');
    signals.emit('SIGTERM');
    await stopped.catch(() => {});
  });
  const runner = fakeActionsRunner();
  const api = fakeRunnerApi(t, runner.log);
  const logger = memoryLogger();
  stopped = startRunners({
    scope: { kind: 'repo', owner: 'acme', repo: 'models' },
    client: createOctokit({ auth: 'ghp_admin', retries: 0, throttle: false }),
    runnerDir: runner.runnerDir,
    probe: () => Promise.resolve(options.gpus ?? NO_GPU),
    // The credentials cairn runs with are in its environment: the jobs must not get them.
    env: { ...runner.env, GITHUB_TOKEN: 'ghp_admin', PRIVATE_KEY: 'pem', ...options.extraEnv },
    logger,
    signals,
    name: 'box',
    machine: { platform: 'linux', arch: 'x64' },
    stopGraceMs: 5_000,
    deregisterRetryMs: 10,
    deregisterAttempts: 3,
    ...options,
  });
  return { api, runner, signals, stopped, logged: () => logger.lines.map((line) => line.message) };
}

/** Waits until `condition` holds; fails after `limitMs` (a hang guard, not a timing assertion). */
export async function until(what: string, condition: () => boolean, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
