/** One GitHub Release per registered version, created once: a redelivered tag push finds it there. */
import type { GitHubClient } from './octokit.ts';
import { truncateText } from '../report/index.ts';
import { statusOf } from './status.ts';

/** GitHub rejects release bodies longer than this many characters. */
export const RELEASE_BODY_LIMIT = 125_000;

export interface EnsureReleaseOptions {
  owner: string;
  repo: string;
  tag: string;
  name: string;
  body: string;
  prerelease?: boolean;
}

export interface EnsureReleaseResult {
  id: number;
  url: string;
  action: 'created' | 'exists';
}

async function findRelease(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  tag: string,
): Promise<EnsureReleaseResult | undefined> {
  try {
    const { data } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag });
    return { id: Number(data.id), url: data.html_url, action: 'exists' };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Creates the release for `tag` unless one exists; an existing release is left as people may have
 * edited it. The create comes first: GitHub refuses a second release for a tag (422), and only then
 * is the existing one looked up, so a new version costs one request.
 */
export async function ensureRelease(
  octokit: GitHubClient,
  options: EnsureReleaseOptions,
): Promise<EnsureReleaseResult> {
  const { owner, repo, tag } = options;
  try {
    const { data } = await octokit.rest.repos.createRelease({
      owner,
      repo,
      tag_name: tag,
      name: options.name,
      body: truncateText(options.body, RELEASE_BODY_LIMIT, '… (truncated to fit a GitHub release)'),
      prerelease: options.prerelease ?? false,
    });
    return { id: Number(data.id), url: data.html_url, action: 'created' };
  } catch (error) {
    if (statusOf(error) === 422) {
      const existing = await findRelease(octokit, owner, repo, tag);
      if (existing) return existing;
    }
    throw error;
  }
}
