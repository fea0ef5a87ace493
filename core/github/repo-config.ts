/**
 * `.github/cairn.yml` read through the API at one commit, for front doors that have no checkout
 * (the app). Validated exactly as the local file is; a missing file is `undefined`.
 */
import { parseRepoConfig, type RepoConfig } from '../config/parse.ts';
import { UserError } from '../errors.ts';
import { conditionalGet, type EtagCache } from './conditional-get.ts';
import type { GitHubClient } from './octokit.ts';
import { statusOf } from './status.ts';

export const REPO_CONFIG_PATH = '.github/cairn.yml';

/**
 * With `cache`, a repeated read is a conditional GET and an unchanged file is not parsed again; nor
 * is the same file at another commit (most commits leave it as it was): parsed configs are also
 * kept by blob SHA.
 */
export async function readRepoConfigAt(octokit: GitHubClient, options: { owner: string; repo: string; ref: string; cache?: EtagCache }): Promise<RepoConfig | undefined> {
  const { owner, repo, ref, cache } = options;
  const parseOnce = (data: ContentData): RepoConfig => {
    const sha = !Array.isArray(data) && data.type === 'file' ? data.sha : undefined;
    const blob = sha ? `${owner}/${repo}/git/blobs/${sha}` : undefined;
    const known = blob ? cache?.get(blob) : undefined;
    if (known) return known.value as RepoConfig;
    const config = parseContent(data, ref);
    if (blob && sha) cache?.set(blob, { etag: sha, value: config });
    return config;
  };
  try {
    return await conditionalGet(
      cache,
      `${owner}/${repo}/contents/${REPO_CONFIG_PATH}@${ref}`,
      (headers) => octokit.rest.repos.getContent({ owner, repo, path: REPO_CONFIG_PATH, ref, headers }),
      parseOnce,
    );
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

type ContentData = Awaited<ReturnType<GitHubClient['rest']['repos']['getContent']>>['data'];

function parseContent(data: ContentData, ref: string): RepoConfig {
  if (Array.isArray(data) || data.type !== 'file') {
    throw new UserError(`${REPO_CONFIG_PATH} at ${ref.slice(0, 12)} is not a file: make it a YAML file`);
  }
  // GitHub leaves `content` empty for files over 1 MB; no sensible config is that large.
  if (!('content' in data) || (data.size > 0 && !data.content)) {
    throw new UserError(`${REPO_CONFIG_PATH} at ${ref.slice(0, 12)} is too large to read through the API (${data.size} bytes); keep it under 1 MB`);
  }
  const text = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
  return parseRepoConfig(text, `${REPO_CONFIG_PATH} (${ref.slice(0, 12)})`);
}
