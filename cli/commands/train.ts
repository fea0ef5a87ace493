import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { checkOutputPaths, pathKind } from '../../core/output-paths.ts';
import type { ObjectStore } from '../../core/store/index.ts';
import {
  DEFAULT_GRACE_MS,
  pushTrainedModel,
  runnerIdentity,
  train,
  TRAINING_RECORD_SCHEMA,
  type NamedFile,
} from '../../core/train/index.ts';
import { parseChoice, parseCommandArgs, verbosityOf } from '../args.ts';
import { gitInfoLater } from '../git-info.ts';
import { cliLogger, type CliIO } from '../io.ts';

const DEFAULT_RECORD = 'cairn-training.json';

export const trainHelp = `Usage: cairn train [options] -- COMMAND [ARGS...]

Runs a training command in its own process group, its output streamed through, samples telemetry
(GPU utilisation and memory through nvidia-smi, the tree's RSS), and writes the training record
(cairn.training/v1) for every outcome once the command started. On SIGINT or SIGTERM, and on
--timeout-minutes, the whole tree gets SIGTERM, then SIGKILL after --grace-seconds; when cairn train
returns, nothing it started runs. In a workflow \`run:\` step, \`exec cairn train ...\`: bash does not
pass the runner's SIGINT on to a child.

Options:
  --gpu MODE               required (refuse to start without a GPU), optional (default) or none (no probe)
  --record PATH            the training record (default ${DEFAULT_RECORD})
  --params PATH            parameters (YAML or JSON, e.g. DVC's params.yaml) to record; read before the run
  --metrics PATH           metrics (JSON or YAML) the command writes; read after the run
  --model PATH             the model file the command writes; its sha256 and size are recorded
  --data PATH              a .dvc file or dvc.lock whose outputs the run trains on (repeatable); they must
                           match the workspace, or nothing runs
  --timeout-minutes N      stop the command after N minutes (exit 124)
  --grace-seconds S        between SIGTERM and SIGKILL (default ${DEFAULT_GRACE_MS / 1000})
  --telemetry-interval S   seconds between telemetry samples (default 1; 0 turns sampling off)
  --push                   store the model in the remote under --name, content-addressed (no version),
                           with the record beside it; prints model-uri
  --name NAME              the model's name, for --push
  --remote REMOTE          where --push stores it (default: the DVC default remote)
  -q, --quiet / -v, --verbose

Exit codes: the command's own when it ran to the end (128+n when signal n killed it); 2 when
cairn train refused to start (nothing ran, no record); 124 on --timeout-minutes; 130 / 143 when
cancelled by SIGINT / SIGTERM.
`;

