/** The registry and the config of one repository, read through the API. */
import type { RepoConfig } from '../core/config/index.ts';
import {
  conditionalGet,
  type GitHubClient,
  listTagRefs,
  readRepoConfigAt,
  registryTagsFromRefs,
  type TagObjectCache,
} from '../core/github/index.ts';
import { UserError } from '../core/errors.ts';
import {
  isRegistryTag,
  isVersion,
  parseTag,
  registryState,
  type AnnotatedTag,
  type ModelState,
  type RegistryState,
} from '../core/registry/index.ts';
import { judgeTags } from './missed-tags.ts';
import type { AppRuntime, HandlerContext, RawRegistry, RepoTarget, TagVerdict } from './runtime.ts';
import { verdictKey } from './tag-verdict.ts';

/** The registry the app acts on: only tags that were honoured count (app/tag-verdict.ts). */
export interface LoadedRegistry extends RawRegistry {
  /** The state of the honoured tags. */
  state: RegistryState;
  /** Tags left out, with why: not honoured, or not judged yet (their push is being handled, or not looked up yet). */
  notHonoured: Array<{ tag: string; sha: string; verdict?: TagVerdict }>;
  verdictOf(tag: AnnotatedTag): TagVerdict | undefined;
  /** Every tag, as loaded: a later view (after more verdicts) is made from it. */
  all: RawRegistry;
}

let loads = 0;

export interface LoadOptions {
  /** How long a tag without a check waits for its push before it is called missed; default the runtime's. */
  missedTagGraceMs?: number;
  /**
   * How much the event needs each tag's verdict (higher first, 0 for no more than any other): the
   * tags it is about are looked up first, so that the bounded lookups of a load (app/missed-tags.ts)
   * do not leave them out.
   */
  about?: (tag: AnnotatedTag) => number;
}

/** `about` for an event on one model: its tags first, and among them `tags` (a version's, a ref's) before the rest. */
export function aboutModel(
  model: string | undefined,
  tags: (tag: AnnotatedTag) => boolean = () => false,
): (tag: AnnotatedTag) => number {
  return (tag) => (tags(tag) ? 2 : model !== undefined && modelOf(tag.tag) === model ? 1 : 0);
}

/** `about` for an event on one registry tag: its commit first, then its model's tags. */
export function aboutTag(tag: string): (tag: AnnotatedTag) => number {
  return aboutModel(modelOf(tag), (t) => t.tag === tag);
}

function modelOf(tag: string): string | undefined {
  try {
    return parseTag(tag).name;
  } catch {
    return undefined;
  }
}

/**
 * The repository's registry, as GitHub has it at some moment after the delivery reached the app.
 * The tag list is a conditional GET: while no tag changed, GitHub answers 304 and the registry
 * computed from the last list is reused (callers must not modify it). A load of the same
 * repository that started after this delivery arrived, and is still under way, is shared: it sees
 * everything this delivery could, and a busy registry is read once instead of once per delivery.
 * A shared load runs with the client and logger of the delivery that started it, and if it fails,
 * every delivery sharing it fails with it, as if it had made the request itself.
 *
 * Then each tag not judged in this process yet gets its verdict from its `cairn registry` check
 * (one request per commit, once per process, a bounded number of commits per load, `about` first),
 * and tags that never got a push event get their check now (app/missed-tags.ts).
 */
export async function loadRegistry(ctx: HandlerContext, options: LoadOptions = {}): Promise<LoadedRegistry> {
  const raw = await loadRawRegistry(ctx);
  await judgeTags(ctx, raw, options.missedTagGraceMs ?? ctx.runtime.missedTagGraceMs, options.about);
  return honouredView(ctx, raw);
}

async function loadRawRegistry(ctx: HandlerContext): Promise<RawRegistry> {
  const { target, runtime } = ctx;
  const key = target.fullName.toLowerCase();
  const under = runtime.registryLoads.get(key);
  if (under && under.startedAt >= ctx.receivedAt) return under.loading;
  const load = { startedAt: performance.now(), loading: readRegistry(ctx) };
  runtime.registryLoads.set(key, load);
  try {
    const raw = await load.loading;
    const latest = runtime.latestRegistries.get(key);
    if (!latest || latest.loadOrder < raw.loadOrder) runtime.latestRegistries.set(key, raw);
    return raw;
  } finally {
    if (runtime.registryLoads.get(key) === load) runtime.registryLoads.delete(key);
  }
}

/**
 * Where a load looks for tag objects: the last registry of the repository, then the process's LRU.
 * What it finds or reads is recorded as the new registry's `objects`.
 */
function tagObjectsFor(
  runtime: AppRuntime,
  previous: RawRegistry | undefined,
  objects: Map<string, AnnotatedTag>,
): TagObjectCache {
  return {
    get(sha) {
      const tag = previous?.objects.get(sha) ?? runtime.tagObjects.get(sha);
      if (tag) objects.set(sha, tag);
      return tag;
    },
    set(sha, tag) {
      objects.set(sha, tag);
      runtime.tagObjects.set(sha, tag);
    },
  };
}

