import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyAtomic, writeFilesAtomic } from '../../core/atomic-write.ts';
import { formatBytes } from '../../core/byte-size.ts';
import { findModelConfig, readRepoConfig } from '../../core/config/index.ts';
import { UserError } from '../../core/errors.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import { runGatedEvaluation } from '../../core/evaluate/index.ts';
import { renderComment, renderModelCard, stickyMarker } from '../../core/report/index.ts';
import { FileStore, pullPointerFile, pushPath } from '../../core/store/index.ts';
import type { TrainingRecord } from '../../core/train/index.ts';
import { parseCommandArgs, verbosityOf } from '../args.ts';
import { cliLogger, type CliIO } from '../io.ts';
import { prepareDemoFolder } from './demo-folder.ts';
import { runTagJourney } from './demo-registry.ts';
import { challengeChampion } from './demo-challenge.ts';
import { runRetrainJourney } from './demo-retrain.ts';
import { describeTraining, trainForDemo } from './demo-train.ts';

export const demoHelp = `Usage: cairn demo [--out DIR]

Runs the pull-request journey locally on the bundled churn example. First the data goes through
a store as it would in CI: it is pushed to a local remote (DIR/remote, DVC's layout) with a .dvc
pointer, and pulled from there into a fresh workspace (DIR/workspace). Then, on the pulled CSVs, it
trains the "main branch" model and the "pull request" model through \`cairn train\` (each with its
training record: DIR/main/training.json, DIR/pr/training.json), evaluates both, applies the gate
from the example's .github/cairn.yml, and writes comment.md, MODEL_CARD.md and metrics.json to DIR
(default ./cairn-demo). Last, the tag journey: in DIR/registry-repo, a git repository holding the
example, the model is registered as churn v1.0.0 (a git tag), its bytes pushed to the remote, the
version assigned to production, and the registry shown, as \`cairn registry\` does. Then the
retraining journey: a year of shifted fresh data (DIR/retrain/fresh) is checked for drift against
the production model's training data, as \`cairn drift\` and actions/drift do; the verdict is shown
and DIR/retrain/drift.json and DIR/retrain/drift.md (the job summary section) written. On drift, a
challenger is trained on the fresh data (DIR/retrain/challenger) and compared with the production
model on the same fresh eval rows, as \`cairn challenge\` does (roc_auc, 200 seeded paired resamples
to keep it quick; the command's default is 1000): the decision, promote or keep, is printed and
written to DIR/retrain/decision.json (cairn.challenge/v1) and DIR/retrain/challenge.md.

DIR must be new, empty, or made by an earlier demo (it holds .cairn-demo.json); a rerun replaces
only what that file lists, and anything else in DIR stays. Any other DIR is refused (exit 2).
`;

/** The examples folder ships beside dist/ (and beside cli/ when run from source). */
export function findExample(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'examples', name);
    if (existsSync(join(candidate, 'train.mjs'))) return candidate;
  }
  throw new UserError(
    `the ${name} example was not found beside the cairn CLI; run the demo from a checkout of the Cairn repository.`,
  );
}

