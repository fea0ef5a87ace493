/**
 * What a registry change must tag, decided before any tag exists, with GTO's rules for `register`,
 * `deregister`, `assign`, `unassign` and `deprecate`. A refused change is a UserError that says what to
 * do instead, so a front door (the CLI on local git, the app through the API) creates either every tag
 * of a change or none. Tag forms follow GTO's defaults: `name@vX.Y.Z`, `name@vX.Y.Z!` and
 * `name@deprecated` plain (numbered only when the plain name is taken), stage tags always numbered.
 */
import { UserError } from '../errors.ts';
import { checkModelName, checkStageName, checkVersion, formatTag, isVersion } from './grammar.ts';
import { findModel, nextTagNumber, resolveVersion } from './lookup.ts';
import type {
  Assignment,
  HistoryEntry,
  ModelState,
  ParsedTag,
  RegistryState,
  Registration,
  VersionState,
} from './types.ts';
import { nextVersion, type BumpPart } from './versions.ts';

export interface PlanContext {
  state: RegistryState;
  /** Every tag name in the repository, lightweight ones included (for `#N` counters and collisions). */
  tagNames: readonly string[];
  /** Who asked, e.g. `Jane Doe <jane@example.com>` or `@jane`; recorded in the tag message. */
  by?: string;
  /** Why, in the user's words; recorded in the tag message. */
  why?: string;
}

export interface PlannedTag<Event extends ParsedTag = ParsedTag> {
  tag: string;
  /** The commit to tag. */
  sha: string;
  message: string;
  /** What the tag records; stage events carry the version they apply to. */
  event: Event;
}

/** Exactly one of the two names a version (GTO's rule). */
export interface VersionRef {
  version?: string;
  sha?: string;
}

const short = (sha: string) => sha.slice(0, 7);

function message(summary: string, context: PlanContext): string {
  return [summary, context.why?.trim(), context.by ? `By: ${context.by}` : undefined].filter(Boolean).join('\n\n');
}

function tagName(event: ParsedTag, taken: ReadonlySet<string>, numbered: boolean): string {
  const plain = formatTag(event);
  if (!numbered && !taken.has(plain)) return plain;
  return formatTag({ ...event, number: nextTagNumber([...taken], event.name) });
}

function oneOf(ref: VersionRef): void {
  if ((ref.version === undefined) === (ref.sha === undefined))
    throw new UserError('name the version with --version vX.Y.Z or the commit with --ref REV (one of them, not both).');
}

function checkAllowedStage(stage: string, allowed: readonly string[] | undefined): void {
  checkStageName(stage);
  if (allowed && allowed.length > 0 && !allowed.includes(stage)) {
    throw new UserError(
      `stage "${stage}" is not one of the stages in .github/cairn.yml (${allowed.join(', ')}); add it under stages: or use one of those.`,
    );
  }
}

function modelOrUndefined(state: RegistryState, name: string): ModelState | undefined {
  return Object.hasOwn(state.models, name) ? state.models[name] : undefined;
}

/** The assignment that keeps `version` in `stage`, if it is in it (it may not hold it: a newer assignment may). */
export function standingAssignment(model: ModelState, version: VersionState, stage: string): HistoryEntry | undefined {
  const events = model.history.filter(
    (h) => h.stage === stage && h.sha === version.sha && h.version === version.version,
  );
  const last = (kind: string) => events.filter((h) => h.event === kind).at(-1);
  const assigned = last('assignment');
  const unassigned = last('unassignment');
  return assigned && (!unassigned || Date.parse(assigned.at) > Date.parse(unassigned.at)) ? assigned : undefined;
}

/** `register NAME [--version V | --bump PART] [--ref REV]`. */
export function planRegistration(
  context: PlanContext,
  request: { name: string; sha: string; version?: string; bump?: BumpPart },
  taken = new Set(context.tagNames),
): PlannedTag<Registration>[] {
  const { name, sha } = request;
  checkModelName(name);
  if (request.version !== undefined && request.bump !== undefined)
    throw new UserError('pass --version or --bump, not both.');
  const model = modelOrUndefined(context.state, name);
  const atCommit = model?.versions.find((v) => isVersion(v.version) && v.sha === sha);
  let version = request.version === undefined ? undefined : checkVersion(request.version);
  if (atCommit?.active) {
    throw new UserError(
      `commit ${short(sha)} is already ${name} ${atCommit.version}; a commit holds one version of a model. Register another commit, or deregister ${atCommit.version} first.`,
    );
  }
  if (atCommit) {
    // GTO ties a commit to the version it once had: registering it again means that version.
    if ((version !== undefined && version !== atCommit.version) || request.bump !== undefined) {
      throw new UserError(
        `commit ${short(sha)} was ${name} ${atCommit.version} (deregistered since); it can only be registered again as ${atCommit.version}.`,
      );
    }
    version = atCommit.version;
  }
  version ??= nextVersion(model?.latest, request.bump);
  const elsewhere = model?.versions.find((v) => v.version === version && v.sha !== sha);
  if (elsewhere) {
    const how =
      request.version === undefined
        ? `the next version after ${model?.latest ?? 'none'} is ${version}, but it`
        : `${version}`;
    throw new UserError(
      `${name}: ${how} already exists at commit ${short(elsewhere.sha)}${elsewhere.active ? '' : ' (deregistered)'}; versions are never reused. Pass --version with a new version.`,
    );
  }
  const event: Registration = { name, event: 'registration', version };
  return [{ tag: tagName(event, taken, false), sha, message: message(`Register ${name} ${version}`, context), event }];
}

