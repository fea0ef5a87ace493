/** `.github/cairn.yml`: schema, parsing with key-path errors, lookups, who may change what. */
export {
  parseRepoConfig,
  formatKeyPath,
  findModelConfig,
  findGate,
  trustedApps,
  onPromote,
  configTooLarge,
  REPO_CONFIG_MAX_BYTES,
} from './parse.ts';
export {
  repoConfigSchema,
  modelConfigSchema,
  modelCardSchema,
  TASKS,
  PERMISSION_LEVELS,
  ON_PROMOTE,
} from './repo-config.schema.ts';
export type {
  RepoConfig,
  ModelConfig,
  ModelCardFields,
  StageConfig,
  PermissionLevel,
  OnPromote,
} from './repo-config.schema.ts';
export {
  requiredLevel,
  meetsLevel,
  REGISTER_LEVEL,
  REMOVAL_LEVEL_WITHOUT_STAGES,
  type RegistryChange,
  type RequiredLevel,
} from './permissions.ts';
export { readRepoConfig } from './read.ts';
