/**
 * `cairn challenge`: should the challenger replace the champion? Both models run once over the same
 * rows (as `cairn evaluate` runs a model), their predictions are kept, and the metric's difference
 * is bootstrapped from them with the same resampled rows for both (core/metrics/paired-bootstrap.ts).
 * The challenger is promoted only when the whole 95% interval clears the minimum improvement: a
 * lucky split does not promote a worse model.
 */
import { readRepoConfig } from '../config/index.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import {
  ALL_METRIC_NAMES,
  CHALLENGE_CONFIDENCE,
  CHALLENGE_SCHEMA,
  decideChallenge,
  MAX_SKIPPED_SHARE,
  METRIC_NAMES,
  type ChallengeDecision,
  type MetricsAccumulator,
  type MetricsReport,
  pairedDifference,
  type Task,
} from '../metrics/index.ts';
import { cliOption } from '../option-names.ts';
import type { DeviceProbes, DeviceRequest } from './device.ts';
import { evaluateModel } from './evaluate-model.ts';
import { matchModel } from './internal/model-match.ts';
import type { SessionFactory } from './internal/model-session.ts';

export interface ChallengeSide {
  /** The ONNX file to run. */
  path: string;
  /** How the decision file names it (the path as the user wrote it); default `path`. */
  shown?: string;
  /** What the registry resolved, when the user named `NAME#STAGE` or `NAME@VERSION`. */
  registry?: { name: string; version: string; stage?: string };
}

export interface ChallengeOptions {
  champion: ChallengeSide;
  challenger: ChallengeSide;
  dataPath: string;
  /** How the decision file names the data; default `dataPath`. */
  dataShown?: string;
  target: string;
  metric: string;
  features?: string[];
  task: 'auto' | Task;
  device: DeviceRequest;
  batchSize: number;
  /** Resamples (>= 1) and their seed; the interval is always 95%. */
  bootstrap: { resamples: number; seed: number };
  /** The interval's lower end must be above this (>= 0, in the metric's units) to promote. */
  minImprovement: number;
  /** `.github/cairn.yml`: the model's features, task and decision threshold, the same for both sides. */
  configPath?: string;
  configExplicit?: boolean;
  /** Where config paths start (the repository root). */
  repositoryRoot: string;
  logger: Logger;
  probes?: DeviceProbes;
  createSession?: SessionFactory;
}