async function readRegistry({ octokit, target, runtime, logger }: HandlerContext): Promise<RawRegistry> {
  const { owner, repo } = target;
  const key = `${owner}/${repo}/git/matching-refs/tags`.toLowerCase();
  let loadOrder = 0;
  const loaded = await conditionalGet(
    runtime.registries,
    key,
    async (headers) => {
      try {
        return await listTagRefs(octokit, { owner, repo, headers });
      } finally {
        loadOrder = ++loads; // answered, 200 or 304
      }
    },
    async (refs) => {
      const previous = runtime.registries.get(key)?.value as RawRegistry | undefined;
      const objects = new Map<string, AnnotatedTag>();
      const cache = tagObjectsFor(runtime, previous, objects);
      const { annotated, lightweight } = await registryTagsFromRefs(octokit, refs, {
        owner,
        repo,
        include: isRegistryTag,
        cache,
        logger,
      });
      return {
        tags: annotated,
        lightweight,
        tagNames: [...annotated.map((t) => t.tag), ...lightweight.map((t) => t.tag)],
        state: registryState(annotated),
        objects,
      };
    },
  );
  return { ...loaded, loadOrder };
}

/**
 * The registry as the newest load in this process saw it, with the verdicts known now: after a
 * verdict changes, what the registry issue shows is never older than what it showed before.
 */
export function latestView(ctx: HandlerContext, fallback: RawRegistry | LoadedRegistry): LoadedRegistry {
  const latest = ctx.runtime.latestRegistries.get(ctx.target.fullName.toLowerCase());
  const raw = 'all' in fallback ? fallback.all : fallback;
  return honouredView(ctx, latest && latest.loadOrder > raw.loadOrder ? latest : raw);
}

/** Views already computed from one raw registry, by the tags they leave out: most loads change nothing. */
const views = new WeakMap<RawRegistry, Map<string, LoadedRegistry>>();

/**
 * The registry with only honoured tags, and `counting` tags as if honoured (a tag being judged
 * right now, whose own state must include itself).
 */
export function honouredView(
  ctx: HandlerContext,
  registry: RawRegistry | LoadedRegistry,
  counting: readonly string[] = [],
): LoadedRegistry {
  const { runtime, target } = ctx;
  const raw = 'all' in registry ? registry.all : registry;
  const verdictOf = (tag: AnnotatedTag) => runtime.tagVerdicts.get(verdictKey(target.fullName, tag));
  const left = raw.tags.filter((tag) => !counting.includes(tag.tag) && verdictOf(tag)?.honoured !== true);
  const key = left.map((t) => `${t.tag}\n${verdictOf(t) ? JSON.stringify(verdictOf(t)) : ''}`).join('\n');
  let byKey = views.get(raw);
  if (!byKey) views.set(raw, (byKey = new Map()));
  const known = byKey.get(key);
  if (known) return known;
  if (byKey.size >= 8) byKey.clear();
  const leftNames = new Set(left.map((t) => t.tag));
  const view: LoadedRegistry = {
    ...raw,
    state: left.length === 0 ? raw.state : registryState(raw.tags.filter((t) => !leftNames.has(t.tag))),
    notHonoured: left.map((t) => ({ tag: t.tag, sha: t.sha, verdict: verdictOf(t) })),
    verdictOf,
    all: raw,
  };
  byKey.set(key, view);
  return view;
}

/** `.github/cairn.yml` at `ref`; its absence is a UserError here, since every registry action needs it. */
export async function requireConfig(
  octokit: GitHubClient,
  target: RepoTarget,
  ref: string,
  runtime: AppRuntime,
): Promise<RepoConfig> {
  const config = await readRepoConfigAt(octokit, {
    owner: target.owner,
    repo: target.repo,
    ref,
    cache: runtime.responses,
  });
  if (!config) {
    throw new UserError(
      `${target.fullName} has no .github/cairn.yml at ${ref.length === 40 ? ref.slice(0, 7) : ref}: add one that lists the model under models: and its stages under stages:`,
    );
  }
  return config;
}

/** The stage's settings, or a UserError listing the stages the config has. */
export function requireStage(config: RepoConfig, stage: string): RepoConfig['stages'][string] {
  if (Object.hasOwn(config.stages, stage)) return config.stages[stage];
  const known = Object.keys(config.stages);
  throw new UserError(
    `stage "${stage}" is not in .github/cairn.yml stages (${known.length > 0 ? `known: ${known.join(', ')}` : 'none are defined'}); add stages.${stage} or use a known stage`,
  );
}

/** The model's settings, or a UserError listing the models the config has. */
export function requireModel(config: RepoConfig, name: string): RepoConfig['models'][string] {
  if (Object.hasOwn(config.models, name)) return config.models[name];
  const known = Object.keys(config.models);
  throw new UserError(
    `model "${name}" is not in .github/cairn.yml models (${known.length > 0 ? `known: ${known.join(', ')}` : 'none are defined'}); add models.${name} or fix the tag`,
  );
}

/** The deploy workflow of a stage: its own, else `deploy.workflow`. */
export function deployWorkflow(config: RepoConfig, stage: string): string | undefined {
  return (Object.hasOwn(config.stages, stage) ? config.stages[stage].workflow : undefined) ?? config.deploy?.workflow;
}

/** The version that held `stage` before the current holder, and is still active. */
export function previousHolder(model: ModelState, stage: string): { version: string; sha: string } | undefined {
  const holder = model.stages[stage];
  if (!holder) return undefined;
  const active = new Map(
    model.versions.filter((v) => v.active && isVersion(v.version)).map((v) => [`${v.version}@${v.sha}`, v]),
  );
  const assignments = model.history.filter(
    (h) => h.event === 'assignment' && h.stage === stage && h.version !== undefined,
  );
  for (const entry of [...assignments].reverse()) {
    if (entry.version === holder.version && entry.sha === holder.sha) continue;
    const version = active.get(`${entry.version}@${entry.sha}`);
    if (version) return { version: version.version, sha: version.sha };
  }
  return undefined;
}
