/**
 * One comment per model on a pull request, updated in place on every run. Our comment is found by
 * a hidden marker line (`<!-- cairn:<model>:metrics -->`) searched on every page of comments:
 * CML only looked at the first page, so busy PRs grew a second report. It must also be written by
 * us (identity.ts): anyone can paste the marker into a comment of their own, and we must neither
 * edit theirs nor take it for our report; a new comment is made instead.
 */
import { isAuthor } from './identity.ts';
import type { GitHubClient } from './octokit.ts';
import { COMMENT_BODY_LIMIT, truncateText } from '../report/index.ts';

export interface StickyCommentOptions {
  owner: string;
  repo: string;
  /** Pull requests are issues: the PR number. */
  issueNumber: number;
  /** Hidden HTML comment that identifies our comment; the body gets it as its first line if missing. */
  marker: string;
  /** The login our token writes as (identity.ts): only a marked comment by this author is ours. */
  author: string;
  body: string;
}

export interface StickyCommentResult {
  id: number;
  url: string;
  action: 'created' | 'updated' | 'unchanged';
}

/**
 * True when `body` has `marker` on a line of its own. A reply that quotes our comment holds the
 * marker after `> `, and must not be mistaken for ours.
 */
export function hasMarkerLine(body: string | null | undefined, marker: string): boolean {
  return (body ?? '').split(/\r?\n/).some((line) => line.trim() === marker);
}

/**
 * The body as posted: `marker` on a line of its own (first, unless the body has it already), the
 * whole within GitHub's comment limit. A longer body is cut with a note, after the marker, so the
 * comment is still found by it.
 */
export function withMarker(body: string, marker: string): string {
  const marked = hasMarkerLine(body, marker) ? body : `${marker}\n${body}`;
  if (marked.length <= COMMENT_BODY_LIMIT) return marked;
  const rest = body
    .split('\n')
    .filter((line) => line.trim() !== marker)
    .join('\n');
  return `${marker}\n${truncateText(rest, COMMENT_BODY_LIMIT - marker.length - 1, '… (cut to fit a GitHub comment)')}`;
}

interface FoundComment {
  id: number;
  body?: string;
  html_url: string;
}

// The OpenAPI types say `number | bigint` for int64 ids; comment ids fit a double for ages yet.
const toId = (id: number | bigint) => Number(id);

export async function findStickyComment(
  octokit: GitHubClient,
  options: Omit<StickyCommentOptions, 'body'>,
): Promise<FoundComment | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: options.owner,
    repo: options.repo,
    issue_number: options.issueNumber,
    per_page: 100,
  });
  // Stop at the first page that has it: the oldest marked comment is the one people have seen.
  for await (const { data } of pages) {
    const found = data.find(
      (comment) => hasMarkerLine(comment.body, options.marker) && isAuthor(comment.user, options.author),
    );
    if (found) return { id: toId(found.id), body: found.body, html_url: found.html_url };
  }
  return undefined;
}

export async function upsertStickyComment(
  octokit: GitHubClient,
  options: StickyCommentOptions,
): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber } = options;
  const body = withMarker(options.body, options.marker);
  const existing = await findStickyComment(octokit, options);
  if (!existing) {
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return { id: toId(data.id), url: data.html_url, action: 'created' };
  }
  if (existing.body === body) return { id: existing.id, url: existing.html_url, action: 'unchanged' };
  const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
  return { id: toId(data.id), url: data.html_url, action: 'updated' };
}