export async function demoCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs('demo', args, { out: { type: 'string' } });
  if (values.help) return (io.stdout(demoHelp), 0);
  const logger = cliLogger(io, verbosityOf(values));
  const example = findExample('churn');
  const out = resolve(io.cwd, values.out ?? 'cairn-demo');
  const shown = (path: string) => relative(io.cwd, path) || '.';
  await checkOutputPaths([{ path: out, option: '--out', shown: shown(out), kind: 'folder' }]);
  await prepareDemoFolder(out, shown(out));
  await mkdir(join(out, 'main'), { recursive: true });
  await mkdir(join(out, 'pr'), { recursive: true });
  const config = await readRepoConfig(join(example, '.github', 'cairn.yml'), true);
  const model = config && findModelConfig(config, 'churn');
  const train = join(example, 'train.mjs');

  // The data as a team shares it: pushed once (from a scratch copy, so examples/ gains no .dvc
  // file), pulled by whoever trains. Training and evaluation below read only the pulled files.
  logger.info(
    `1/7 pushing the example data to a local remote (${shown(join(out, 'remote'))}), as \`cairn push data\` does`,
  );
  const project = join(out, 'project');
  await copyAtomic(join(example, 'data'), join(project, 'data'));
  const store = new FileStore(join(out, 'remote'));
  const pushed = await pushPath(join(project, 'data'), { store, logger });
  logger.info(
    `2/7 pulling it into a fresh workspace (${shown(join(out, 'workspace'))}), as \`cairn pull data.dvc\` does`,
  );
  const workspace = join(out, 'workspace');
  await mkdir(workspace, { recursive: true });
  await copyAtomic(pushed.pointerPath ?? join(project, 'data.dvc'), join(workspace, 'data.dvc'));
  const pulled = await pullPointerFile(join(workspace, 'data.dvc'), { store, logger });
  store.close();
  const trainData = join(workspace, 'data', 'train.csv');
  const evalData = join(workspace, 'data', 'eval.csv');
  const evaluate = (modelPath: string, extra: { baseline?: string; gate?: string; training?: TrainingRecord }) =>
    runGatedEvaluation({
      modelPath,
      dataPath: evalData,
      target: 'churned',
      task: 'binary',
      device: 'auto',
      batchSize: 4096,
      name: 'churn',
      logger,
      recordPathsRelativeTo: io.cwd,
      ...extra,
    });

  logger.info('3/7 training the main-branch model (few epochs), through cairn train');
  const mainTraining = await trainForDemo(
    {
      script: train,
      data: trainData,
      model: join(out, 'main', 'model.onnx'),
      record: join(out, 'main', 'training.json'),
      epochs: 3,
    },
    { io, logger },
  );
  logger.info('4/7 evaluating it: this is the baseline');
  const main = await evaluate(join(out, 'main', 'model.onnx'), { training: mainTraining });
  await writeFilesAtomic([
    { path: join(out, 'main', 'metrics.json'), data: `${JSON.stringify(main.report, null, 2)}\n` },
  ]);

  logger.info('5/7 training the pull-request model (the PR raised the epochs), through cairn train');
  const prTrainingPath = join(out, 'pr', 'training.json');
  const prTraining = await trainForDemo(
    { script: train, data: trainData, model: join(out, 'pr', 'model.onnx'), record: prTrainingPath },
    { io, logger },
  );
  const gate = model?.gates?.default ?? 'roc_auc>=baseline-0.01';
  logger.info(`6/7 evaluating it against the baseline with the gate "${gate}"`);
  const pr = await evaluate(join(out, 'pr', 'model.onnx'), {
    baseline: join(out, 'main', 'metrics.json'),
    gate,
    training: prTraining,
  });

  const modelCard = renderModelCard({ report: pr.report, baseline: pr.baseline, model });
  const comment = renderComment({
    report: pr.report,
    baseline: pr.baseline,
    modelCard,
    classNames: model?.labels,
    marker: stickyMarker('churn'),
  });
  await writeFilesAtomic([
    { path: join(out, 'metrics.json'), data: `${JSON.stringify(pr.report, null, 2)}\n` },
    { path: join(out, 'MODEL_CARD.md'), data: modelCard },
    { path: join(out, 'comment.md'), data: comment },
  ]);
  io.stdout(`${comment}\n`);
  io.stdout(
    `\nData: pushed ${shown(project)}/data (${pushed.uploaded.files + pushed.skipped.files} files, ${formatBytes(pushed.uploaded.bytes + pushed.skipped.bytes)}) to ${shown(store.root)} and recorded it in data.dvc; ` +
      `pulled ${pulled.files} files (${formatBytes(pulled.bytes)}, md5-verified) into ${shown(workspace)}/data, which training and evaluation read.\n`,
  );
  io.stdout(
    `Pull-request journey: the comment above is ${shown(out)}/comment.md; also ${shown(out)}/MODEL_CARD.md and ${shown(out)}/metrics.json.\n`,
  );
  io.stdout(`Gate ${pr.report.gate?.passed ? 'passed' : 'failed'}: ${gate}\n`);
  io.stdout(`${describeTraining(prTraining, prTrainingPath, io)}\n`);

  const repoDir = join(out, 'registry-repo');
  logger.info(
    `7/7 the tag journey in ${shown(repoDir)}: register churn v1.0.0, push its model, assign it to production`,
  );
  io.stdout(`\nRegistry (git tags in ${shown(repoDir)}):\n`);
  const modelStore = new FileStore(join(out, 'remote'));
  const journey = await runTagJourney({
    repoDir,
    example,
    modelFile: join(out, 'pr', 'model.onnx'),
    store: modelStore,
    logger,
    io,
  });
  modelStore.close();
  io.stdout(
    `Tags: ${journey.tags.join(', ')}; the model is in ${shown(modelStore.root)}/models/churn/. Try: cairn registry show --repo ${shown(repoDir)}\n`,
  );

  logger.info(
    `then the retraining journey in ${shown(join(out, 'retrain'))}: a year of fresh data checked for drift against the production model's training data, then champion vs challenger`,
  );
  await runRetrainJourney({
    folder: join(out, 'retrain'),
    example,
    champion: {
      model: join(out, 'pr', 'model.onnx'),
      trainData,
      registry: { name: 'churn', version: 'v1.0.0', stage: 'production' },
    },
    script: train,
    config: join(example, '.github', 'cairn.yml'),
    io,
    logger,
    challenge: challengeChampion,
  });
  return 0;
}
