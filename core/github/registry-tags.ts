/**
 * The model registry read from and written to GitHub's git database: tag refs and annotated tag
 * objects, the same data `git for-each-ref` gives locally. Tag objects never change, so they are
 * cached by SHA and a busy repository costs one list request per event plus new tags only (the app
 * makes that request conditional: app/registry-source.ts).
 */
import pLimit from 'p-limit';
import { UserError } from '../errors.ts';
import { silentLogger, type Logger } from '../logger.ts';
import type { AnnotatedTag } from '../registry/index.ts';
import type { GitHubClient } from './octokit.ts';
import { statusOf } from './status.ts';

/** Where tag objects are kept between calls: any Map-like store (the app passes an LRU). */
export interface TagObjectCache {
  get(sha: string): AnnotatedTag | undefined;
  set(sha: string, tag: AnnotatedTag): unknown;
}

export interface RegistryTagsOptions {
  owner: string;
  repo: string;
  /** Only tags whose name passes are read (the registry's cheap pre-filter); default all. */
  include?: (tag: string) => boolean;
  cache?: TagObjectCache;
  logger?: Logger;
  /** Tag objects fetched at once. */
  concurrency?: number;
}

export interface RegistryTags {
  annotated: AnnotatedTag[];
  /** Included tags that point straight at a commit: git's lightweight tags, which GTO ignores. */
  lightweight: Array<{ tag: string; sha: string }>;
}

/** Nested tags (a tag of a tag) are followed this far before giving up. */
const MAX_TAG_DEPTH = 5;

function messageOf(error: unknown): string {
  const data = (error as { response?: { data?: { message?: string; errors?: Array<{ message?: string } | string> } } })
    .response?.data;
  const details = (data?.errors ?? []).map((e) => (typeof e === 'string' ? e : e.message)).filter(Boolean);
  return [data?.message ?? (error as Error).message, ...details].join(': ');
}

