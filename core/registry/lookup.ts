/** Questions asked of a registry state: which version is this, what is the next tag counter. */
import { UserError } from '../errors.ts';
import { checkModelName, checkVersion, isVersion, parseTag } from './grammar.ts';
import type { HistoryEntry, ModelState, RegistryState, VersionState } from './types.ts';

const short = (sha: string) => sha.slice(0, 7);

/** The model, or a UserError that says how to create it. */
export function findModel(state: RegistryState, name: string): ModelState {
  checkModelName(name);
  if (Object.hasOwn(state.models, name)) return state.models[name];
  const known = Object.keys(state.models);
  throw new UserError(
    `no model "${name}" in the registry; register a version first (cairn registry register ${name})` +
      (known.length > 0 ? `. Models: ${known.join(', ')}.` : '.'),
  );
}

/**
 * The registered version a user means, by version name or by commit. Active versions are preferred;
 * a deregistered one is returned when it is the only match (callers decide whether that is allowed).
 */
export function resolveVersion(
  state: RegistryState,
  name: string,
  ref: { version?: string; sha?: string },
): VersionState {
  const model = findModel(state, name);
  const registered = model.versions.filter((v) => isVersion(v.version));
  const pick = (matches: VersionState[]) => matches.find((v) => v.active) ?? matches[0];
  if (ref.version !== undefined) {
    checkVersion(ref.version);
    const found = pick(registered.filter((v) => v.version === ref.version));
    if (found) return found;
    const list = registered.filter((v) => v.active).map((v) => v.version);
    throw new UserError(
      `${name} has no version ${ref.version}; ` +
        (list.length > 0 ? `its active versions: ${list.join(', ')}.` : 'it has no active version.'),
    );
  }
  if (ref.sha !== undefined) {
    const found = pick(registered.filter((v) => v.sha === ref.sha));
    if (found) return found;
    throw new UserError(
      `commit ${short(ref.sha)} has no registered version of ${name}; name a version instead, or register this commit first.`,
    );
  }
  throw new UserError('name the version (vX.Y.Z) or the commit.');
}

/**
 * The next `#N` for a new tag of model `name` (`dir:name` form): one more than the highest counter on
 * any of its tags, whatever their event, as GTO numbers them. Pass every tag name in the repository,
 * lightweight ones included, so a new tag never collides with an existing ref.
 */
export function nextTagNumber(tagNames: readonly string[], name: string): number {
  let highest = 0;
  for (const tag of tagNames) {
    try {
      const parsed = parseTag(tag);
      if (parsed.name === name && parsed.number !== undefined && parsed.number > highest) highest = parsed.number;
    } catch {
      // not a registry tag
    }
  }
  return highest + 1;
}

/** The event a tag recorded, with the version a stage tag resolved to; undefined when the state does not hold it. */
export function findTagEvent(state: RegistryState, tag: string): HistoryEntry | undefined {
  let name: string;
  try {
    name = parseTag(tag).name;
  } catch {
    return undefined;
  }
  return Object.hasOwn(state.models, name) ? state.models[name].history.find((entry) => entry.tag === tag) : undefined;
}
