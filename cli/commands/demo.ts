import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeFilesAtomic } from '../../core/atomic-write.ts';
import { findModelConfig } from '../../core/config/parse.ts';
import { UserError } from '../../core/errors.ts';
import { runGatedEvaluation } from '../../core/evaluate/gated.ts';
import { renderComment, stickyMarker } from '../../core/report/comment.ts';
import { renderModelCard } from '../../core/report/model-card.ts';
import { parseCommandArgs, verbosityOf } from '../args.ts';
import { cliLogger, type CliIO } from '../io.ts';
import { readRepoConfig } from '../../core/config/read.ts';

const run = promisify(execFile);

export const demoHelp = `Usage: cairn demo [--out DIR]

Runs the pull-request journey locally on the bundled churn example: trains the "main branch"
model and the "pull request" model, evaluates both, applies the gate from the example's
.github/cairn.yml, and writes comment.md, MODEL_CARD.md and metrics.json to DIR (default ./cairn-demo).
`;

/** The examples folder ships beside dist/ (and beside cli/ when run from source). */
export function findExample(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'examples', name);
    if (existsSync(join(candidate, 'train.mjs'))) return candidate;
  }
  throw new UserError(`the ${name} example was not found beside the cairn CLI; run the demo from a checkout of the Cairn repository.`);
}

export async function demoCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs('demo', args, { out: { type: 'string' } });
  if (values.help) return io.stdout(demoHelp), 0;
  const logger = cliLogger(io, verbosityOf(values));
  const example = findExample('churn');
  const out = resolve(io.cwd, values.out ?? 'cairn-demo');
  await rm(out, { recursive: true, force: true });
  await mkdir(join(out, 'main'), { recursive: true });
  await mkdir(join(out, 'pr'), { recursive: true });
  const config = await readRepoConfig(join(example, '.github', 'cairn.yml'), true);
  const model = config && findModelConfig(config, 'churn');
  const train = join(example, 'train.mjs');
  const trainData = join(example, 'data', 'train.csv');
  const evalData = join(example, 'data', 'eval.csv');
  const evaluate = (modelPath: string, extra: { baseline?: string; gate?: string }) =>
    runGatedEvaluation({ modelPath, dataPath: evalData, target: 'churned', task: 'binary', device: 'auto', batchSize: 4096, name: 'churn', logger, recordPathsRelativeTo: io.cwd, ...extra });

  logger.info('1/4 training the main-branch model (few epochs)');
  await run(process.execPath, [train, '--data', trainData, '--out', join(out, 'main', 'model.onnx'), '--epochs', '3']);
  logger.info('2/4 evaluating it: this is the baseline');
  const main = await evaluate(join(out, 'main', 'model.onnx'), {});
  await writeFilesAtomic([{ path: join(out, 'main', 'metrics.json'), data: `${JSON.stringify(main.report, null, 2)}\n` }]);

  logger.info('3/4 training the pull-request model (the PR raised the epochs)');
  await run(process.execPath, [train, '--data', trainData, '--out', join(out, 'pr', 'model.onnx')]);
  const gate = model?.gates?.default ?? 'roc_auc>=baseline-0.01';
  logger.info(`4/4 evaluating it against the baseline with the gate "${gate}"`);
  const pr = await evaluate(join(out, 'pr', 'model.onnx'), { baseline: join(out, 'main', 'metrics.json'), gate });

  const modelCard = renderModelCard({ report: pr.report, baseline: pr.baseline, model });
  const comment = renderComment({ report: pr.report, baseline: pr.baseline, modelCard, marker: stickyMarker('churn') });
  await writeFilesAtomic([
    { path: join(out, 'metrics.json'), data: `${JSON.stringify(pr.report, null, 2)}\n` },
    { path: join(out, 'MODEL_CARD.md'), data: modelCard },
    { path: join(out, 'comment.md'), data: comment },
  ]);
  io.stdout(`${comment}\n`);
  const shown = relative(io.cwd, out) || '.';
  io.stdout(`\nPull-request journey: the comment above is ${shown}/comment.md; also ${shown}/MODEL_CARD.md and ${shown}/metrics.json.\n`);
  io.stdout(`Gate ${pr.report.gate?.passed ? 'passed' : 'failed'}: ${gate}\n`);
  return 0;
}
