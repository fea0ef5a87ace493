import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFilesAtomic } from '../../core/atomic-write.ts';
import {
  checkChallengeSettings,
  readFeatureList,
  runChallenge,
  type ChallengeSide,
} from '../../core/evaluate/index.ts';
import { GateFailure, UserError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { ChallengeDecision } from '../../core/metrics/index.ts';
import type { ModelReference } from '../../core/store/index.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import { renderChallengeSection } from '../../core/report/index.ts';
import { repositoryRoot } from '../../core/repository-root.ts';
import { parseChoice, parseCommandArgs, parsePositiveInt, requireOption, verbosityOf } from '../args.ts';
import { cliLogger, type CliIO } from '../io.ts';

export const challengeHelp = `Usage: cairn challenge --champion A --challenger B --data FILE --target COL --metric M [options]

Should the challenger replace the champion? Both models run once over the same rows; the metric's
difference is bootstrapped with the same resampled rows for both (a paired percentile bootstrap),
oriented so that a positive difference means the challenger is better (for log_loss, brier_score,
mae, mse, rmse and mape: champion - challenger). The decision is "promote" only when the 95%
interval's lower end is above --min-improvement, else "keep". A resample where the metric is
undefined for either model (roc_auc with one class drawn) is skipped and counted; more than 5%
skipped is an error. On a terminal it prints a table; on a pipe, or with --json, decision.json:
  {schema: "cairn.challenge/v1", metric, lower_is_better, task, data: {path, sha256, rows, target},
   champion: {path, sha256, value, registry?}, challenger: {...}, difference, interval: [low, high],
   confidence: 0.95, bootstrap, skipped, seed, min_improvement, decision}

Options:
  --champion MODEL       the model in place: an ONNX file, NAME#STAGE (the version holding the stage
                         in the registry's tags) or NAME@vX.Y.Z; a registry model's bytes come from
                         the store's version pointer, verified by sha256 (kept in the cache folder)
  --challenger MODEL     the model that may replace it, in the same forms
  --data PATH            evaluation data (CSV, TSV, JSONL, Parquet), the same rows for both
  --target COL           column holding the true label or value
  --metric M             the metric that decides, e.g. roc_auc, f1, log_loss, rmse
  --features a,b,...     feature columns in model input order, or @FILE (default: the config model's
                         features, else every column but the target)
  --task TASK            auto | binary | multiclass | regression (default auto)
  --min-improvement D    how much better, in the metric's units, the interval's lower end must be (default 0)
  --bootstrap N          resamples (default 1000)
  --seed S               the resamples' seed (default 0): the same seed gives the same decision.json
  --fail-on-keep         exit 1 when the decision is keep
  --repo DIR             the git repository whose tags are the registry (default: the current folder's)
  --remote REMOTE        the store of registry models: s3://bucket/prefix, file:///folder, a folder, or a
                         remote in .dvc/config (default: the DVC default remote of --repo)
  --config PATH          repository config: the model's features, task and threshold (default
                         .github/cairn.yml at the repository root, if present)
  --device DEVICE        auto | cpu | cuda (default auto)
  --batch-size N         rows per inference batch (default 4096)
  --out PATH             write decision.json here (default: print it to stdout)
  --summary-out PATH     write the decision as a markdown section, for a job summary or a pull request
                         comment (e.g. \`cat PATH >> "$GITHUB_STEP_SUMMARY"\`)
  --json                 print the JSON to stdout even on a terminal
  -q, --quiet / -v, --verbose

Exit codes: 0 promote or keep, 1 keep with --fail-on-keep, 2 bad usage or bad input (more than 5%
of the resamples skipped included).
`;

export async function challengeCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs('challenge', args, {
    champion: { type: 'string' },
    challenger: { type: 'string' },
    data: { type: 'string' },
    target: { type: 'string' },
    metric: { type: 'string' },
    features: { type: 'string' },
    task: { type: 'string' },
    'min-improvement': { type: 'string' },
    bootstrap: { type: 'string' },
    seed: { type: 'string' },
    'fail-on-keep': { type: 'boolean' },
    repo: { type: 'string' },
    remote: { type: 'string' },
    config: { type: 'string' },
    device: { type: 'string' },
    'batch-size': { type: 'string' },
    out: { type: 'string' },
    'summary-out': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(challengeHelp), 0);
  const champion = requireOption('challenge', 'champion', values.champion);
  const challenger = requireOption('challenge', 'challenger', values.challenger);
  const data = requireOption('challenge', 'data', values.data);
  const target = requireOption('challenge', 'target', values.target);
  const metric = requireOption('challenge', 'metric', values.metric);
  const logger = cliLogger(io, verbosityOf(values));
  const root = repositoryRoot(io.cwd);
  const settings = {
    features: await readFeatureList(values.features, { cwd: io.cwd, label: '--features' }),
    task: parseChoice('task', values.task, ['auto', 'binary', 'multiclass', 'regression'], 'auto'),
    device: parseChoice('device', values.device, ['auto', 'cpu', 'cuda'], 'auto'),
    batchSize: parsePositiveInt('batch-size', values['batch-size'], 4096),
    bootstrap: {
      resamples: parsePositiveInt('bootstrap', values.bootstrap, 1000),
      seed: parseWholeNumber('--seed', values.seed, 0),
    },
    minImprovement: parseMinImprovement(values['min-improvement']),
  };
  checkChallengeSettings({ ...settings, metric });
  const outputs = [
    { option: '--out', shown: values.out, example: 'decision.json' },
    { option: '--summary-out', shown: values['summary-out'], example: 'challenge.md' },
  ].flatMap(({ shown, ...output }) =>
    shown === undefined ? [] : [{ ...output, shown, path: resolve(io.cwd, shown) }],
  );
  // Before either model runs: a path that cannot be written is exit 2 now, not after the work.
  const inputs = [
    ['--data', data],
    ['--champion', champion],
    ['--challenger', challenger],
  ].map(([option, shown]) => ({ option: option!, shown: shown!, path: resolve(io.cwd, shown!) }));
  await checkOutputPaths(outputs, inputs);
  const sides = await resolveSides({ champion, challenger }, { io, logger, repo: values.repo, remote: values.remote });
  const decision = await runChallenge({
    ...settings,
    champion: sides.champion,
    challenger: sides.challenger,
    dataPath: resolve(io.cwd, data),
    dataShown: data,
    target,
    metric,
    configPath: values.config !== undefined ? resolve(io.cwd, values.config) : resolve(root, '.github/cairn.yml'),
    configExplicit: values.config !== undefined,
    repositoryRoot: root,
    logger,
  });

  const json = `${JSON.stringify(decision, null, 2)}\n`;
  const content: Record<string, () => string> = {
    '--out': () => json,
    '--summary-out': () => renderChallengeSection(decision),
  };
  await writeFilesAtomic(outputs.map((output) => ({ path: output.path, data: content[output.option]!() })));
  for (const output of outputs) logger.info(`wrote ${output.shown}`);
  // A person at a terminal reads the table; a pipe (or --json) gets the JSON, as scripts expect.
  const tableOnStdout = !values.out && !values.json && io.stdoutIsTTY === true;
  if (tableOnStdout) io.stdout(formatChallengeTable(decision));
  else if (values.json || !values.out) io.stdout(json);
  if (!values.quiet && !tableOnStdout) io.stderr(formatChallengeTable(decision));
  if (values['fail-on-keep'] && decision.decision === 'keep')
    throw new GateFailure(
      `keep the champion: the challenger's ${decision.metric} interval [${signed(decision.interval[0])}, ${signed(decision.interval[1])}] does not clear the minimum improvement ${decision.min_improvement}.`,
      [decision.metric],
    );
  return 0;
}

/**
 * Each side is a file when one is there, else a registry reference. The store (and the AWS SDK) is
 * loaded only for a registry reference, and both references are checked before anything is pulled.
 */
async function resolveSides(
  given: { champion: string; challenger: string },
  context: { io: CliIO; logger: Logger; repo?: string; remote?: string },
): Promise<{ champion: ChallengeSide; challenger: ChallengeSide }> {
  const { io, logger } = context;
  const store = await import('../../core/store/index.ts');
  const read = async (flag: string, value: string): Promise<{ side?: ChallengeSide; reference?: ModelReference }> => {
    const path = resolve(io.cwd, value);
    if (await isFile(path)) return { side: { path, shown: value } };
    let reference: ModelReference | undefined;
    try {
      // `models/churn@v1.onnx` is a mistyped path, not a registry reference with a bad version.
      reference = /\.onnx$/i.test(value) ? undefined : store.parseModelReference(value);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      throw new UserError(`${flag} ${value}: no such model file, and not a registry reference: ${error.message}`);
    }
    if (!reference)
      throw new UserError(
        `${flag} ${value}: no such model file, and not a registry reference (NAME#STAGE, e.g. churn#production, or NAME@vX.Y.Z).`,
      );
    return { reference };
  };
  const champion = await read('--champion', given.champion);
  const challenger = await read('--challenger', given.challenger);
  if (!champion.reference && !challenger.reference) return { champion: champion.side!, challenger: challenger.side! };

  const repoDir = resolve(io.cwd, context.repo ?? '.');
  const remote = await store.resolveRemote({ remote: context.remote, label: '--remote', from: repoDir, cwd: io.cwd });
  const options = {
    repoDir,
    store: store.openStore(remote.uri, { env: io.env, logger, cwd: io.cwd, endpoint: remote.endpoint }),
    cacheDir: store.defaultCacheDir(io.env, io.cwd),
    logger,
    git: { env: io.env },
  };
  const fromRegistry = async (entry: { side?: ChallengeSide; reference?: ModelReference }): Promise<ChallengeSide> => {
    if (entry.side) return entry.side;
    const model = await store.resolveRegistryModel(entry.reference!, options);
    return {
      path: model.file,
      registry: { name: model.name, version: model.version, ...(model.stage !== undefined && { stage: model.stage }) },
    };
  };
  return { champion: await fromRegistry(champion), challenger: await fromRegistry(challenger) };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function parseWholeNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value))
    throw new UserError(`${flag} ${text}: give a whole number, e.g. ${flag} 0.`);
  return value;
}

