import { isAbsolute, relative, sep } from 'node:path';
import { findGate, readRepoConfig, trustedApps } from '../config/index.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import {
  type BootstrapSettings,
  evaluateGate,
  type GateRule,
  METRIC_NAMES,
  type MetricsReport,
  parseGate,
  readMetricsReport,
  type Task,
  type TrainingRecord,
} from '../metrics/index.ts';
import { repositoryRoot } from '../repository-root.ts';
import { evaluateModel } from './evaluate-model.ts';
import { cliOption, type SpellOption } from '../option-names.ts';
import { matchModel } from './internal/model-match.ts';

export interface GatedEvaluationOptions {
  modelPath: string;
  dataPath: string;
  target: string;
  /** --features / `features:`; without it, the matched config model's `features` list, if any. */
  features?: string[];
  task: 'auto' | Task;
  device: 'auto' | 'cpu' | 'cuda';
  batchSize: number;
  /** The row bootstrap behind `intervals`; default 200 resamples, seed 0. */
  bootstrap?: Partial<BootstrapSettings>;
  name?: string;
  /** A metrics.json path, or `ref:<branch>` for the newest evaluation record on that branch. */
  baseline?: string;
  gate?: string;
  /** Evaluate without any gate, the configured one included, on purpose; the report records it. */
  noGate?: boolean;
  /** `.github/cairn.yml`: without --gate/--task, the model's default gate and task come from it. */
  configPath?: string;
  /** The config file was named by the user: then it must exist. */
  configExplicit?: boolean;
  git?: { sha: string; ref?: string };
  /** The model's training record (`--training-record`), put in metrics.json as `training`. */
  training?: TrainingRecord;
  /** Model and data paths under this folder (the workspace) are recorded relative to it. */
  recordPathsRelativeTo?: string;
  /** Where config paths (`models.<m>.path`) start; default the git root above the working folder. */
  repositoryRoot?: string;
  /** How log lines name an option: `--name` (CLI, the default) or `name:` (action); errors carry theirs (UserError.messageFor). */
  spell?: SpellOption;
  logger: Logger;
  /**
   * Reads `ref:<branch>` baselines; front doors that can reach GitHub provide it. `trustedApps` is
   * the config's `evidence.trusted_apps` (the checkout's: a baseline only shapes the PR's report).
   */
  baselineFromRef?: (
    branch: string,
    model: string,
    trustedApps: readonly number[],
  ) => Promise<MetricsReport | undefined>;
}

export interface GatedEvaluation {
  report: MetricsReport;
  baseline?: MetricsReport;
}

/** `root/a/b.csv` -> `a/b.csv`; a path outside root stays as it is. */
function displayPath(path: string, root: string): string {
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

/**
 * The evaluation both front doors run: the gate is parsed before any work so a typo fails fast,
 * the baseline is resolved, the model evaluated, and the gate verdict attached to the report.
 * A configured gate is never dropped silently: the model is matched to its config entry by name,
 * path or being the only one, and an unmatched gated entry is a warning.
 */
export async function runGatedEvaluation(options: GatedEvaluationOptions): Promise<GatedEvaluation> {
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
  const config = options.configPath
    ? await readRepoConfig(options.configPath, options.configExplicit ?? false)
    : undefined;
  const root = options.repositoryRoot ?? repositoryRoot(process.cwd());
  const match = matchModel(config, { name: options.name, modelPath: options.modelPath, repositoryRoot: root, spell });
  const { name, model } = match;
  if (match.because) options.logger.info(`using models.${name} from ${options.configPath}: ${match.because}`);
  const configured = findGate(model);
  if (match.warning && !options.noGate && options.gate === undefined) options.logger.warn(match.warning);
  const gate = options.noGate ? undefined : (options.gate ?? configured);
  const source = (option: SpellOption) =>
    options.gate !== undefined ? option('gate') : `models.${name}.gates.default in ${options.configPath}`;
  if (options.noGate)
    options.logger.info(
      `${spell('no-gate')}: evaluating without a gate${configured ? ` (the configured one, ${configured}, is not checked)` : ''}.`,
    );
  else if (options.gate === undefined && gate) options.logger.info(`gate from ${source(spell)}: ${gate}`);
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
  const baseline = options.baseline
    ? await resolveBaseline(options.baseline, name, trustedApps(config), options)
    : undefined;

  const threshold =
    model?.threshold !== undefined
      ? { value: model.threshold, key: `models.${name}.threshold in ${options.configPath}` }
      : undefined;
  if (threshold) options.logger.info(`decision threshold from ${threshold.key}: ${threshold.value}`);
  const report = await evaluateModel({ ...options, task, name, features, featuresFrom, threshold });
  if (rules) checkGateMetrics(rules, report.task, source);
  if (options.git) report.git = options.git;
  if (options.training) report.training = options.training;
  if (options.recordPathsRelativeTo) {
    const root = options.recordPathsRelativeTo;
    if (report.model) report.model.path = displayPath(report.model.path, root);
    if (report.data) report.data.path = displayPath(report.data.path, root);
  }
  if (baseline && baseline.task !== report.task) {
    throw new UserError(
      `the baseline is a ${baseline.task} evaluation but this model was evaluated as ${report.task}; pass a baseline of the same task.`,
    );
  }
  if (rules) report.gate = evaluateGate(rules, report, baseline);
  if (options.noGate) report.gate_disabled = configured ? { configured } : {};
  return { report, baseline };
}

/** A rule on a metric the task never computes is a mistake in the gate, not a failed gate. */
function checkGateMetrics(rules: readonly GateRule[], task: Task, source: (option: SpellOption) => string): void {
  const valid = METRIC_NAMES[task];
  const wrong = rules.filter((rule) => !valid.includes(rule.metric));
  if (wrong.length === 0) return;
  const names = [...new Set(wrong.map((rule) => rule.metric))].join(', ');
  throw new UserError(
    (option) =>
      `the gate (${source(option)}) checks ${names}, which ${task} models do not compute; use one of: ${valid.join(', ')}.`,
  );
}

async function resolveBaseline(
  spec: string,
  model: string,
  trusted: readonly number[],
  options: GatedEvaluationOptions,
): Promise<MetricsReport | undefined> {
  if (!spec.startsWith('ref:')) return readMetricsReport(spec);
  const branch = spec.slice('ref:'.length);
  if (!branch) throw new UserError((option) => `${option('baseline')} ref: needs a branch name, e.g. ref:main.`);
  if (!options.baselineFromRef) {
    throw new UserError(
      (option) =>
        `${option('baseline')} ${spec} reads the evaluation record from GitHub: set GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name), or pass a metrics.json path.`,
    );
  }
  const found = await options.baselineFromRef(branch, model, trusted);
  if (!found)
    options.logger.warn(
      `no "cairn: ${model}" evaluation record on the head of ${branch}; comparing without a baseline.`,
    );
  return found;
}