/** `refs/tags/a/b` -> `a/b`. */
function tagName(ref: string): string {
  return ref.replace(/^refs\/tags\//, '');
}

async function readTagObject(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  tag: string,
  sha: string,
  cache: TagObjectCache | undefined,
): Promise<AnnotatedTag | undefined> {
  const cached = cache?.get(sha);
  if (cached) return cached;
  let objectSha = sha;
  for (let depth = 0; depth < MAX_TAG_DEPTH; depth++) {
    const { data } = await octokit.rest.git.getTag({ owner, repo, tag_sha: objectSha });
    if (data.object.type === 'tag') {
      objectSha = data.object.sha;
      continue;
    }
    if (data.object.type !== 'commit') return undefined; // a tag of a tree or blob is not a model version
    const annotated: AnnotatedTag = {
      tag,
      sha: data.object.sha,
      taggedAt: data.tagger.date,
      tagger: { name: data.tagger.name, email: data.tagger.email },
      message: data.message,
      object: sha,
    };
    cache?.set(sha, annotated);
    return annotated;
  }
  return undefined;
}

export type TagRef = Awaited<ReturnType<GitHubClient['rest']['git']['listMatchingRefs']>>['data'][number];

/**
 * Every tag ref of the repository (`git/matching-refs/tags` has no pages). `headers` carries
 * If-None-Match for a conditional GET: a 304 is thrown as Octokit throws it. On a registry of
 * hundreds of tags this is the largest answer the app reads; the app's Octokit parses it with
 * JSON.parse (app/octokit.ts).
 */
export async function listTagRefs(
  octokit: GitHubClient,
  options: { owner: string; repo: string; headers?: Record<string, string> },
): Promise<{ data: TagRef[]; headers: { etag?: string } }> {
  const { owner, repo, headers } = options;
  // The response itself, not a copy of its `data`: a client that parses bodies when first read
  // (the app's) then parses a list only when its ETag is new.
  return octokit.rest.git.listMatchingRefs({ owner, repo, ref: 'tags', headers });
}

/**
 * The registry tags among `refs` (the answer of `git/matching-refs/tags`, which lists every matching
 * ref at once): annotated ones read into AnnotatedTag, tag objects as needed; lightweight ones
 * listed apart so a caller can tell the user why such a tag does nothing.
 */
export async function registryTagsFromRefs(
  octokit: GitHubClient,
  refs: readonly TagRef[],
  options: RegistryTagsOptions,
): Promise<RegistryTags> {
  const { owner, repo, cache } = options;
  const logger = options.logger ?? silentLogger;
  const include = options.include ?? (() => true);
  const wanted = refs.filter((ref) => ref.ref.startsWith('refs/tags/') && include(tagName(ref.ref)));
  const lightweight = wanted
    .filter((ref) => ref.object.type === 'commit')
    .map((ref) => ({ tag: tagName(ref.ref), sha: ref.object.sha }));
  const limit = pLimit(options.concurrency ?? 8);
  // Cached tag objects are taken synchronously, and only the others awaited: a registry of hundreds
  // of tags usually has one new one.
  const read: Array<AnnotatedTag | undefined> = [];
  const fetches: Array<Promise<void>> = [];
  for (const ref of wanted) {
    if (ref.object.type !== 'tag') continue;
    const cached = cache?.get(ref.object.sha);
    if (cached) {
      read.push(cached);
      continue;
    }
    const slot = read.push(undefined) - 1;
    fetches.push(
      limit(() => readTagObject(octokit, owner, repo, tagName(ref.ref), ref.object.sha, cache)).then(
        (tag) => void (read[slot] = tag),
      ),
    );
  }
  await Promise.all(fetches);
  const annotated = read.filter((tag): tag is AnnotatedTag => tag !== undefined);
  logger.debug(`${owner}/${repo}: ${annotated.length} annotated and ${lightweight.length} lightweight registry tags`);
  return { annotated, lightweight };
}

/** The one tag `name`, or undefined when the repository has no such tag. */
export async function readRegistryTag(
  octokit: GitHubClient,
  options: { owner: string; repo: string; tag: string; cache?: TagObjectCache },
): Promise<AnnotatedTag | { lightweight: true; sha: string } | undefined> {
  const { owner, repo, tag, cache } = options;
  let ref;
  try {
    ({ data: ref } = await octokit.rest.git.getRef({ owner, repo, ref: `tags/${tag}` }));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  if (ref.object.type === 'commit') return { lightweight: true, sha: ref.object.sha };
  return readTagObject(octokit, owner, repo, tag, ref.object.sha, cache);
}

export interface CreateTagOptions {
  owner: string;
  repo: string;
  tag: string;
  /** The commit the tag points at. */
  sha: string;
  message: string;
  /** Defaults to the identity of the token (the app's bot) and the current time. */
  tagger?: { name: string; email: string; date?: string };
  cache?: TagObjectCache;
}

/**
 * Creates an annotated tag as `git tag -a` + `git push` would: a tag object, then the ref. When
 * the ref already exists on the same commit (a retried request), that tag is returned with
 * `created: false`; on another commit it is a UserError, since registry tags never move.
 */
export async function createAnnotatedTag(
  octokit: GitHubClient,
  options: CreateTagOptions,
): Promise<{ tag: AnnotatedTag; created: boolean }> {
  const { owner, repo, tag, sha } = options;
  const { data: object } = await octokit.rest.git.createTag({
    owner,
    repo,
    tag,
    message: options.message,
    object: sha,
    type: 'commit',
    ...(options.tagger ? { tagger: options.tagger } : {}),
  });
  try {
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/tags/${tag}`, sha: object.sha });
  } catch (error) {
    if (statusOf(error) !== 422 || !/already exists/i.test(messageOf(error))) throw error;
    const existing = await readRegistryTag(octokit, { owner, repo, tag, cache: options.cache });
    if (existing && !('lightweight' in existing) && existing.sha === sha) return { tag: existing, created: false };
    throw new UserError(
      `tag ${tag} already exists in ${owner}/${repo} on another commit; registry tags never move, so nothing was changed`,
      { cause: error },
    );
  }
  const created: AnnotatedTag = {
    tag,
    sha,
    taggedAt: object.tagger.date,
    tagger: { name: object.tagger.name, email: object.tagger.email },
    message: object.message,
    object: object.sha,
  };
  options.cache?.set(object.sha, created);
  return { tag: created, created: true };
}