function parseMinImprovement(text: string | undefined): number {
  if (text === undefined) return 0;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0)
    throw new UserError(
      `--min-improvement ${text}: give a number >= 0 in the metric's units, e.g. --min-improvement 0.005.`,
    );
  return value;
}

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;

/** What a person at a terminal reads: both values, the difference with its interval, and the verdict. */
export function formatChallengeTable(decision: ChallengeDecision): string {
  const name = (side: ChallengeDecision['champion']) =>
    side.registry
      ? `${side.registry.name}${side.registry.stage ? `#${side.registry.stage}` : ''} (${side.registry.version})`
      : side.path;
  const rows = [
    ['champion', name(decision.champion), decision.champion.value.toFixed(4)],
    ['challenger', name(decision.challenger), decision.challenger.value.toFixed(4)],
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  const better = decision.lower_is_better ? 'lower is better' : 'higher is better';
  const skipped = decision.skipped > 0 ? `, ${decision.skipped} skipped` : '';
  const verdict =
    decision.decision === 'promote'
      ? `promote: the interval's lower end ${signed(decision.interval[0])} is above ${decision.min_improvement}`
      : `keep: the interval's lower end ${signed(decision.interval[0])} is not above ${decision.min_improvement}`;
  return [
    `${decision.metric} (${better}) on ${decision.data.rows} rows of ${decision.data.path}`,
    ...rows.map((row) => line(row).trimEnd()),
    `difference ${signed(decision.difference)} (positive: the challenger is better), 95% interval [${signed(decision.interval[0])}, ${signed(decision.interval[1])}] over ${decision.bootstrap} resamples${skipped}, seed ${decision.seed}`,
    `decision: ${verdict}`,
    '',
  ].join('\n');
}
