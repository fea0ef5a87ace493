/** Version order and bumps, as GTO computes them (python-semver under a "v" prefix). */
import semver from 'semver';
import { UserError } from '../errors.ts';
import { checkVersion, isVersion } from './grammar.ts';

export type BumpPart = 'major' | 'minor' | 'patch';
export const BUMP_PARTS: readonly BumpPart[] = ['major', 'minor', 'patch'];

/** The version a model's first registration gets when none is named. */
export const FIRST_VERSION = 'v0.0.1';

/** Semantic-version order of two `vX.Y.Z` strings (build metadata ignored, prereleases before releases). */
export function compareVersions(a: string, b: string): number {
  return semver.compare(checkVersion(a).slice(1), checkVersion(b).slice(1));
}

/**
 * The next version after `current`. Like python-semver's bump_* (which GTO uses), the part named goes
 * up by one, lower parts go to zero, and any prerelease or build is dropped: v1.0.0-rc.1 → patch →
 * v1.0.1 (node-semver's `inc` would give v1.0.0 there).
 */
export function bumpVersion(current: string, part: BumpPart): string {
  const parsed = semver.parse(checkVersion(current).slice(1));
  if (!parsed) throw new UserError(`invalid version ${JSON.stringify(current)}`);
  const { major, minor, patch } = parsed;
  if (part === 'major') return `v${major + 1}.0.0`;
  if (part === 'minor') return `v${major}.${minor + 1}.0`;
  return `v${major}.${minor}.${patch + 1}`;
}

/**
 * The version a registration without an explicit version gets, as GTO's `register` decides it: the
 * latest active version bumped (patch unless told otherwise), or v0.0.1 for a model's first version.
 * Bumping when there is nothing to bump is refused, as GTO refuses it.
 */
export function nextVersion(latest: string | undefined, part?: BumpPart): string {
  if (latest !== undefined) return bumpVersion(latest, part ?? 'patch');
  if (part === undefined) return FIRST_VERSION;
  throw new UserError(
    `there is no registered version to bump yet; leave out --bump to register ${FIRST_VERSION}, or name one with --version.`,
  );
}

/**
 * `vX.Y.Z` parsed, or null for anything else. The app recomputes a registry of hundreds of versions
 * on every tag push, and parsing was a tenth of that; the parses are kept (only compared, never
 * modified), up to a bound.
 */
const parsedVersions = new Map<string, semver.SemVer | null>();
const PARSED_VERSIONS_KEPT = 20_000;

function parsedVersion(text: string): semver.SemVer | null {
  let parsed = parsedVersions.get(text);
  if (parsed === undefined) {
    parsed = isVersion(text) ? semver.parse(text.slice(1)) : null;
    if (parsedVersions.size >= PARSED_VERSIONS_KEPT) parsedVersions.clear();
    parsedVersions.set(text, parsed);
  }
  return parsed;
}

/** Highest first; anything that is not a semantic version (an unregistered commit's sha) after, in reverse text order as GTO sorts it. */
export function sortVersionsDescending<T>(items: readonly T[], versionOf: (item: T) => string): T[] {
  // Each version is parsed once, not once per comparison: registries run to thousands of tags.
  const semvers: Array<{ item: T; parsed: semver.SemVer }> = [];
  const others: Array<{ item: T; text: string }> = [];
  for (const item of items) {
    const text = versionOf(item);
    const parsed = parsedVersion(text);
    if (parsed) semvers.push({ item, parsed });
    else others.push({ item, text });
  }
  semvers.sort((a, b) => b.parsed.compare(a.parsed));
  others.sort((a, b) => (a.text < b.text ? 1 : a.text > b.text ? -1 : 0));
  return [...semvers.map((s) => s.item), ...others.map((o) => o.item)];
}
