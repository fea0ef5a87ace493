/**
 * One runner's life: register just in time, run one job, register afresh. Every registration ends
 * consumed by its one job (GitHub then removes the ephemeral runner) or deleted through the API,
 * so no exit path leaves a ghost runner. A runner GitHub reports busy is never stopped.
 */
import { randomBytes } from 'node:crypto';
import type { Deregistration, JitRunner } from '../core/github/index.ts';
import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { ActionsRunnerProcess, RunnerEvent, StartActionsRunner } from './actions-runner.ts';
import { clearJobState } from './runner-folders.ts';

export interface RunnerSlotOptions {
  /** The runner names' stem, e.g. `gpu-box-gpu3`; each registration adds a random suffix. */
  name: string;
  runnerDir: string;
  /** The environment of run.sh, which the runner passes on to its jobs. */
  env: NodeJS.ProcessEnv;
  register: (name: string) => Promise<JitRunner>;
  deregister: (runnerId: number) => Promise<Deregistration>;
  startRunner: StartActionsRunner;
  /** Deregister and stop after this long with no job; undefined: never. */
  idleTimeoutMs?: number;
  /** How long the runner has to stop after SIGTERM before its group is killed. */
  stopGraceMs: number;
  /** Waits between deregistration attempts of a runner GitHub still calls busy after it was stopped. */
  deregisterRetryMs: number;
  deregisterAttempts: number;
  logger: Logger;
}

type State = 'registering' | 'starting' | 'idle' | 'busy';

/** Runs that exit without a job, one after another, before the slot gives up (a broken runner folder). */
const MAX_FAILED_STARTS = 3;

export class RunnerSlot {
  #state: State = 'registering';
  #draining = false;
  #stoppingNow = false;
  #registration: JitRunner | undefined;
  #process: ActionsRunnerProcess | undefined;
  /** The current registration is deleted (or found gone): nothing is left to deregister. */
  #removed = false;
  #deregistering = false;
  #idleTimer: NodeJS.Timeout | undefined;
  readonly #options: RunnerSlotOptions;
  readonly #log: Logger;

