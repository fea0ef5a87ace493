/**
 * `.github/cairn.yml` read through the API at one commit, for front doors that have no checkout
 * (the app). Validated exactly as the local file is; a missing file is `undefined`.
 */
import { configTooLarge, parseRepoConfig, type RepoConfig } from '../config/index.ts';
import { isUserError, UserError } from '../errors.ts';
import { conditionalGet, type EtagCache } from './conditional-get.ts';
import type { GitHubClient } from './octokit.ts';
import { statusOf } from './status.ts';

export const REPO_CONFIG_PATH = '.github/cairn.yml';

/** A config that could not be used, kept as such: the same file is not parsed again to fail again. */
class Refused {
  constructor(readonly error: UserError) {}
}

/**
 * With `cache`, a repeated read is a conditional GET and an unchanged file is not parsed again; nor
 * is the same file at another commit (most commits leave it as it was): parsed configs are also
 * kept by blob SHA. A file that was refused (too large, not YAML, not valid) is kept as refused
 * the same way, and every read of it throws the same error again without parsing it.
 */
export async function readRepoConfigAt(
  octokit: GitHubClient,
  options: { owner: string; repo: string; ref: string; cache?: EtagCache },
): Promise<RepoConfig | undefined> {
  const { owner, repo, ref, cache } = options;
  const parseOnce = (data: ContentData): RepoConfig | Refused => {
    const sha = !Array.isArray(data) && data.type === 'file' ? data.sha : undefined;
    const blob = sha ? `${owner}/${repo}/git/blobs/${sha}` : undefined;
    const known = blob ? cache?.get(blob) : undefined;
    if (known) return known.value as RepoConfig | Refused;
    let value: RepoConfig | Refused;
    try {
      value = parseContent(data, ref);
    } catch (error) {
      if (!isUserError(error)) throw error;
      value = new Refused(error);
    }
    if (blob && sha) cache?.set(blob, { etag: sha, value });
    return value;
  };
  let value: RepoConfig | Refused;
  try {
    value = await conditionalGet(
      cache,
      `${owner}/${repo}/contents/${REPO_CONFIG_PATH}@${ref}`,
      (headers) => octokit.rest.repos.getContent({ owner, repo, path: REPO_CONFIG_PATH, ref, headers }),
      parseOnce,
    );
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  // A new error each time (the message names the commit the file was first read at).
  if (value instanceof Refused) throw new UserError(value.error.message, { cause: value.error });
  return value;
}

type ContentData = Awaited<ReturnType<GitHubClient['rest']['repos']['getContent']>>['data'];

function parseContent(data: ContentData, ref: string): RepoConfig {
  if (Array.isArray(data) || data.type !== 'file') {
    throw new UserError(`${REPO_CONFIG_PATH} at ${ref.slice(0, 12)} is not a file: make it a YAML file`);
  }
  // By its size, before decoding: GitHub leaves `content` empty past 1 MB anyway.
  const tooLarge = configTooLarge(data.size, `${REPO_CONFIG_PATH} at ${ref.slice(0, 12)}`);
  if (tooLarge) throw tooLarge;
  if (!('content' in data) || (data.size > 0 && !data.content)) {
    throw new UserError(
      `${REPO_CONFIG_PATH} at ${ref.slice(0, 12)} came without its content (${data.size} bytes); GitHub sends files under 1 MB with their content`,
    );
  }
  const text = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
  return parseRepoConfig(text, `${REPO_CONFIG_PATH} (${ref.slice(0, 12)})`);
}
