/**
 * What an evaluation takes from the repository config before any work: the model's config entry,
 * its gate, task, features and decision threshold. The gate is parsed here so a typo fails fast,
 * and a configured gate is never dropped silently.
 */
import { findGate, readRepoConfig, type RepoConfig } from '../../config/index.ts';
import { UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { type GateRule, METRIC_NAMES, parseGate, type Task } from '../../metrics/index.ts';
import { cliOption, type SpellOption } from '../../option-names.ts';
import { repositoryRoot } from '../../repository-root.ts';
import { matchModel } from './model-match.ts';

export interface SettingsOptions {
  modelPath: string;
  name?: string;
  task: 'auto' | Task;
  features?: string[];
  gate?: string;
  noGate?: boolean;
  configPath?: string;
  configExplicit?: boolean;
  repositoryRoot?: string;
  spell?: SpellOption;
  logger: Logger;
  /** A shard: the gate is checked when the shards are merged, so none is resolved here. */
  shard?: boolean;
}

export interface EvaluationSettings {
  config?: RepoConfig;
  name: string;
  /** Whether `name` is a config entry's (rather than the model file's name). */
  configuredEntry: boolean;
  task: 'auto' | Task;
  features?: string[];
  featuresFrom?: string;
  threshold?: { value: number; key: string };
  rules?: GateRule[];
  /** The config's gate for this model, when there is one. */
  configured?: string;
  /** Where the gate came from, for messages. */
  source: (option: SpellOption) => string;
}

export async function resolveSettings(options: SettingsOptions): Promise<EvaluationSettings> {
  const spell = options.spell ?? cliOption;
  if (options.gate !== undefined && options.gate.trim() === '') {
    throw new UserError(
      (option) =>
        `${option('gate')} is empty; to evaluate without the configured gate, pass ${option('no-gate')} instead.`,
    );
  }
  if (options.gate !== undefined && options.noGate)
    throw new UserError(
      (option) => `${option('gate')} and ${option('no-gate')} contradict each other; pass one of them.`,
    );
  if (options.shard && (options.gate !== undefined || options.noGate))
    throw new UserError(
      (option) =>
        `${option(options.noGate ? 'no-gate' : 'gate')} does not apply to a shard: the gate is checked on all rows, when the partials are merged. Remove it here and give it to the merge.`,
    );
  const config = options.configPath
    ? await readRepoConfig(options.configPath, options.configExplicit ?? false)
    : undefined;
  const root = options.repositoryRoot ?? repositoryRoot(process.cwd());
  const match = matchModel(config, { name: options.name, modelPath: options.modelPath, repositoryRoot: root, spell });
  const { name, model } = match;
  if (match.because) options.logger.info(`using models.${name} from ${options.configPath}: ${match.because}`);
  const configured = findGate(model);
  const source = (option: SpellOption) =>
    options.gate !== undefined ? option('gate') : `models.${name}.gates.default in ${options.configPath}`;
  let gate: string | undefined;
  if (options.shard) {
    if (configured) options.logger.info(`the gate (${configured}) is checked when the shards are merged, not here.`);
  } else {
    if (match.warning && !options.noGate && options.gate === undefined) options.logger.warn(match.warning);
    gate = options.noGate ? undefined : (options.gate ?? configured);
    if (options.noGate)
      options.logger.info(
        `${spell('no-gate')}: evaluating without a gate${configured ? ` (the configured one, ${configured}, is not checked)` : ''}.`,
      );
    else if (options.gate === undefined && gate) options.logger.info(`gate from ${source(spell)}: ${gate}`);
  }
  const task = options.task === 'auto' && model?.task ? model.task : options.task;
  // --features / features: wins over the config's list; either way messages name where the list came from.
  const features = options.features ?? model?.features;
  const featuresFrom = options.features
    ? spell('features')
    : model?.features
      ? `models.${name}.features in ${options.configPath}`
      : undefined;
  if (!options.features && model?.features)
    options.logger.info(`features: the ${model.features.length} columns of ${featuresFrom}`);
  const rules = gate ? parseGate(gate) : undefined;
  if (rules && task !== 'auto') checkGateMetrics(rules, task, source);
  const threshold =
    model?.threshold !== undefined
      ? { value: model.threshold, key: `models.${name}.threshold in ${options.configPath}` }
      : undefined;
  if (threshold) options.logger.info(`decision threshold from ${threshold.key}: ${threshold.value}`);
  return {
    config,
    name,
    configuredEntry: model !== undefined,
    task,
    features,
    featuresFrom,
    threshold,
    rules,
    configured,
    source,
  };
}

/** A rule on a metric the task never computes is a mistake in the gate, not a failed gate. */
export function checkGateMetrics(
  rules: readonly GateRule[],
  task: Task,
  source: (option: SpellOption) => string,
): void {
  const valid = METRIC_NAMES[task];
  const wrong = rules.filter((rule) => !valid.includes(rule.metric));
  if (wrong.length === 0) return;
  const names = [...new Set(wrong.map((rule) => rule.metric))].join(', ');
  throw new UserError(
    (option) =>
      `the gate (${source(option)}) checks ${names}, which ${task} models do not compute; use one of: ${valid.join(', ')}.`,
  );
}
