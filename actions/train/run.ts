import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import { actionInput } from '../../core/option-names.ts';
import { UserError } from '../../core/errors.ts';
import { pathKind } from '../../core/output-paths.ts';
import { renderTrainingSummary } from '../../core/report/index.ts';
import { openStore, parseModelName, resolveRemote, type ObjectStore } from '../../core/store/index.ts';
import {
  pushTrainedModel,
  runnerIdentity,
  train,
  type NamedFile,
  type TrainResult,
  type TrainingRecord,
} from '../../core/train/index.ts';
import { actionLogger, optionalInput, requiredInput } from '../shared/action-logger.ts';
import { fileStem } from '../shared/file-stem.ts';
import { parseEnumInput, parsePositiveNumberInput } from '../shared/inputs.ts';
import { appendJobSummary } from '../shared/job-summary.ts';
import { readRunnerEnv } from '../shared/runner-env.ts';

/** As the runner runs a `run:` step's script (`shell: bash`), so a command moves between the two unchanged. */
export const SHELL = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c'] as const;

/**
 * actions/train: `cairn train`'s core around the `command` input. `signal` is aborted with the
 * signal the runner sent (SIGINT, then SIGTERM), which stops the command's whole tree.
 */
export async function run(signal?: AbortSignal): Promise<void> {
  const env = readRunnerEnv();
  const command = requiredInput('command');
  const workspace = process.cwd();
  const cwdInput = optionalInput('working-directory');
  const cwd = resolve(workspace, cwdInput ?? '.');
  if ((await pathKind(cwd)) !== 'folder')
    throw new UserError(`input working-directory: ${cwdInput} is not a folder in the workspace.`);
  const named = (input: string): NamedFile | undefined => {
    const shown = optionalInput(input);
    return shown === undefined ? undefined : { path: resolve(cwd, shown), shown };
  };
  const gpu = parseEnumInput('gpu', ['required', 'optional', 'none'] as const, 'optional');
  const timeoutMinutes = parsePositiveNumberInput('timeout-minutes');
  const name = optionalInput('name');
  const model = named('model');
  const data = core
    .getInput('data')
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean)
    .map((path) => ({ path: resolve(cwd, path), shown: path }));
  const store = await openPushStore({ model, name, cwd });

  // The step's id (GITHUB_ACTION) keeps two training steps of one job from sharing a record.
  const step = process.env.GITHUB_ACTION ? `-${process.env.GITHUB_ACTION}` : '';
  const recordPath = join(
    env.runnerTemp ?? tmpdir(),
    'cairn',
    `${fileStem(`${name ?? 'model'}${step}`)}.training.json`,
  );
  let result: TrainResult | undefined;
  let modelUri = '';
  try {
    result = await train({
      command: [...SHELL, command],
      cwd,
      env: process.env,
      logger: actionLogger,
      spell: actionInput,
      gpu,
      record: { path: recordPath, shown: recordPath },
      params: named('params'),
      metrics: named('metrics'),
      model,
      data,
      timeoutMs: timeoutMinutes === undefined ? undefined : timeoutMinutes * 60_000,
      git: env.context.sha ? { sha: env.context.sha, ref: env.context.ref || null } : undefined,
      runner: runnerIdentity(process.env),
      signal,
      // The driver's /proc entries, where the probe looks when nvidia-smi is missing; tests point it elsewhere.
      gpuProcRoot: process.env.CAIRN_NVIDIA_PROC_ROOT,
    });
    const { record } = result;
    core.setOutput('record-path', recordPath);
    core.setOutput('status', record.status);
    core.setOutput('model-sha256', record.model?.sha256 ?? '');
    if (store && name && model && record.status === 'succeeded') {
      if (!record.model)
        throw new UserError(
          `push: true: the command succeeded but model: ${model.shown} is not there; nothing was pushed.`,
        );
      const pushed = await pushTrainedModel(store, { name, file: model.path, record, logger: actionLogger });
      modelUri = pushed.modelUri;
    }
    core.setOutput('model-uri', modelUri);
  } finally {
    store?.close();
    if (result)
      await appendJobSummary(
        renderTrainingSummary({
          record: result.record,
          series: result.telemetry?.series,
          command,
          name,
          recordPath,
          modelUri: modelUri || undefined,
        }),
      );
  }
  if (result.exitCode !== 0) core.setFailed(failureMessage(result.record, result.exitCode, timeoutMinutes));
}

function failureMessage(record: TrainingRecord, exitCode: number, timeoutMinutes: number | undefined): string {
  switch (record.status) {
    case 'timed_out':
      return `training timed_out: the command ran past timeout-minutes (${timeoutMinutes}) and was stopped (exit ${exitCode}).`;
    case 'cancelled':
      return `training cancelled: the run was cancelled and the command's process tree stopped (exit ${exitCode}).`;
    default:
      return record.exit_code === null
        ? `training failed: the command was killed by ${record.signal} (exit ${exitCode}).`
        : `training failed: the command exited with code ${exitCode}.`;
  }
}

/** With `push: true`, the store the model goes to, opened before the run so a bad remote costs no GPU time. */
async function openPushStore(options: {
  model: NamedFile | undefined;
  name: string | undefined;
  cwd: string;
}): Promise<ObjectStore | undefined> {
  const push = parseEnumInput('push', ['true', 'false'] as const, 'false') === 'true';
  const remote = optionalInput('remote');
  if (!push) {
    if (remote !== undefined) throw new UserError('input remote: goes with push: true.');
    return undefined;
  }
  if (!options.model || !options.name)
    throw new UserError('push: true needs model: (the file the command writes) and name: (the model it is).');
  parseModelName(options.name);
  const resolved = await resolveRemote({ remote, label: 'the `remote` input', from: options.cwd, cwd: options.cwd });
  return openStore(resolved.uri, {
    env: process.env,
    logger: actionLogger,
    cwd: options.cwd,
    endpoint: resolved.endpoint,
  });
}
