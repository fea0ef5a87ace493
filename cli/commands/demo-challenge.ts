/**
 * The retraining journey's second half, once the fresh data drifted: a challenger is trained on the fresh train rows
 * through `cairn train`'s core (as the demo's other models are), then compared with the production model on the same
 * fresh eval rows by `cairn challenge`'s engine, so decision.json and its report section are the ones a scheduled
 * retraining run writes.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { writeFilesAtomic } from '../../core/atomic-write.ts';
import { runChallenge } from '../../core/evaluate/index.ts';
import { renderChallengeSection } from '../../core/report/index.ts';
import { formatChallengeTable } from './challenge.ts';
import { trainForDemo } from './demo-train.ts';
import type { ChallengeStep } from './demo-retrain.ts';

/**
 * Resamples of the demo's paired bootstrap. `cairn challenge` defaults to 1000; 200 keep the step near 0.1 s instead
 * of 0.3 s, and on these 600 rows the interval's ends stay within 0.004 of 1000's (seeds 0 to 3), while the
 * lower end clears zero by 0.02 or more: the count does not decide the outcome.
 */
export const DEMO_RESAMPLES = 200;
/** The metric the example's gates lead with: does the retrained model rank churners better? */
export const DEMO_METRIC = 'roc_auc';

export const challengeChampion: ChallengeStep = async (context) => {
  const { folder, champion, fresh, io, logger } = context;
  const shown = (path: string) => relative(io.cwd, path) || '.';
  const challengerDir = join(folder, 'challenger');
  await mkdir(challengerDir, { recursive: true });
  const model = join(challengerDir, 'model.onnx');
  const recordPath = join(challengerDir, 'training.json');
  logger.info(`training the challenger on ${shown(fresh.train)}, through cairn train`);
  const record = await trainForDemo({ script: context.script, data: fresh.train, model, record: recordPath }, context);

  logger.info(
    `champion vs challenger on ${shown(fresh.eval)}: ${DEMO_METRIC}, ${DEMO_RESAMPLES} paired resamples, seed 0`,
  );
  const decision = await runChallenge({
    champion: { path: champion.model, shown: shown(champion.model), registry: champion.registry },
    challenger: { path: model, shown: shown(model) },
    dataPath: fresh.eval,
    dataShown: shown(fresh.eval),
    target: 'churned',
    metric: DEMO_METRIC,
    task: 'auto',
    device: 'auto',
    batchSize: 4096,
    bootstrap: { resamples: DEMO_RESAMPLES, seed: 0 },
    minImprovement: 0,
    // The example's config: its churn entry (features, task, threshold) applies to both models alike.
    configPath: context.config,
    configExplicit: true,
    repositoryRoot: dirname(dirname(context.config)),
    logger,
  });
  const decisionPath = join(folder, 'decision.json');
  const sectionPath = join(folder, 'challenge.md');
  await writeFilesAtomic([
    { path: decisionPath, data: `${JSON.stringify(decision, null, 2)}\n` },
    { path: sectionPath, data: renderChallengeSection(decision) },
  ]);

  const { name, version, stage } = champion.registry;
  const branch = `cairn/retrain/${name}`;
  const next =
    decision.decision === 'promote'
      ? `Next, on a schedule (.github/workflows/retrain.yml): the challenger is clearly better, so the run opens the pull request on ${branch} (or updates it in place) carrying the new data pointer, the challenger's training record and this report, not a model. Merging it changes the data on the default branch; the model is promoted only after that, when a version is registered (${name}@vX.Y.Z; with retrain.on_promote: register the run tags its commit itself) and assigned to ${stage} (${name}#${stage}).`
      : `Next, on a schedule (.github/workflows/retrain.yml): the challenger is not clearly better, so ${name}#${stage} ${version} stays; the run opens no pull request, and comments on the one open on ${branch}, if any.`;
  return [
    `\nChampion vs challenger: ${name}#${stage} (${version}, trained earlier in this demo on the original data, standing in for a model trained before the data shifted) against a challenger retrained on ${shown(fresh.train)}, both on the same ${decision.data.rows} fresh rows of ${shown(fresh.eval)}:`,
    formatChallengeTable(decision).trimEnd(),
    `The bootstrap draws ${DEMO_RESAMPLES} paired resamples (seeded) to keep the demo quick; cairn challenge draws 1000 by default.`,
    // Not the record's duration or memory: what this journey prints is the same on every run.
    `The challenger: ${shown(model)} (sha256 ${decision.challenger.sha256.slice(0, 12)}…), trained through cairn train; its training record (${record.schema}) is ${shown(recordPath)}.`,
    `The decision: ${shown(decisionPath)} (cairn.challenge/v1) and ${shown(sectionPath)} (the report section, as cairn challenge --summary-out writes it).`,
    next,
  ].join('\n');
};
