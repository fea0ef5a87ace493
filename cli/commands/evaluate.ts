import { resolve } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { checkOutputPaths, type InputPath } from '../../core/output-paths.ts';
import { evaluateShard, parseShard, readFeatureList, runGatedEvaluation } from '../../core/evaluate/index.ts';
import { UserError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { repositoryRoot } from '../../core/repository-root.ts';
import { writeEvaluation } from '../evaluation-output.ts';
import { parseChoice, parseCommandArgs, parsePositiveInt, requireOption, verbosityOf } from '../args.ts';
import { gatedOptions } from '../gated-options.ts';
import { cliLogger, type CliIO } from '../io.ts';

export const evaluateHelp = `Usage: cairn evaluate --model M --data D --target COL [options]
       cairn evaluate --model M --data D --target COL --shard I/N --out PART [options]
       cairn evaluate merge PART... [--out metrics.json] [options]   (cairn evaluate merge --help)

Evaluates an ONNX model on a table (CSV, TSV, JSONL, Parquet) and writes cairn.metrics/v1 JSON.
On a terminal it prints the headline metrics table; on a pipe, or with --json, the JSON.

Options:
  --model PATH         ONNX model file
  --data PATH          evaluation data
  --target COL         column holding the true label or value
  --features a,b,...   feature columns in model input order (default: the config model's features, else
                       every column but the target, in file order)
  --features @FILE     the same, one name per line in FILE (relative to the working folder)
  --task TASK          auto | binary | multiclass | regression (default auto)
  --name NAME          the model's name in the config and reports (default: the config's model whose
                       path is --model, or its only model; else the model file's name)
  --baseline B         metrics.json to compare with, or ref:<branch> (reads GitHub; needs GITHUB_TOKEN, GITHUB_REPOSITORY)
  --gate EXPR          e.g. "f1>=0.80, roc_auc>=baseline-0.01, log_loss<=baseline*1.05"
                       (default: the model's gates.default in the config)
  --no-gate            evaluate without the configured gate, on purpose (the report says so)
  --config PATH        repository config (default .github/cairn.yml at the repository root, if present)
  --device DEVICE      auto | cpu | cuda (default auto)
  --batch-size N       rows per inference batch (default 4096)
  --bootstrap N        resamples of the rows behind each metric's interval (default 200, seed 0; 0 turns it off)
  --training-record R  the model's training record (cairn train --record): metrics.json gets it as
                       \`training\`, the model card a Training section, the PR comment a line
  --shard I/N          evaluate only the I-th of N contiguous row ranges (I = 1..N; rows split as
                       numpy.array_split does: the first rows % N shards get one row more) and write its
                       partial (cairn.metrics-accumulator/v1) to --out, for \`cairn evaluate merge\`. No
                       gate, baseline, bootstrap or training record on a shard: pass them to the merge,
                       which sees every row
  --out PATH           write the metrics JSON here (default: print it to stdout); with --shard, the partial
  --json               print the metrics JSON to stdout even on a terminal (where the table is the default)
  -q, --quiet / -v, --verbose

Exit codes: 0 ok, 1 the gate failed, 2 bad usage or bad input.
`;

export async function evaluateCommand(args: string[], io: CliIO): Promise<number> {
  if (args[0] === 'merge') return (await import('./evaluate-merge.ts')).evaluateMergeCommand(args.slice(1), io);
  const { values } = parseCommandArgs('evaluate', args, {
    model: { type: 'string' },
    data: { type: 'string' },
    target: { type: 'string' },
    features: { type: 'string' },
    task: { type: 'string' },
    name: { type: 'string' },
    baseline: { type: 'string' },
    gate: { type: 'string' },
    'no-gate': { type: 'boolean' },
    config: { type: 'string' },
    device: { type: 'string' },
    'batch-size': { type: 'string' },
    bootstrap: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    'training-record': { type: 'string' },
    shard: { type: 'string' },
  });
  if (values.help) return (io.stdout(evaluateHelp), 0);
  const logger = cliLogger(io, verbosityOf(values));
  if (values.shard !== undefined) return shardCommand(values, io, logger);
  // Config paths (models.<m>.path) are relative to the repository root, wherever cairn runs from.
  const root = repositoryRoot(io.cwd);
  // Before the evaluation runs: a path that cannot be written is exit 2 now, not after the work.
  if (values.out !== undefined)
    await checkOutputPaths(
      [{ path: resolve(io.cwd, values.out), option: '--out', shown: values.out, example: 'metrics.json' }],
      evaluateInputs(values, io.cwd),
    );
  const { report, baseline } = await runGatedEvaluation({
    modelPath: resolve(io.cwd, requireOption('evaluate', 'model', values.model)),
    dataPath: resolve(io.cwd, requireOption('evaluate', 'data', values.data)),
    target: requireOption('evaluate', 'target', values.target),
    features: await readFeatureList(values.features, { cwd: io.cwd, label: '--features' }),
    task: parseChoice('task', values.task, ['auto', 'binary', 'multiclass', 'regression'], 'auto'),
    device: parseChoice('device', values.device, ['auto', 'cpu', 'cuda'], 'auto'),
    batchSize: parsePositiveInt('batch-size', values['batch-size'], 4096),
    ...(await gatedOptions(values, io, root, logger)),
    recordPathsRelativeTo: io.cwd,
  });

  return writeEvaluation(report, baseline, values, io, logger);
}

/** Flags that act on the whole evaluation: the merge takes them, a shard refuses them rather than drop them. */
const MERGE_ONLY = ['baseline', 'gate', 'no-gate', 'bootstrap', 'training-record', 'json'] as const;

async function shardCommand(
  values: Partial<Record<(typeof MERGE_ONLY)[number], string | boolean>> & {
    shard?: string;
    out?: string;
    model?: string;
    data?: string;
    target?: string;
    features?: string;
    task?: string;
    name?: string;
    config?: string;
    device?: string;
    'batch-size'?: string;
  },
  io: CliIO,
  logger: Logger,
): Promise<number> {
  const given = MERGE_ONLY.filter((flag) => values[flag] !== undefined);
  if (given.length > 0)
    throw new UserError(
      `${given.map((flag) => `--${flag}`).join(', ')} cannot be used with --shard: a shard writes only its rows' partial; ` +
        'the gate, baseline, bootstrap intervals and training record belong to the merged metrics. ' +
        'Pass them to `cairn evaluate merge PART... --out metrics.json`.',
    );
  const shard = parseShard(values.shard!);
  const out = requireOption('evaluate', 'out', values.out);
  const root = repositoryRoot(io.cwd);
  await checkOutputPaths(
    [{ path: resolve(io.cwd, out), option: '--out', shown: out, example: 'part-1.json' }],
    evaluateInputs({ model: values.model, data: values.data }, io.cwd),
  );
  const partial = await evaluateShard({
    modelPath: resolve(io.cwd, requireOption('evaluate', 'model', values.model)),
    dataPath: resolve(io.cwd, requireOption('evaluate', 'data', values.data)),
    target: requireOption('evaluate', 'target', values.target),
    features: await readFeatureList(values.features, { cwd: io.cwd, label: '--features' }),
    task: parseChoice('task', values.task, ['auto', 'binary', 'multiclass', 'regression'], 'auto'),
    device: parseChoice('device', values.device, ['auto', 'cpu', 'cuda'], 'auto'),
    batchSize: parsePositiveInt('batch-size', values['batch-size'], 4096),
    name: values.name,
    configPath: values.config !== undefined ? resolve(io.cwd, values.config) : resolve(root, '.github/cairn.yml'),
    configExplicit: values.config !== undefined,
    recordPathsRelativeTo: io.cwd,
    repositoryRoot: root,
    logger,
    shard,
  });
  await writeFileAtomic(resolve(io.cwd, out), `${JSON.stringify(partial)}\n`);
  logger.info(
    `wrote ${out}: shard ${shard.index}/${shard.count}, ${partial.rows} rows; merge every shard with \`cairn evaluate merge\``,
  );
  return 0;
}

/** The files an evaluation reads, which its --out must not replace. */
function evaluateInputs(
  values: { model?: string; data?: string; baseline?: string; 'training-record'?: string },
  cwd: string,
): InputPath[] {
  const named = [
    ['--model', values.model],
    ['--data', values.data],
    ['--baseline', values.baseline?.startsWith('ref:') ? undefined : values.baseline],
    ['--training-record', values['training-record']],
  ] as const;
  return named.flatMap(([option, shown]) => (shown ? [{ option, shown, path: resolve(cwd, shown) }] : []));
}
