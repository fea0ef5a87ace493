import { resolve } from 'node:path';
import { checkOutputPaths } from '../../core/output-paths.ts';
import { runGatedMerge } from '../../core/evaluate/index.ts';
import { UserError } from '../../core/errors.ts';
import { ACCUMULATOR_STATE_FORMAT } from '../../core/metrics/index.ts';
import { repositoryRoot } from '../../core/repository-root.ts';
import { parseCommandArgs, verbosityOf } from '../args.ts';
import { gatedOptions } from '../gated-options.ts';
import { cliLogger, type CliIO } from '../io.ts';
import { writeEvaluation } from '../evaluation-output.ts';

export const evaluateMergeHelp = `Usage: cairn evaluate merge PART... [--out metrics.json] [options]

Combines the partials of \`cairn evaluate --shard I/N\` runs (${ACCUMULATOR_STATE_FORMAT}) into one
cairn.metrics/v1 file holding exactly the metrics of one run over all their rows: ROC AUC, average
precision, log loss, confusion matrix, per-class figures, curves and the bootstrap intervals
(drawn here, over every row, as \`cairn evaluate\` draws them). Then it checks the gate.

Partials may come from several data files: the rows are taken file by file, in the order each file
is first named, each file's shards in order. Refused (exit 2): partials of another model (sha256),
task, class list or decision rule; a file's shard given twice or missing; shards of one file split
with different N. The merged \`data\` lists every part (path, sha256, rows, shard) and the total
rows; there is no latency (the shards ran apart).

Options:
  --out PATH           write the metrics JSON here (default: print it to stdout)
  --name NAME          the model's name in the config and reports (default: the config's model whose
                       path is the partials' model, else the name the shards recorded)
  --baseline B         metrics.json to compare with, or ref:<branch> (reads GitHub; needs GITHUB_TOKEN, GITHUB_REPOSITORY)
  --gate EXPR          e.g. "f1>=0.80, roc_auc>=baseline-0.01" (default: the model's gates.default in the config)
  --no-gate            merge without the configured gate, on purpose (the report says so)
  --config PATH        repository config (default .github/cairn.yml at the repository root, if present)
  --bootstrap N        resamples of the rows behind each metric's interval (default 200, seed 0; 0 turns it off)
  --training-record R  the model's training record (cairn train --record), as for cairn evaluate
  --json               print the metrics JSON to stdout even on a terminal
  -q, --quiet / -v, --verbose

Exit codes: 0 ok, 1 the gate failed, 2 bad usage or bad input (nothing written).
`;

export async function evaluateMergeCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'evaluate merge',
    args,
    {
      name: { type: 'string' },
      baseline: { type: 'string' },
      gate: { type: 'string' },
      'no-gate': { type: 'boolean' },
      config: { type: 'string' },
      bootstrap: { type: 'string' },
      'training-record': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (values.help) return (io.stdout(evaluateMergeHelp), 0);
  if (positionals.length === 0)
    throw new UserError('name the partial files to merge, e.g. `cairn evaluate merge part-*.json --out metrics.json`.');
  const logger = cliLogger(io, verbosityOf(values));
  const root = repositoryRoot(io.cwd);
  if (values.out !== undefined)
    await checkOutputPaths(
      [{ path: resolve(io.cwd, values.out), option: '--out', shown: values.out, example: 'metrics.json' }],
      positionals.map((part) => ({ option: 'the partial file', shown: part, path: resolve(io.cwd, part) })),
    );
  const { report, baseline } = await runGatedMerge({
    parts: positionals,
    cwd: io.cwd,
    ...(await gatedOptions(values, io, root, logger)),
  });
  return writeEvaluation(report, baseline, values, io, logger);
}