  constructor(options: RunnerSlotOptions) {
    this.#options = options;
    const prefix = `[${options.name}] `;
    const { logger } = options;
    this.#log = {
      debug: (m) => logger.debug(prefix + m),
      info: (m) => logger.info(prefix + m),
      warn: (m) => logger.warn(prefix + m),
      error: (m) => logger.error(prefix + m),
    };
  }

  /** Resolves when the slot has stopped; rejects when its runner keeps failing to start. */
  async run(): Promise<void> {
    let failedStarts = 0;
    while (!this.#draining && !this.#stoppingNow) {
      const outcome = await this.#once();
      if (outcome === 'failed' && ++failedStarts >= MAX_FAILED_STARTS)
        throw new UserError(
          `${this.#options.name}: the runner in ${this.#options.runnerDir} exited ${failedStarts} times without running a job; its output above (and its _diag folder) says why. A broken folder is mended by a fresh \`cairn runner install --dir DIR\`.`,
        );
      if (outcome !== 'failed') failedStarts = 0;
      if (outcome === 'stopped') return;
    }
  }

  /** First SIGTERM: a running job finishes; an idle runner is deregistered and stopped. */
  drain(): void {
    this.#draining = true;
    if (this.#state === 'idle' || this.#state === 'starting') void this.#deregisterAndStop('draining');
  }

  /** Second SIGTERM: the runner stops now (cancelling its job); its registration is deleted after. */
  stopNow(): void {
    this.#draining = true;
    this.#stoppingNow = true;
    this.#process?.terminate(this.#options.stopGraceMs);
  }

  /** One registration: 'job' when a job consumed it, 'stopped' when the slot should end, 'failed' otherwise. */
  async #once(): Promise<'job' | 'stopped' | 'failed'> {
    const options = this.#options;
    this.#state = 'registering';
    this.#removed = false;
    // Jobs share nothing through the folder: what the last one left (its tool cache included) goes.
    clearJobState(options.runnerDir);
    const registration = await options.register(`${options.name}-${randomBytes(3).toString('hex')}`);
    this.#registration = registration;
    this.#log.info(`registered runner ${registration.name} (id ${registration.id})`);
    if (this.#draining) {
      await this.#ensureDeregistered();
      return 'stopped';
    }
    let jobStarted = false;
    let jobFinished = false;
    this.#state = 'starting';
    this.#process = options.startRunner({
      runnerDir: options.runnerDir,
      jitConfig: registration.encodedJitConfig,
      env: options.env,
      onLine: (line) => this.#log.info(line),
      onEvent: (event: RunnerEvent) => {
        if (event.kind === 'listening' && !jobStarted) this.#becomeIdle();
        if (event.kind === 'job-started') {
          jobStarted = true;
          this.#state = 'busy';
          clearTimeout(this.#idleTimer);
        }
        if (event.kind === 'job-finished') jobFinished = true;
      },
    });
    const exit = await this.#process.exited;
    clearTimeout(this.#idleTimer);
    this.#process = undefined;
    if (jobFinished && !this.#stoppingNow) {
      this.#log.info(`runner ${registration.name} took its one job; GitHub removes it`);
      return this.#draining ? 'stopped' : 'job';
    }
    await this.#ensureDeregistered();
    if (this.#draining) return 'stopped';
    this.#log.warn(`the runner exited (code ${exit.code ?? exit.signal}) without running a job`);
    return jobStarted ? 'job' : 'failed';
  }

  #becomeIdle(): void {
    this.#state = 'idle';
    if (this.#draining) return void this.#deregisterAndStop('draining');
    const { idleTimeoutMs } = this.#options;
    if (idleTimeoutMs === undefined) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => void this.#deregisterAndStop('idle'), idleTimeoutMs);
  }

  /** Deregisters an idle runner; when GitHub says it is busy, a job was just assigned: it keeps running. */
  async #deregisterAndStop(why: 'idle' | 'draining'): Promise<void> {
    const registration = this.#registration;
    // One request at a time: SIGTERM while starting, then its "Listening" line, would ask twice.
    if (!registration || this.#removed || this.#state === 'busy' || this.#deregistering) return;
    this.#deregistering = true;
    const answer = await this.#deregister(registration).finally(() => (this.#deregistering = false));
    if (answer !== 'removed') {
      if (answer === 'busy')
        this.#log.info(`GitHub says runner ${registration.name} is busy: a job was just assigned, so it keeps running`);
      // Its "Running job" line is on the way and cancels this; should none come, ask again later.
      const again = why === 'idle' ? (this.#options.idleTimeoutMs ?? 0) : this.#options.deregisterRetryMs;
      clearTimeout(this.#idleTimer);
      this.#idleTimer = setTimeout(() => void this.#deregisterAndStop(why), again);
      return;
    }
    this.#log.info(
      why === 'idle' ? `idle: deregistered ${registration.name}; stopping` : `deregistered ${registration.name}`,
    );
    if (why === 'idle') this.#draining = true;
    this.#process?.terminate(this.#options.stopGraceMs);
  }

  /** 'failed': the request did not get an answer from GitHub (logged); ask again later. */
  async #deregister(registration: JitRunner): Promise<Deregistration | 'failed'> {
    try {
      const answer = await this.#options.deregister(registration.id);
      if (answer === 'removed') this.#removed = true;
      return answer;
    } catch (error) {
      this.#log.error(`could not deregister runner ${registration.name}: ${(error as Error).message}`);
      return 'failed';
    }
  }

  /** After the runner is gone without finishing a job: delete its registration, waiting out "busy". */
  async #ensureDeregistered(): Promise<void> {
    const registration = this.#registration;
    if (!registration || this.#removed) return;
    const { deregisterAttempts, deregisterRetryMs } = this.#options;
    for (let attempt = 1; attempt <= deregisterAttempts; attempt++) {
      if ((await this.#deregister(registration)) === 'removed') {
        this.#log.info(`deregistered ${registration.name}`);
        return;
      }
      if (attempt < deregisterAttempts) await new Promise((resolve) => setTimeout(resolve, deregisterRetryMs));
    }
    this.#log.warn(
      `GitHub still lists runner ${registration.name} (id ${registration.id}) as busy; it removes an ephemeral runner once its job ends`,
    );
  }
}
