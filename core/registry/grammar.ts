/**
 * The registry's tag grammar, compatible with GTO (iterative/gto):
 *
 *   name@vX.Y.Z[#N]      registration          name@vX.Y.Z![#N]   deregistration
 *   name#stage[#N]       assignment            name#stage![#N]    unassignment
 *   name@deprecated[#N]  deprecation
 *
 * Names are letters, digits, `-`, `_` and `/`, starting and ending with a letter or digit. A monorepo
 * model `dir:name` is written `dir=name` inside a tag, since git refuses `:` in ref names. Versions are
 * semantic versions with a `v` prefix. `#N` is a counter that keeps tag names unique; it carries no order.
 *
 * GTO's folder part allows any of letters, digits, `-`, `_`, `.` and `/`; here the folder must also
 * be a ref name git accepts on its own (`git check-ref-format`): no `..`, no part that is empty
 * (`//`, a leading or trailing `/`), starts with `.` or ends with `.lock`, and no trailing `.`. Git
 * refuses such tags anyway (or, for the last three, a folder of that name), so no valid GTO tag is
 * lost; a name or stage may not hold `//` either, for the same reason.
 */
import { UserError } from '../errors.ts';
import type { ParsedTag } from './types.ts';

const NAME = String.raw`[a-zA-Z0-9](?:[a-zA-Z0-9\-/_]*[a-zA-Z0-9])?`;
const DIRNAME = String.raw`[a-zA-Z0-9\-_./]+`;
const IDENT = String.raw`(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)`;
// semver.org's grammar: MAJOR.MINOR.PATCH[-prerelease][+build], no leading zeros in numbers.
const SEMVER = String.raw`(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-${IDENT}(?:\.${IDENT})*)?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?`;

const NAME_RE = new RegExp(`^${NAME}$`);
const FULLNAME_RE = new RegExp(`^(?:${DIRNAME}:)?${NAME}$`);
const FULLNAME_IN_TAG_RE = new RegExp(`^(?:${DIRNAME}=)?${NAME}$`);
const VERSION_RE = new RegExp(`^v${SEMVER}$`);
const TAG_RE = new RegExp(
  `^(?<name>(?:${DIRNAME}=)?${NAME})` +
    `(?:(?:#(?<stage>${NAME})|@(?<version>v${SEMVER}))(?<cancel>!?)|@(?<special>deprecated|created))` +
    `(?:#(?<number>[0-9]+))?$`,
);

export const NAME_RULE = 'letters, digits, "-", "_" and "/", starting and ending with a letter or digit';
export const TAG_GRAMMAR =
  'registry tags are name@vX.Y.Z (register), name@vX.Y.Z! (deregister), name#stage (assign), name#stage! (unassign) ' +
  'or name@deprecated, each optionally followed by #N; a monorepo model dir:name is written dir=name in a tag';

/** A tag that looks like a registry tag but breaks the grammar. The message says what is wrong and shows the grammar. */
export class InvalidTagError extends UserError {
  override name = 'InvalidTagError';
  constructor(
    readonly tag: string,
    reason: string,
  ) {
    super(`invalid registry tag ${JSON.stringify(tag)}: ${reason}. ${TAG_GRAMMAR}.`);
  }
}

/**
 * Why `folder` (the `dir` of `dir:name`) is not a folder a tag can name, or undefined when it is.
 * The characters git also refuses (control characters, space, ~ ^ : ? * [ \\ and `@{`) are outside
 * GTO's folder characters, and named first.
 */
export function folderProblem(folder: string): string | undefined {
  const bad = /[^a-zA-Z0-9\-_./]/.exec(folder);
  if (bad) {
    const code = bad[0].charCodeAt(0);
    const shown =
      code <= 0x20 || code === 0x7f
        ? `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}`
        : `"${bad[0]}"`;
    return `the folder ${JSON.stringify(folder).replace(/\x7f/g, '\\u007f')} holds ${shown}; a folder uses letters, digits, "-", "_", "." and "/" (git refuses control characters, space, ~ ^ : ? * [ \\ and @{ in tags)`;
  }
  const parts = folder.split('/');
  const why = parts.some((part) => part === '')
    ? 'has an empty part ("//", or a leading or trailing "/")'
    : folder.includes('..')
      ? 'holds ".."'
      : parts.some((part) => part.startsWith('.'))
        ? 'has a part that starts with "."'
        : parts.some((part) => part.endsWith('.lock'))
          ? 'has a part that ends with ".lock"'
          : folder.endsWith('.')
            ? 'ends with "."'
            : undefined;
  return why && `the folder "${folder}" ${why}, which git check-ref-format refuses`;
}

/** Why a model (with its folder before `separator`) or stage name is not one git can tag, or undefined. */
function refProblem(name: string, separator: ':' | '=' = '='): string | undefined {
  const cut = name.indexOf(separator);
  if (cut >= 0) {
    const problem = folderProblem(name.slice(0, cut));
    if (problem) return problem;
  }
  const rest = cut >= 0 ? name.slice(cut + 1) : name;
  return rest.includes('//') ? `"${rest}" holds "//", which git check-ref-format refuses` : undefined;
}

/** `dir:name` as a tag writes it (`dir=name`). */
export function modelNameToTag(name: string): string {
  return name.replace(':', '=');
}

/** A tag's name part as users write it (`dir=name` → `dir:name`). */
export function modelNameFromTag(name: string): string {
  return name.replace('=', ':');
}

