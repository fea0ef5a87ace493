import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { formatKeyPath, loadYaml } from '../yaml-document.ts';
import { repoConfigSchema, type ModelConfig, type OnPromote, type RepoConfig } from './repo-config.schema.ts';

export type { ModelCardFields, ModelConfig, PermissionLevel, RepoConfig, StageConfig } from './repo-config.schema.ts';

/** How many schema problems one error message lists before saying "and N more". */
const MAX_LISTED = 10;

/**
 * The largest `.github/cairn.yml` read, in bytes. A real config is a few KiB; YAML parsing time
 * grows faster than the file (bench/RESULTS.md has what a 1 MB one cost the app), so a larger file
 * is refused before it is parsed, by every reader.
 */
export const REPO_CONFIG_MAX_BYTES = 256 * 1024;

/** The UserError for a config of `bytes` bytes over the limit, or undefined when it fits. */
export function configTooLarge(bytes: number, source: string): UserError | undefined {
  if (bytes <= REPO_CONFIG_MAX_BYTES) return undefined;
  return new UserError(
    `${source} is ${bytes} bytes; a Cairn config may be at most ${REPO_CONFIG_MAX_BYTES} bytes (256 KiB), so it was not read: keep only models, stages, gates and settings in it`,
  );
}

export { formatKeyPath };

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return JSON.stringify(value);
}

function describeIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  switch (issue.code) {
    case 'unrecognized_keys':
      // One message for the object; point at the first unknown key, as the user must rename or remove it.
      return {
        path: [...issue.path, issue.keys[0]],
        message: `${issue.message}${issue.keys.length > 1 ? ` (also unknown: ${issue.keys.slice(1).join(', ')})` : ''}`,
      };
    case 'invalid_value':
    case 'invalid_type':
      if (issue.input === undefined) return { path: issue.path, message: `missing; ${issue.message}` };
      return { path: issue.path, message: `${issue.message}, got ${describeValue(issue.input)}` };
    case 'invalid_key':
      return { path: issue.path, message: `invalid name: ${issue.issues.map((inner) => inner.message).join('; ')}` };
    default:
      return { path: issue.path, message: issue.message };
  }
}

/**
 * Parses and validates `.github/cairn.yml`. Any problem is a UserError that names `source` (the file
 * as the user knows it), the key path and the line, e.g.
 * `.github/cairn.yml: models.churn.task: expected one of binary|multiclass|regression, got text "binery" (line 4)`.
 */
export function parseRepoConfig(text: string, source: string): RepoConfig {
  // Characters, then bytes: a string under the limit in UTF-16 units may still be over it in UTF-8.
  const tooLarge =
    text.length > REPO_CONFIG_MAX_BYTES
      ? configTooLarge(text.length, source)
      : configTooLarge(Buffer.byteLength(text, 'utf8'), source);
  if (tooLarge) throw tooLarge;
  const yaml = loadYaml(text, source);
  const data = yaml.data;
  const parsed = repoConfigSchema.safeParse(data, { reportInput: true });
  if (parsed.success) return parsed.data;

  const lines = parsed.error.issues.slice(0, MAX_LISTED).map((issue) => {
    const { path, message } = describeIssue(issue);
    const line = yaml.lineOf(path);
    const where = path.length > 0 ? `${formatKeyPath(path)}: ` : '';
    // The line goes on the first line of the message: gate errors continue with a caret diagram.
    const [first, ...rest] = message.split('\n');
    return [`${source}: ${where}${first}${line ? ` (line ${line})` : ''}`, ...rest].join('\n');
  });
  const more = parsed.error.issues.length - MAX_LISTED;
  if (more > 0) lines.push(`${source}: and ${more} more problem${more === 1 ? '' : 's'}`);
  throw new UserError(lines.join('\n'), { cause: parsed.error });
}

/** The settings of model `name`, or undefined when `.github/cairn.yml` does not list it. */
export function findModelConfig(config: RepoConfig, name: string): ModelConfig | undefined {
  // Object.hasOwn: a model called "constructor" must not find Object.prototype.constructor.
  return Object.hasOwn(config.models, name) ? config.models[name] : undefined;
}

/**
 * The gate expression that applies to `model` for `stage`: the stage's own gate, else `default`;
 * with no stage (a pull request), `default`. Undefined when none is configured.
 */
export function findGate(model: ModelConfig | undefined, stage?: string): string | undefined {
  const gates = model?.gates;
  if (!gates) return undefined;
  if (stage !== undefined && Object.hasOwn(gates, stage)) return gates[stage];
  return Object.hasOwn(gates, 'default') ? gates.default : undefined;
}

/** App ids whose check runs count as evidence besides GitHub Actions (`evidence.trusted_apps`). */
export function trustedApps(config: RepoConfig | undefined): readonly number[] {
  return config?.evidence?.trusted_apps ?? [];
}

/** What a challenger that beat production becomes (`retrain.on_promote`): a pull request unless told otherwise. */
export function onPromote(config: RepoConfig | undefined): OnPromote {
  return config?.retrain?.on_promote ?? 'pr';
}
