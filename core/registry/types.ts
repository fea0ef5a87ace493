/** The registry's data: events parsed from tags, the tags a git backend returns, the state they add up to. */

export type RegistryEvent = 'registration' | 'deregistration' | 'assignment' | 'unassignment' | 'deprecation';

export const REGISTRY_EVENTS: readonly RegistryEvent[] = [
  'registration',
  'deregistration',
  'assignment',
  'unassignment',
  'deprecation',
];

/** What every registry tag's name says. `name` is in the user's form (`dir:name`, never `dir=name`). */
interface TagEventBase {
  name: string;
  /** The `#N` counter, when the tag has one. */
  number?: number;
}

/** `name@vX.Y.Z`: the version is registered. */
export interface Registration extends TagEventBase {
  event: 'registration';
  version: string;
  stage?: undefined;
}

/** `name@vX.Y.Z!`: the registration is cancelled. */
export interface Deregistration extends TagEventBase {
  event: 'deregistration';
  version: string;
  stage?: undefined;
}

/**
 * `name#stage#N`: the commit holds the stage. The tag names no version; a planned or recorded
 * assignment carries the version it resolved to (a commit never registered has none).
 */
export interface Assignment extends TagEventBase {
  event: 'assignment';
  stage: string;
  version?: string;
}

/** `name#stage!#N`: the commit gives the stage up. */
export interface Unassignment extends TagEventBase {
  event: 'unassignment';
  stage: string;
  version?: string;
}

/** `name@deprecated`: the model is retired (any later tag brings it back, as in GTO). */
export interface Deprecation extends TagEventBase {
  event: 'deprecation';
  version?: undefined;
  stage?: undefined;
}

/**
 * What a tag's name says: one kind per event, as GTO has one class per event, so the compiler knows
 * a registration has a version and an assignment a stage.
 */
export type ParsedTag = Registration | Deregistration | Assignment | Unassignment | Deprecation;

/** An annotated tag as a git backend (local git, the GitHub API) returns it. Lightweight tags are never one. */
export interface AnnotatedTag {
  tag: string;
  /** The commit the tag points to. */
  sha: string;
  /** The tagger date, ISO 8601. The registry orders events by it. */
  taggedAt: string;
  tagger?: { name: string; email: string };
  message?: string;
  /**
   * The SHA of the tag object the ref points at, when read from GitHub. Pushing a tag again (even on
   * the same commit) makes a new object: the app judges each object on its own (app/tag-verdict.ts).
   */
  object?: string;
}

/** The version that currently holds a stage, and the assignment that put it there. */
export interface StageHolder {
  stage: string;
  version: string;
  sha: string;
  /** The assignment tag that made this version the holder. */
  tag: string;
  at: string;
}

export interface VersionState {
  /** `vX.Y.Z`; for a commit that was assigned a stage without ever being registered, the commit sha (as GTO). */
  version: string;
  sha: string;
  /** The tag that created the version: its latest registration, else its latest tag. */
  tag: string;
  at: string;
  /** Registered and not deregistered since (an unregistered commit with a stage counts as active, as in GTO). */
  active: boolean;
  /** Has at least one registration tag. */
  registered: boolean;
  /** Stages this version holds now. */
  stages: string[];
}

/** A tag event in a model's history; stage events carry the version they resolved to. */
export type HistoryEntry = ParsedTag & {
  tag: string;
  sha: string;
  at: string;
  /** The tagger, `Name <email>`. */
  by?: string;
  message?: string;
};

export interface ModelState {
  name: string;
  /** The newest event is a deprecation (any later tag brings the model back, as in GTO). */
  deprecated: boolean;
  /** The highest registered version that is still active. */
  latest?: string;
  /** Registered versions first, highest first; then unregistered commits that hold stages. */
  versions: VersionState[];
  stages: Record<string, StageHolder>;
  /** Every event, oldest first; stage events carry the version they resolved to. */
  history: HistoryEntry[];
}

export interface RegistryState {
  models: Record<string, ModelState>;
}