/**
 * True when the tag uses the registry's separators (`@` or `#`), so it is meant for the registry and
 * must parse; tags such as `v1.0.0` or `release-2024` are someone else's and are left alone.
 */
export function isRegistryTag(tag: string): boolean {
  return /[@#]/.test(tag);
}

/** The tag name of a `refs/tags/...` ref; undefined for branches and other refs. */
export function tagFromRef(ref: string): string | undefined {
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

/** Why a registry-looking tag does not parse, as precisely as the common mistakes allow. */
function explain(tag: string): string {
  const cut = tag.search(/[@#]/);
  if (cut < 0) return 'it has neither "@" (a version or deprecated) nor "#" (a stage)';
  if (tag.includes('@{')) return 'it holds "@{", which git check-ref-format refuses';
  const name = tag.slice(0, cut);
  const refused = name.includes('=') ? refProblem(name) : undefined;
  if (refused) return refused;
  if (!FULLNAME_IN_TAG_RE.test(name))
    return `"${name}" is not a model name; names use ${NAME_RULE} (dir=name for a monorepo model)`;
  const [head, ...counters] = tag.slice(cut + 1).split('#');
  const counterProblem =
    counters.length > 1 || (counters.length === 1 && !/^[0-9]+$/.test(counters[0]))
      ? 'only one "#N" counter, a whole number, may end a tag'
      : undefined;
  const body = head.endsWith('!') ? head.slice(0, -1) : head;
  if (tag[cut] === '@') {
    if (body !== 'deprecated' && !VERSION_RE.test(body))
      return `"${body}" is not a version; versions are "v" and a semantic version such as v1.2.0`;
    if (body === 'deprecated' && head.endsWith('!')) return 'a deprecation cannot be cancelled with "!"';
    return counterProblem ?? 'a tag holds either a version (@) or a stage (#), not both';
  }
  if (body.includes('@')) return 'a tag holds either a version (@) or a stage (#), not both';
  if (!NAME_RE.test(body)) return `"${body}" is not a stage name; stages use ${NAME_RULE}`;
  return counterProblem ?? 'it does not match the grammar';
}

/** Parses a registry tag; throws InvalidTagError (a UserError) naming what is wrong. */
export function parseTag(tag: string): ParsedTag {
  const match = TAG_RE.exec(tag);
  const groups = match?.groups;
  if (!groups) throw new InvalidTagError(tag, explain(tag));
  const refused = refProblem(groups.name) ?? (groups.stage ? refProblem(groups.stage) : undefined);
  if (refused) throw new InvalidTagError(tag, refused);
  // GTO's grammar reserves `@created` but no GTO release gives it an event; it is no registry event here.
  if (groups.special === 'created') throw new InvalidTagError(tag, '"@created" is reserved and records nothing');
  const name = modelNameFromTag(groups.name);
  const number = groups.number === undefined ? {} : { number: Number(groups.number) };
  if (groups.version)
    return { name, event: groups.cancel ? 'deregistration' : 'registration', version: groups.version, ...number };
  if (groups.stage)
    return { name, event: groups.cancel ? 'unassignment' : 'assignment', stage: groups.stage, ...number };
  return { name, event: 'deprecation', ...number };
}

/** The inverse of parseTag. */
export function formatTag(event: ParsedTag): string {
  const name = modelNameToTag(checkModelName(event.name));
  const number = event.number === undefined ? '' : `#${event.number}`;
  switch (event.event) {
    case 'registration':
    case 'deregistration':
      return `${name}@${checkVersion(event.version)}${event.event === 'deregistration' ? '!' : ''}${number}`;
    case 'assignment':
    case 'unassignment':
      return `${name}#${checkStageName(event.stage)}${event.event === 'unassignment' ? '!' : ''}${number}`;
    case 'deprecation':
      return `${name}@deprecated${number}`;
  }
}

/** Checks a model name (`name` or the monorepo form `dir:name`) against GTO's grammar. */
export function checkModelName(name: string): string {
  const refused = name.indexOf(':') > 0 ? refProblem(name, ':') : refProblem(name);
  if (refused) throw new UserError(`invalid model name ${JSON.stringify(name)}: ${refused}.`);
  if (FULLNAME_RE.test(name)) return name;
  const hint = name.includes('=') ? '; write a monorepo model as dir:name (tags write it dir=name)' : '';
  throw new UserError(
    `invalid model name ${JSON.stringify(name)}: use ${NAME_RULE}, optionally after a folder and ":" (dir:name)${hint}.`,
  );
}

/** Checks a stage name (GTO's name grammar, no folder prefix). */
export function checkStageName(stage: string): string {
  if (NAME_RE.test(stage) && !stage.includes('//')) return stage;
  throw new UserError(`invalid stage name ${JSON.stringify(stage)}: use ${NAME_RULE}.`);
}

/** Checks a version: "v" and a semantic version (v1.2.0, v2.0.0-rc.1). */
export function checkVersion(version: string): string {
  if (VERSION_RE.test(version)) return version;
  throw new UserError(`invalid version ${JSON.stringify(version)}: use "v" and a semantic version, e.g. v1.2.0.`);
}

export function isVersion(version: string): boolean {
  return VERSION_RE.test(version);
}

/** A model (without its folder) or stage name in GTO's grammar. */
export function isName(name: string): boolean {
  return NAME_RE.test(name);
}
