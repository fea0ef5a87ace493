/**
 * The demo's retraining journey (issue 15): a year on, fresh data arrives (examples/churn/fresh, written by
 * make-data.mjs with prices, contracts, support calls and use shifted). It is compared with the production model's
 * training data as `cairn drift` and actions/drift do, and the verdict, drift.json and the job-summary section are
 * written to DIR/retrain. What comes after a drift, champion vs challenger, is the `challenge` step (demo-challenge.ts).
 */
import { join, relative } from 'node:path';
import { copyAtomic, writeFilesAtomic } from '../../core/atomic-write.ts';
import { compareTables, type DriftReport } from '../../core/drift/index.ts';
import type { Logger } from '../../core/logger.ts';
import { renderDriftSection } from '../../core/report/index.ts';
import type { CliIO } from '../io.ts';
import { formatDriftTable } from './drift.ts';

/** What the champion-vs-challenger step is handed once the fresh data drifted. */
export interface ChallengeContext {
  /** DIR/retrain: where the step writes what it makes (the challenger, decision.json). */
  folder: string;
  champion: Champion;
  /** The fresh data: train the challenger on `train`, compare both models on `eval`. */
  fresh: { train: string; eval: string };
  /** The example's training script, as the demo's other trainings use it. */
  script: string;
  /** The example's .github/cairn.yml: the model's features and threshold, the same for both sides. */
  config: string;
  drift: DriftReport;
  io: CliIO;
  logger: Logger;
}

/** The production model (the champion), the data it was trained on, and what the registry calls it. */
export interface Champion {
  model: string;
  trainData: string;
  registry: { name: string; version: string; stage: string };
}

/** Returns the lines the demo prints about the decision (promote or keep, and why, and what a scheduled run does). */
export type ChallengeStep = (context: ChallengeContext) => Promise<string>;

export interface RetrainJourney {
  /** DIR/retrain. */
  folder: string;
  /** examples/churn: its fresh/ folder is the new data. */
  example: string;
  champion: Champion;
  script: string;
  config: string;
  io: CliIO;
  logger: Logger;
  challenge: ChallengeStep;
}

/** Drift of the fresh data against the champion's training data, then (on drift) the challenge step. */
export async function runRetrainJourney(journey: RetrainJourney): Promise<DriftReport> {
  const { folder, io, logger } = journey;
  const shown = (path: string) => relative(io.cwd, path) || '.';
  const fresh = { train: join(folder, 'fresh', 'train.csv'), eval: join(folder, 'fresh', 'eval.csv') };
  await copyAtomic(join(journey.example, 'fresh'), join(folder, 'fresh'));
  const tables = { reference: journey.champion.trainData, current: fresh.train };
  const drift = await compareTables({
    reference: { path: tables.reference, shown: shown(tables.reference) },
    current: { path: tables.current, shown: shown(tables.current) },
    bins: true,
  });
  const driftPath = join(folder, 'drift.json');
  const sectionPath = join(folder, 'drift.md');
  await writeFilesAtomic([
    { path: driftPath, data: `${JSON.stringify(drift, null, 2)}\n` },
    { path: sectionPath, data: `${renderDriftSection(drift, { source: shown(driftPath) })}\n` },
  ]);
  const { dataset } = drift;
  const names = drift.columns.filter((column) => column.drifted).map((column) => column.name);
  io.stdout(
    `\nRetraining journey: a year of fresh data (${shown(join(folder, 'fresh'))}) against the production model's training data:\n`,
  );
  io.stdout(formatDriftTable(drift));
  io.stdout(
    dataset.drifted
      ? `Drift: the dataset drifted (${dataset.drifted_columns} of ${dataset.columns} columns, share ${dataset.share.toFixed(2)} >= ${dataset.threshold}: ${names.join(', ')}); retraining is due.\n`
      : `Drift: no dataset drift (${dataset.drifted_columns} of ${dataset.columns} columns, share ${dataset.share.toFixed(2)} < ${dataset.threshold}); the production model stays.\n`,
  );
  io.stdout(
    `The report: ${shown(driftPath)} (cairn.drift/v1, with each drifted column's chart data) and ${shown(sectionPath)} (the job summary section actions/drift writes).\n`,
  );
  if (!dataset.drifted) return drift;
  logger.info('retraining journey: champion vs challenger on the fresh data');
  const { champion, script, config } = journey;
  io.stdout(`${await journey.challenge({ folder, champion, fresh, script, config, drift, io, logger })}\n`);
  return drift;
}
