/**
 * `cairn runner start`: this machine as ephemeral, just-in-time registered self-hosted runners, one
 * (or, with `perGpu`, one per GPU) for a repository or organisation. The first SIGTERM or SIGINT
 * drains (running jobs finish, idle runners are deregistered); a second stops now and deregisters.
 */
import { hostname } from 'node:os';
import { isUserError, UserError } from '../core/errors.ts';
import {
  createJitRunner,
  deleteRunner,
  describeScope,
  findRunnerGroup,
  DEFAULT_RUNNER_GROUP_ID,
  type GitHubClient,
  type RunnerScope,
} from '../core/github/index.ts';
import type { GpuProbe } from '../core/gpu/index.ts';
import { networkFailure } from '../core/net/index.ts';
import type { Logger } from '../core/logger.ts';
import { startActionsRunner, type StartActionsRunner } from './actions-runner.ts';
import { CREDENTIAL_VARIABLES } from './github-client.ts';
import { gpuRunnerLabels, runnerLabels, type Machine } from './labels.ts';
import { checkRunnerDir, gpuRunnerDir } from './runner-folders.ts';
import { RunnerSlot } from './runner-slot.ts';

/** Where SIGTERM and SIGINT come from: `process`, or a test's emitter. */
export interface SignalSource {
  on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

export interface StartRunnersOptions {
  scope: RunnerScope;
  client: GitHubClient;
  runnerDir: string;
  perGpu?: boolean;
  labels?: readonly string[];
  /** Runner names' stem; default the host name. */
  name?: string;
  /** An organisation's runner group by name; default its default group. */
  runnerGroup?: string;
  idleTimeoutMs?: number;
  probe: () => Promise<GpuProbe>;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  signals: SignalSource;
  machine?: Machine;
  startRunner?: StartActionsRunner;
  stopGraceMs?: number;
  deregisterRetryMs?: number;
  deregisterAttempts?: number;
}

/** The environment of one runner's jobs: no Cairn credentials, and the runner's labels for `cairn train`. */
export function jobEnvironment(env: NodeJS.ProcessEnv, labels: readonly string[], gpuUuid?: string): NodeJS.ProcessEnv {
  const jobEnv: NodeJS.ProcessEnv = { ...env, CAIRN_RUNNER_LABELS: labels.join(',') };
  for (const name of CREDENTIAL_VARIABLES) delete jobEnv[name];
  // By UUID: nvidia-smi numbers GPUs by PCI bus, CUDA fastest first, so an index could name another GPU.
  if (gpuUuid) jobEnv.CUDA_VISIBLE_DEVICES = gpuUuid;
  return jobEnv;
}

interface SlotPlan {
  name: string;
  runnerDir: string;
  labels: string[];
  env: NodeJS.ProcessEnv;
}

async function planSlots(options: StartRunnersOptions, probe: GpuProbe, machine: Machine): Promise<SlotPlan[]> {
  const stem = options.name ?? hostname();
  const extra = options.labels ?? [];
  if (!options.perGpu) {
    const labels = runnerLabels(probe, machine, extra);
    return [{ name: stem, runnerDir: options.runnerDir, labels, env: jobEnvironment(options.env, labels) }];
  }
  if (probe.devices.length === 0)
    throw new UserError(`--per-gpu needs a GPU, and the probe found none${probe.reason ? `: ${probe.reason}` : ''}`);
  return probe.devices.map((device) => {
    const labels = gpuRunnerLabels(probe, device, machine, extra);
    return {
      name: `${stem}-gpu${device.index}`,
      runnerDir: gpuRunnerDir(options.runnerDir, device.index),
      labels,
      env: jobEnvironment(options.env, labels, device.uuid),
    };
  });
}

/** Runs until every runner has stopped; 0 when all stopped as asked, 1 when one kept failing. */
export async function startRunners(options: StartRunnersOptions): Promise<number> {
  const { client, scope, logger, signals } = options;
  checkRunnerDir(options.runnerDir);
  const machine = options.machine ?? { platform: process.platform, arch: process.arch };
  const probe = await options.probe();
  if (probe.count === 0) logger.info(`no GPU: ${probe.reason ?? 'the probe found none'}`);
  const runnerGroupId =
    scope.kind === 'org' ? await findRunnerGroup(client, scope.org, options.runnerGroup) : DEFAULT_RUNNER_GROUP_ID;
  const plans = await planSlots(options, probe, machine);
  const slots = plans.map(
    (plan) =>
      new RunnerSlot({
        name: plan.name,
        runnerDir: plan.runnerDir,
        env: plan.env,
        register: (name) => createJitRunner(client, scope, { name, labels: plan.labels, runnerGroupId }),
        deregister: (id) => deleteRunner(client, scope, id),
        startRunner: options.startRunner ?? startActionsRunner,
        idleTimeoutMs: options.idleTimeoutMs,
        stopGraceMs: options.stopGraceMs ?? 30_000,
        deregisterRetryMs: options.deregisterRetryMs ?? 5_000,
        deregisterAttempts: options.deregisterAttempts ?? 6,
        logger,
      }),
  );
  for (const plan of plans)
    logger.info(`${plan.name}: runner for ${describeScope(scope)}, labels ${plan.labels.join(', ')}`);

  let signalsSeen = 0;
  const onSignal = () => {
    signalsSeen++;
    if (signalsSeen === 1) {
      logger.info('draining: running jobs finish, idle runners are deregistered (signal again to stop now)');
      slots.forEach((slot) => slot.drain());
    } else {
      logger.info('stopping now: runners are stopped and deregistered');
      slots.forEach((slot) => slot.stopNow());
    }
  };
  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);
  try {
    // A runner that stops on an error says so at once; the others run on until they stop too.
    const running = slots.map((slot, i) =>
      slot.run().catch((error: unknown) => {
        if (!isUserError(error)) logger.error(`${plans[i].name}: ${(error as Error).message}`);
        throw error;
      }),
    );
    const failures = (await Promise.allSettled(running)).filter((outcome) => outcome.status === 'rejected');
    // The same for every runner (credentials, rights, the scope, the network, a broken folder): the
    // CLI says it once, as the error of a user's setting (exit 2).
    const refusal = failures.find((failure) => isUserError(failure.reason) || networkFailure(failure.reason));
    if (refusal) throw refusal.reason;
    return failures.length > 0 ? 1 : 0;
  } finally {
    signals.off('SIGTERM', onSignal);
    signals.off('SIGINT', onSignal);
  }
}