/** `deregister NAME --version V | --ref REV`. */
export function planDeregistration(context: PlanContext, request: { name: string } & VersionRef): PlannedTag[] {
  oneOf(request);
  const version = resolveVersion(context.state, request.name, request);
  if (!version.active) throw new UserError(`${request.name} ${version.version} is already deregistered.`);
  const event: ParsedTag = { name: request.name, event: 'deregistration', version: version.version };
  const tag = tagName(event, new Set(context.tagNames), false);
  return [{ tag, sha: version.sha, message: message(`Deregister ${request.name} ${version.version}`, context), event }];
}

/**
 * `assign NAME STAGE --version V | --ref REV [--force]`. A commit with no version is registered first
 * (the next patch version, or v0.0.1), as GTO's `assign` does; both tags are planned together.
 */
export function planAssignment(
  context: PlanContext,
  request: { name: string; stage: string; force?: boolean; allowedStages?: readonly string[] } & VersionRef,
): PlannedTag[] {
  const { name, stage } = request;
  checkModelName(name);
  checkAllowedStage(stage, request.allowedStages);
  oneOf(request);
  const taken = new Set(context.tagNames);
  const planned: PlannedTag[] = [];
  let version: VersionState | undefined;
  const model = modelOrUndefined(context.state, name);
  if (request.version !== undefined) version = resolveVersion(context.state, name, request);
  else
    version =
      model?.versions.find((v) => isVersion(v.version) && v.sha === request.sha && v.active) ??
      model?.versions.find((v) => isVersion(v.version) && v.sha === request.sha);
  if (version && !version.active)
    throw new UserError(`${name} ${version.version} is deregistered; register it again before assigning a stage.`);
  let versionName: string;
  if (!version) {
    const [registration] = planRegistration(context, { name, sha: request.sha! }, taken);
    planned.push(registration);
    taken.add(registration.tag);
    versionName = registration.event.version;
  } else {
    versionName = version.version;
    if (model) {
      if (
        model.stages[stage]?.version === version.version &&
        model.stages[stage]?.sha === version.sha &&
        !request.force
      ) {
        throw new UserError(`${name} ${version.version} already holds ${stage}.`);
      }
      const standing = standingAssignment(model, version, stage);
      if (standing && !request.force) {
        const holder = model.stages[stage];
        throw new UserError(
          `${name} ${version.version} is already assigned to ${stage} (${standing.tag})` +
            (holder && holder.version !== version.version ? `, though ${holder.version} was assigned after it` : '') +
            '; pass --force to assign it again and make it the holder.',
        );
      }
    }
  }
  const sha = version?.sha ?? request.sha!;
  const event: Assignment = { name, event: 'assignment', stage, version: versionName };
  const tag = tagName({ name, event: 'assignment', stage }, taken, true);
  planned.push({ tag, sha, message: message(`Assign ${name} ${versionName} to ${stage}`, context), event });
  return planned;
}

/** `unassign NAME STAGE --version V | --ref REV`. */
export function planUnassignment(
  context: PlanContext,
  request: { name: string; stage: string; allowedStages?: readonly string[] } & VersionRef,
): PlannedTag[] {
  const { name, stage } = request;
  checkAllowedStage(stage, request.allowedStages);
  oneOf(request);
  const version = resolveVersion(context.state, name, request);
  const model = findModel(context.state, name);
  if (!standingAssignment(model, version, stage))
    throw new UserError(`${name} ${version.version} is not in stage ${stage}; nothing to unassign.`);
  const tag = tagName({ name, event: 'unassignment', stage }, new Set(context.tagNames), true);
  const event: ParsedTag = { name, event: 'unassignment', stage, version: version.version };
  return [
    { tag, sha: version.sha, message: message(`Unassign ${name} ${version.version} from ${stage}`, context), event },
  ];
}

/** `deprecate NAME`: tags the commit of the model's newest event, as GTO does, unless a commit is given. */
export function planDeprecation(context: PlanContext, request: { name: string; sha?: string }): PlannedTag[] {
  const model = findModel(context.state, request.name);
  if (model.deprecated)
    throw new UserError(`${request.name} is already deprecated; registering or assigning a version brings it back.`);
  const sha = request.sha ?? model.history.at(-1)!.sha;
  const event: ParsedTag = { name: request.name, event: 'deprecation' };
  return [
    {
      tag: tagName(event, new Set(context.tagNames), false),
      sha,
      message: message(`Deprecate ${request.name}`, context),
      event,
    },
  ];
}
