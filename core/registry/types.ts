/** The registry's data: events parsed from tags, the tags a git backend returns, the state they add up to. */

export type RegistryEvent = 'registration' | 'deregistration' | 'assignment' | 'unassignment' | 'deprecation';

export const REGISTRY_EVENTS: readonly RegistryEvent[] = ['registration', 'deregistration', 'assignment', 'unassignment', 'deprecation'];

/** What a tag's name says. `name` is in the user's form (`dir:name`, never `dir=name`). */
export interface ParsedTag {
  name: string;
  event: RegistryEvent;
  /** Registration and deregistration only: the tag names it. */
  version?: string;
  /** Assignment and unassignment only. */
  stage?: string;
  /** The `#N` counter, when the tag has one. */
  number?: number;
}

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

export interface HistoryEntry extends ParsedTag {
  tag: string;
  sha: string;
  at: string;
  /** The tagger, `Name <email>`. */
  by?: string;
  message?: string;
}

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
