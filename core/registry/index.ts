/** The model registry on git tags (GTO-compatible): grammar, state, lookups, planned changes. Pure but for local-git.ts, the git backend the CLI and the registry action use. */
export type {
  AnnotatedTag,
  Assignment,
  Deprecation,
  Deregistration,
  HistoryEntry,
  ModelState,
  ParsedTag,
  Registration,
  RegistryEvent,
  RegistryState,
  StageHolder,
  Unassignment,
  VersionState,
} from './types.ts';
export { REGISTRY_EVENTS } from './types.ts';
export {
  InvalidTagError,
  NAME_RULE,
  TAG_GRAMMAR,
  checkModelName,
  checkStageName,
  checkVersion,
  formatTag,
  isName,
  isRegistryTag,
  isVersion,
  modelNameFromTag,
  modelNameToTag,
  parseTag,
  tagFromRef,
} from './grammar.ts';
export {
  BUMP_PARTS,
  FIRST_VERSION,
  bumpVersion,
  compareVersions,
  nextVersion,
  sortVersionsDescending,
  type BumpPart,
} from './versions.ts';
export { registryState } from './state.ts';
export { registryView, stagesInUse, type RegistryRow, type RegistryView } from './view.ts';
export { findModel, findTagEvent, nextTagNumber, resolveVersion } from './lookup.ts';
export {
  planAssignment,
  planDeprecation,
  planDeregistration,
  planRegistration,
  planUnassignment,
  standingAssignment,
  type PlanContext,
  type PlannedTag,
  type VersionRef,
} from './plan.ts';
export {
  applyPlannedTags,
  checkRepository,
  gitIdentity,
  listTagNames,
  readAnnotatedTags,
  resolveCommit,
  tagKind,
  type GitOptions,
} from './local-git.ts';
