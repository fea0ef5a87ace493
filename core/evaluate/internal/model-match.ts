import { resolve } from 'node:path';
import { findGate, findModelConfig, type ModelConfig, type RepoConfig } from '../../config/index.ts';
import type { SpellOption } from '../../option-names.ts';

export interface ModelMatch {
  name: string;
  model?: ModelConfig;
  /** Why this config entry was chosen, for the log; undefined when the name was given or nothing matched. */
  because?: string;
  /** A warning when a configured gate was left unapplied because no entry matched. */
  warning?: string;
}

/** Model file stem: `models/churn.onnx` -> `churn`. */
export function defaultModelName(modelPath: string): string {
  const file = modelPath.split(/[\\/]/).pop() ?? modelPath;
  return file.replace(/\.onnx$/i, '') || 'model';
}

/**
 * Which `models.<m>` entry an evaluation is for. A given name decides. Without one: the entry whose
 * `path` (relative to the repository root) is the evaluated file, else the entry named like the
 * file, else the only entry. When none matches and some entry has a gate, the caller warns: a
 * forgotten name must not drop a gate silently.
 */
export function matchModel(
  config: RepoConfig | undefined,
  options: { name?: string; modelPath: string; repositoryRoot: string; spell: SpellOption },
): ModelMatch {
  const { name, modelPath, repositoryRoot, spell } = options;
  const entries = Object.entries(config?.models ?? {});
  if (name !== undefined) {
    const model = config && findModelConfig(config, name);
    return {
      name,
      model,
      warning: model
        ? undefined
        : unmatchedGates(entries, `${spell('name')} ${JSON.stringify(name)} names no model in the config`, spell),
    };
  }
  const file = resolve(modelPath);
  const byPath = entries.filter(([, model]) => resolve(repositoryRoot, model.path) === file);
  if (byPath.length === 1)
    return { name: byPath[0][0], model: byPath[0][1], because: `its path ${byPath[0][1].path} is the evaluated model` };
  const stem = defaultModelName(modelPath);
  const byName = config && byPath.length === 0 ? findModelConfig(config, stem) : undefined;
  if (byName) return { name: stem, model: byName };
  if (entries.length === 1 && byPath.length === 0)
    return { name: entries[0][0], model: entries[0][1], because: 'it is the only model in the config' };
  const why =
    byPath.length > 1
      ? `${byPath.map(([key]) => key).join(', ')} all have the path of ${modelPath}`
      : `${modelPath} matches no models.<m>.path`;
  return { name: stem, warning: unmatchedGates(entries, why, spell) };
}

function unmatchedGates(entries: Array<[string, ModelConfig]>, why: string, spell: SpellOption): string | undefined {
  const gated = entries.filter(([, model]) => findGate(model) !== undefined).map(([key]) => key);
  if (gated.length === 0) return undefined;
  const list = gated.map((key) => `models.${key}`).join(', ');
  return `${why}, so the gate configured for ${list} was not applied; pass ${spell('name')} ${gated[0]} to apply it, or ${spell('no-gate')} to evaluate without a gate on purpose.`;
}
