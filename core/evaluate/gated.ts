import { isAbsolute, relative, sep } from 'node:path';
import { trustedApps } from '../config/index.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import {
  type BootstrapSettings,
  evaluateGate,
  type MetricsReport,
  readMetricsReport,
  type Task,
  type TrainingRecord,
} from '../metrics/index.ts';
import { evaluateModel } from './evaluate-model.ts';
import type { SpellOption } from '../option-names.ts';
import { checkGateMetrics, resolveSettings } from './internal/evaluation-settings.ts';

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
  return runGated(options, (settings) => evaluateModel({ ...options, ...settings }));
}

/** The part of a gated evaluation that does not depend on how the report was made (one run, or merged shards). */
export type GateOptions = Omit<
  GatedEvaluationOptions,
  'dataPath' | 'target' | 'features' | 'device' | 'batchSize' | 'bootstrap'
> & { features?: string[] };

/**
 * Resolves the config's settings and the baseline, lets `produce` make the report, then checks
 * the gate on it. Shared by `cairn evaluate` and `cairn evaluate merge`.
 */
export async function runGated(
  options: GateOptions,
  produce: (settings: {
    name: string;
    /** `name` came from --name or a config entry, not from the model file's name. */
    chosen: boolean;
    task: 'auto' | Task;
    features?: string[];
    featuresFrom?: string;
    threshold?: { value: number; key: string };
  }) => Promise<MetricsReport>,
): Promise<GatedEvaluation> {
  const settings = await resolveSettings(options);
  const { rules, configured, source, name } = settings;
  const baseline = options.baseline
    ? await resolveBaseline(options.baseline, name, trustedApps(settings.config), options)
    : undefined;
  const report = await produce({
    name,
    chosen: options.name !== undefined || settings.configuredEntry,
    task: settings.task,
    features: settings.features,
    featuresFrom: settings.featuresFrom,
    threshold: settings.threshold,
  });
  if (rules) checkGateMetrics(rules, report.task, source);
  if (options.git) report.git = options.git;
  if (options.training) report.training = options.training;
  if (options.recordPathsRelativeTo) recordPathsRelativeTo(report, options.recordPathsRelativeTo);
  if (baseline && baseline.task !== report.task) {
    throw new UserError(
      `the baseline is a ${baseline.task} evaluation but this model was evaluated as ${report.task}; pass a baseline of the same task.`,
    );
  }
  if (rules) report.gate = evaluateGate(rules, report, baseline);
  if (options.noGate) report.gate_disabled = configured ? { configured } : {};
  return { report, baseline };
}

/** Model and data paths under `root` (the workspace) as relative paths; a merged report keeps its parts' paths. */
export function recordPathsRelativeTo(report: { model?: { path: string }; data?: object }, root: string): void {
  if (report.model) report.model.path = displayPath(report.model.path, root);
  const data = report.data as { path?: string } | undefined;
  if (data?.path !== undefined) data.path = displayPath(data.path, root);
}

async function resolveBaseline(
  spec: string,
  model: string,
  trusted: readonly number[],
  options: GateOptions,
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
