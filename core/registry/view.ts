/** The registry as `gto show` tabulates it: one row per model, its latest version and who holds each stage. */
import type { ModelState, RegistryState } from './types.ts';

export interface RegistryRow {
  name: string;
  deprecated: boolean;
  latest?: string;
  /** Stage → the version holding it; stages nobody holds are absent. */
  stages: Record<string, string>;
}

export interface RegistryView {
  /** The stage columns: the configured stages in their order, then any other stage in use, sorted. */
  stages: string[];
  rows: RegistryRow[];
  /** Deprecated models left out of `rows` (without `deprecated`), sorted: a reader is told they exist. */
  hiddenDeprecated: string[];
}

/** Stages some version holds, over every model (deprecated ones too, as GTO counts them). */
export function stagesInUse(state: RegistryState): string[] {
  return [...new Set(Object.values(state.models).flatMap((model) => Object.keys(model.stages)))].sort();
}

/**
 * Deprecated models are left out unless `deprecated` is set (GTO's `--deprecated`). GTO shows only
 * the configured stages when a config lists some; we add the other stages in use after them, so no
 * holder is hidden.
 */
export function registryView(
  state: RegistryState,
  options: { configuredStages?: readonly string[]; deprecated?: boolean } = {},
): RegistryView {
  const configured = options.configuredStages ?? [];
  const stages = [...configured, ...stagesInUse(state).filter((stage) => !configured.includes(stage))];
  const models = Object.values(state.models).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hiddenDeprecated = options.deprecated
    ? []
    : models.filter((model) => model.deprecated).map((model) => model.name);
  const rows = models
    .filter((model) => options.deprecated || !model.deprecated)
    .map((model: ModelState): RegistryRow => ({
      name: model.name,
      deprecated: model.deprecated,
      ...(model.latest !== undefined ? { latest: model.latest } : {}),
      stages: Object.fromEntries(Object.values(model.stages).map((holder) => [holder.stage, holder.version])),
    }));
  return { stages, rows, hiddenDeprecated };
}