export async function trainCommand(args: string[], io: CliIO): Promise<number> {
  const split = args.indexOf('--');
  const { values } = parseCommandArgs('train', split < 0 ? args : args.slice(0, split), {
    gpu: { type: 'string' },
    record: { type: 'string' },
    params: { type: 'string' },
    metrics: { type: 'string' },
    model: { type: 'string' },
    data: { type: 'string', multiple: true },
    'timeout-minutes': { type: 'string' },
    'grace-seconds': { type: 'string' },
    'telemetry-interval': { type: 'string' },
    push: { type: 'boolean' },
    name: { type: 'string' },
    remote: { type: 'string' },
  });
  if (values.help) return (io.stdout(trainHelp), 0);
  const command = split < 0 ? [] : args.slice(split + 1);
  if (command.length === 0)
    throw new UserError(
      'name the command after --: cairn train [options] -- python train.py. Run `cairn train --help` for the options.',
    );
  const logger = cliLogger(io, verbosityOf(values));
  const named = (shown: string | undefined): NamedFile | undefined =>
    shown === undefined ? undefined : { path: resolve(io.cwd, shown), shown };
  const record = named(values.record ?? DEFAULT_RECORD)!;
  await checkOutputPaths([
    { ...record, option: values.record === undefined ? undefined : '--record', example: DEFAULT_RECORD },
  ]);
  if (values.record === undefined) await checkDefaultRecord(record);
  const timeoutMinutes = parseNumber('timeout-minutes', values['timeout-minutes'], { positive: true });
  const graceSeconds = parseNumber('grace-seconds', values['grace-seconds'], { positive: false });
  const intervalS = parseNumber('telemetry-interval', values['telemetry-interval'], { positive: false });
  const model = named(values.model);

  let store: ObjectStore | undefined;
  if (values.push) {
    if (!model || !values.name)
      throw new UserError('--push needs --model (the file the command writes) and --name (the model it is).');
    // The store (and the AWS SDK) loads only for --push: it would double `cairn train`'s start-up.
    const { openStore, parseModelName, resolveRemote } = await import('../../core/store/index.ts');
    parseModelName(values.name);
    const remote = await resolveRemote({ remote: values.remote, label: '--remote', from: io.cwd, cwd: io.cwd });
    store = openStore(remote.uri, { env: io.env, logger, cwd: io.cwd, endpoint: remote.endpoint });
  } else if (values.name !== undefined || values.remote !== undefined) {
    throw new UserError('--name and --remote go with --push.');
  }

  // The runner cancels a step with SIGINT, then SIGTERM; either one stops the command's tree.
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => cancel.abort(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await train({
      command,
      cwd: io.cwd,
      env: io.env,
      logger,
      gpu: parseChoice('gpu', values.gpu, ['required', 'optional', 'none'], 'optional'),
      record,
      params: named(values.params),
      metrics: named(values.metrics),
      model,
      data: (values.data ?? []).map((path) => named(path)!),
      timeoutMs: timeoutMinutes === undefined ? undefined : timeoutMinutes * 60_000,
      graceMs: graceSeconds === undefined ? undefined : graceSeconds * 1000,
      telemetryIntervalS: intervalS,
      git: gitInfoLater(io.env, io.cwd),
      runner: runnerIdentity(io.env),
      signal: cancel.signal,
      gpuProcRoot: io.env.CAIRN_NVIDIA_PROC_ROOT,
    });
    if (store && model && values.name) {
      if (result.record.status !== 'succeeded') {
        logger.warn(`the training ${result.record.status}: nothing was pushed`);
      } else if (!result.record.model) {
        throw new UserError(`--push: the command succeeded but ${model.shown} is not there; nothing was pushed.`);
      } else {
        const pushed = await pushTrainedModel(store, {
          name: values.name,
          file: model.path,
          record: result.record,
          logger,
        });
        io.stdout(`model-uri: ${pushed.modelUri}\n`);
      }
    }
    return result.exitCode;
  } catch (error) {
    // Cancelled while checking the data, before anything ran: still the cancellation's exit code.
    if (!cancel.signal.aborted) throw error;
    io.stderr('cairn train: cancelled before the command started; nothing ran.\n');
    return cancel.signal.reason === 'SIGINT' ? 130 : 143;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    store?.close();
  }
}

function parseNumber(flag: string, value: string | undefined, options: { positive: boolean }): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (options.positive && n === 0))
    throw new UserError(
      `--${flag} must be a ${options.positive ? 'positive' : 'non-negative'} number; got "${value}".`,
    );
  return n;
}

/** A default path never overwrites what Cairn did not write: an existing file there must be a training record. */
async function checkDefaultRecord(record: NamedFile): Promise<void> {
  if ((await pathKind(record.path)) !== 'file') return;
  let schema: unknown;
  try {
    schema = (JSON.parse(await readFile(record.path, 'utf8')) as { schema?: unknown }).schema;
  } catch {
    schema = undefined;
  }
  if (schema !== TRAINING_RECORD_SCHEMA)
    throw new UserError(
      `${record.shown} is there and is not a training record that Cairn wrote; name the record's path with --record (or move that file).`,
    );
}
