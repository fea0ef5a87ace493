/**
 * What every handler shares: the per-process memory (delivery ids, tag objects, the registry
 * issue's number, responses kept for conditional GETs), the repository an event is about, and adapters from Probot's context to the
 * interfaces core takes.
 */
import type { Context } from 'probot';
import type { EtagCache, EtagEntry, GitHubClient, TagObjectCache } from '../core/github/index.ts';
import type { Logger } from '../core/logger.ts';
import type { AnnotatedTag, RegistryState } from '../core/registry/index.ts';
import type { NotHonouredTag } from '../core/report/index.ts';
import { DeliveryGuard } from './delivery-guard.ts';
import { LruCache } from './lru.ts';
import type { RepositoryPayload } from './payloads.ts';

/** The registry tags as the tag list has them, every one, honoured or not. */
export interface RawRegistry {
  tags: AnnotatedTag[];
  /** Registry-looking tags that point straight at a commit (GTO ignores them). */
  lightweight: Array<{ tag: string; sha: string }>;
  /** Every registry-looking tag name, lightweight ones included (for `#N` counters). */
  tagNames: string[];
  /** The state of every annotated tag; the app uses the honoured ones' (`LoadedRegistry.state`). */
  state: RegistryState;
  /**
   * When GitHub's answer to this load arrived, in this process's order of answers. A later answer
   * almost always shows GitHub no earlier; two requests in flight together can cross (a retried
   * one, say), and then the next registry change puts things right.
   */
  loadOrder: number;
  /**
   * The tag objects the registry was read from, by SHA. The next tag list reuses them and reads
   * only the objects of tags it has not seen, however many tags the registry has.
   */
  objects: ReadonlyMap<string, AnnotatedTag>;
}

/** Whether a registry tag was honoured, and who pushed it or why not (app/tag-verdict.ts reads and writes them). */
export type NotHonouredReason = 'unauthorised' | 'no-push-event' | 'undecided' | 'earlier-failure';

export type TagVerdict =
  { honoured: true; by: string; byApp: boolean } | { honoured: false; reason: NotHonouredReason; by?: string };

export interface AppIdentity {
  id: number;
  slug: string;
  botLogin: string;
}

export interface KnownIssue {
  number: number;
  body: string;
  /** The registry the body shows, when this process wrote it. */
  shows?: { state: RegistryState; stages?: readonly string[]; loadOrder: number; notHonoured?: NotHonouredTag[] };
}

export interface AppRuntime {
  guard: DeliveryGuard;
  /** Registry loads under way, by `owner/repo`, with when each started (app/registry-source.ts). */
  registryLoads: Map<string, { startedAt: number; loading: Promise<RawRegistry> }>;
  /**
   * The newest registry loaded per `owner/repo`, by when GitHub answered (`registries` keeps the
   * last answer stored, which two loads in flight can leave older). Sized like `registries`; its
   * entries share their tag objects with that cache's.
   */
  latestRegistries: LruCache<string, RawRegistry>;
  tagObjects: TagObjectCache;
  /**
   * `owner/repo` -> the tag list's ETag and the registry derived from it, whose tag objects the
   * next list reuses (app/registry-source.ts): a registry larger than `tagObjects` is not read
   * again each time its list changes.
   */
  registries: EtagCache;
  /** `owner/repo` -> the registry issue found or created there. */
  registryIssues: LruCache<string, KnownIssue>;
  /** GET responses by resource, with their ETags, for conditional requests (configs). */
  responses: EtagCache;
  /** Whether each registry tag was honoured, by `owner/repo:tag:sha` (app/tag-verdict.ts). */
  tagVerdicts: LruCache<string, TagVerdict>;
  /** When this process first saw a tag without a `cairn registry` check (its push may be on the way). */
  tagFirstSeen: LruCache<string, number>;
  /** Tags whose push this process is handling now (`owner/repo:tag`): no one else judges them. */
  handlingTags: Set<string>;
  /** How long a tag without a check is given for its push event before it is called missed. */
  missedTagGraceMs: number;
  /** The app's identity, fetched once (app/app-identity.ts). */
  identity?: Promise<AppIdentity>;
  now: () => Date;
}

export interface AppRuntimeOptions {
  /** Delivery ids remembered; default 10,000. */
  deliveries?: number;
  /** Tag objects cached by SHA; default 50,000 (a few MB). */
  tagObjects?: number;
  /** Resources kept for conditional GETs; default 2,000. */
  responses?: number;
  /** Repositories whose registry is kept (with every tag object it was read from); default 1,000. */
  registries?: number;
  /** Tag verdicts remembered, by tag and commit; default 50,000 (one per registry tag in use). */
  tagVerdicts?: number;
  /** Default 60 s: GitHub delivers a push within seconds. */
  missedTagGraceMs?: number;
  now?: () => Date;
}

export function createRuntime(options: AppRuntimeOptions = {}): AppRuntime {
  return {
    guard: new DeliveryGuard(options.deliveries ?? 10_000),
    registryLoads: new Map(),
    latestRegistries: new LruCache<string, RawRegistry>(options.registries ?? 1_000),
    tagObjects: new LruCache<string, AnnotatedTag>(options.tagObjects ?? 50_000),
    registries: new LruCache<string, EtagEntry>(options.registries ?? 1_000),
    registryIssues: new LruCache<string, KnownIssue>(1_000),
    responses: new LruCache<string, EtagEntry>(options.responses ?? 2_000),
    tagVerdicts: new LruCache<string, TagVerdict>(options.tagVerdicts ?? 50_000),
    tagFirstSeen: new LruCache<string, number>(10_000),
    handlingTags: new Set(),
    missedTagGraceMs: options.missedTagGraceMs ?? 60_000,
    now: options.now ?? (() => new Date()),
  };
}

/** What a handler works with for one delivery. */
export interface HandlerContext {
  octokit: GitHubClient;
  /** A client authenticated as the app itself (JWT), for `GET /app`. */
  appClient: () => Promise<GitHubClient>;
  target: RepoTarget;
  runtime: AppRuntime;
  logger: Logger;
  /**
   * When the delivery reached the app (performance.now()). GitHub sends a webhook after the change
   * it reports, so any read of GitHub sent after this moment sees that change.
   */
  receivedAt: number;
}

/** The repository an event is about, as core's helpers take it. */
export interface RepoTarget {
  owner: string;
  repo: string;
  fullName: string;
  defaultBranch: string;
  htmlUrl: string;
}

export function repoTarget(repository: RepositoryPayload): RepoTarget {
  return {
    owner: repository.owner.login,
    repo: repository.name,
    fullName: repository.full_name,
    defaultBranch: repository.default_branch,
    htmlUrl: repository.html_url.replace(/\/+$/, ''),
  };
}

/** Core's Logger on top of the event's pino logger. */
export function eventLogger(context: Context): Logger {
  const log = context.log;
  return {
    debug: (message) => log.debug(message),
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message) => log.error(message),
  };
}

export { statusOf } from '../core/github/index.ts';
