/**
 * Who may change the registry: one table for every path to a change (a `/cairn` command, a pushed
 * tag, a deploy run), read from the default branch's config.
 *
 *   register a version                 write
 *   assign / unassign stage S          stages.S.promote
 *   deregister a version, deprecate    the highest promote level of all configured stages
 *
 * "The model's stages" are all configured stages: any of them can hold a version of any model, and
 * taking a version (or the whole model) away takes it from every stage that holds it or may later.
 */
import type { RegistryEvent } from '../registry/index.ts';
import { PERMISSION_LEVELS, type PermissionLevel, type RepoConfig } from './repo-config.schema.ts';

/** Registering a version makes no stage change; it needs what pushing a tag needs. */
export const REGISTER_LEVEL: PermissionLevel = 'write';
/** Deregistering or deprecating when no stage is configured. */
export const REMOVAL_LEVEL_WITHOUT_STAGES: PermissionLevel = 'maintain';

export interface RequiredLevel {
  level: PermissionLevel;
  /** The config key the level comes from, to tell the user what to change. */
  key?: string;
}

/** A registry change as far as permissions go: a stage change names its stage (a ParsedTag is one). */
export type RegistryChange = { event: Exclude<RegistryEvent, StageEvent> } | { event: StageEvent; stage: string };
type StageEvent = 'assignment' | 'unassignment';

/** The level a change needs. A stage missing from the config needs `admin`: nobody's tag may invent one. */
export function requiredLevel(config: RepoConfig, change: RegistryChange): RequiredLevel {
  switch (change.event) {
    case 'registration':
      return { level: REGISTER_LEVEL };
    case 'assignment':
    case 'unassignment': {
      const { stage } = change;
      return Object.hasOwn(config.stages, stage)
        ? { level: config.stages[stage].promote, key: `stages.${stage}.promote` }
        : { level: 'admin' };
    }
    case 'deregistration':
    case 'deprecation': {
      const levels = Object.values(config.stages).map((s) => s.promote);
      if (levels.length === 0) return { level: REMOVAL_LEVEL_WITHOUT_STAGES };
      return { level: levels.reduce((a, b) => (rank(b) > rank(a) ? b : a)), key: 'the highest stages.<stage>.promote' };
    }
  }
}

function rank(level: PermissionLevel): number {
  return PERMISSION_LEVELS.indexOf(level);
}

/** Whether `actual` (a level, or `none`) reaches `required`. */
export function meetsLevel(actual: PermissionLevel | 'none', required: PermissionLevel): boolean {
  return actual !== 'none' && rank(actual) >= rank(required);
}