export async function runChallenge(options: ChallengeOptions): Promise<ChallengeDecision> {
  const { metric, minImprovement, bootstrap, logger } = options;
  checkChallengeSettings(options);
  const config = options.configPath
    ? await readRepoConfig(options.configPath, options.configExplicit ?? false)
    : undefined;
  // Both sides are versions of one model: its config entry is found by the registry name, else by the challenger's path.
  const { name, model, because } = matchModel(config, {
    name: options.champion.registry?.name ?? options.challenger.registry?.name,
    modelPath: options.challenger.path,
    repositoryRoot: options.repositoryRoot,
    spell: cliOption,
  });
  if (model && because) logger.info(`using models.${name} from ${options.configPath}: ${because}`);
  const task = options.task === 'auto' && model?.task ? model.task : options.task;
  if (task !== 'auto') checkMetric(metric, task);
  const features = options.features ?? model?.features;
  const featuresFrom = options.features ? '--features' : model?.features ? `models.${name}.features` : undefined;
  const threshold =
    model?.threshold !== undefined
      ? { value: model.threshold, key: `models.${name}.threshold in ${options.configPath}` }
      : undefined;

  const run = async (side: ChallengeSide, role: string) => {
    logger.info(`${role}: ${side.shown ?? side.path}`);
    let scored: MetricsAccumulator | undefined;
    const report = await evaluateModel({
      modelPath: side.path,
      dataPath: options.dataPath,
      target: options.target,
      features,
      featuresFrom,
      task,
      device: options.device,
      batchSize: options.batchSize,
      threshold,
      bootstrap: { resamples: 0 },
      logger,
      onScored: (accumulator) => (scored = accumulator),
      probes: options.probes,
      createSession: options.createSession,
    });
    return { report, scored: scored! };
  };
  const champion = await run(options.champion, 'champion');
  const challenger = await run(options.challenger, 'challenger');
  const settings = { ...bootstrap, confidence: CHALLENGE_CONFIDENCE };
  const paired = pairedDifference(champion.scored, challenger.scored, metric, settings);
  if (paired.skipped > MAX_SKIPPED_SHARE * bootstrap.resamples || !paired.interval) {
    throw new UserError(
      `${metric} is undefined in ${paired.skipped} of ${bootstrap.resamples} resamples (more than ${MAX_SKIPPED_SHARE * 100}%), ` +
        `so an interval over the others would hide how uncertain it is; compare on more rows, or with a metric defined on every sample (e.g. log_loss).`,
    );
  }
  const decision = decideChallenge(paired.interval, minImprovement);
  logger.debug(
    `${metric}: difference ${paired.difference}, 95% interval [${paired.interval.join(', ')}]${paired.skipped > 0 ? ` (${paired.skipped} resamples skipped)` : ''}: ${decision}`,
  );
  const report = champion.report;
  return {
    schema: CHALLENGE_SCHEMA,
    metric,
    lower_is_better: paired.lowerIsBetter,
    task: report.task,
    data: {
      path: options.dataShown ?? options.dataPath,
      sha256: dataSha(report),
      rows: report.rows,
      target: options.target,
    },
    champion: sideOf(options.champion, champion.report, paired.champion),
    challenger: sideOf(options.challenger, challenger.report, paired.challenger),
    difference: paired.difference,
    interval: paired.interval,
    confidence: CHALLENGE_CONFIDENCE,
    bootstrap: bootstrap.resamples,
    skipped: paired.skipped,
    seed: bootstrap.seed,
    min_improvement: minImprovement,
    decision,
  };
}

function sideOf(side: ChallengeSide, report: MetricsReport, value: number): ChallengeDecision['champion'] {
  return {
    path: side.shown ?? side.path,
    sha256: report.model!.sha256,
    value,
    ...(side.registry && { registry: side.registry }),
  };
}

/** evaluateModel's report always describes one data file; a merged report (no `sha256`, `parts` instead) never reaches here. */
const dataSha = (report: MetricsReport) => {
  const data = report.data!;
  if (!('sha256' in data)) throw new Error('a challenge evaluates one data file, not merged shards');
  return data.sha256;
};

/**
 * Everything about the settings that can be refused, refused before either model is fetched or run;
 * runChallenge checks again, front doors call it before they resolve registry models.
 */
export function checkChallengeSettings(
  options: Pick<ChallengeOptions, 'metric' | 'minImprovement' | 'bootstrap' | 'task'>,
): void {
  if (!ALL_METRIC_NAMES.includes(options.metric))
    throw new UserError(
      `--metric ${options.metric} is not a metric Cairn computes; use one of: ${ALL_METRIC_NAMES.join(', ')}.`,
    );
  if (!(Number.isFinite(options.minImprovement) && options.minImprovement >= 0))
    throw new UserError(
      `--min-improvement must be a number >= 0 in the metric's units (e.g. 0.005), got ${options.minImprovement}.`,
    );
  const { resamples, seed } = options.bootstrap;
  if (!(Number.isInteger(resamples) && resamples >= 1))
    throw new UserError(`--bootstrap must be a whole number of resamples >= 1, got ${resamples}.`);
  if (!Number.isInteger(seed)) throw new UserError(`--seed must be a whole number, got ${seed}.`);
  if (options.task !== 'auto') checkMetric(options.metric, options.task);
}

function checkMetric(metric: string, task: Task): void {
  if (!METRIC_NAMES[task].includes(metric))
    throw new UserError(
      `--metric ${metric} is not computed for ${task} models; use one of: ${METRIC_NAMES[task].join(', ')}.`,
    );
}
