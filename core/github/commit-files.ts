/**
 * A commit made through GitHub's Git Data API (blobs, a tree on top of the parent's, the commit), the
 * way a bot commits without a checkout. With a GitHub App's installation token GitHub signs such a
 * commit (it shows as Verified), which a `git push` from the runner cannot give, and the checkout
 * never has to hold a write credential (`persist-credentials: false` stays true).
 */
import type { GitHubClient } from './octokit.ts';
import { statusOf } from './status.ts';

export interface FileToCommit {
  /** Repository-relative, `/`-separated. */
  path: string;
  content: Uint8Array;
}

export interface CommitFilesOptions {
  owner: string;
  repo: string;
  /** The commit the new one goes on top of. */
  parent: string;
  files: readonly FileToCommit[];
  message: string;
}

export interface CommittedFiles {
  sha: string;
  /** False when the files were already so on `parent`: no commit was made and `sha` is the parent. */
  changed: boolean;
}

export async function commitFiles(octokit: GitHubClient, options: CommitFilesOptions): Promise<CommittedFiles> {
  const { owner, repo, parent } = options;
  const { data: parentCommit } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: parent });
  const tree = [];
  // One at a time: GitHub asks integrations to make content-creating requests serially.
  for (const file of options.files) {
    const { data: blob } = await octokit.rest.git.createBlob({
      owner,
      repo,
      content: Buffer.from(file.content).toString('base64'),
      encoding: 'base64',
    });
    tree.push({ path: file.path, mode: '100644' as const, type: 'blob' as const, sha: blob.sha });
  }
  const { data: newTree } = await octokit.rest.git.createTree({
    owner,
    repo,
    base_tree: parentCommit.tree.sha,
    tree,
  });
  if (newTree.sha === parentCommit.tree.sha) return { sha: parent, changed: false };
  const { data: commit } = await octokit.rest.git.createCommit({
    owner,
    repo,
    message: options.message,
    tree: newTree.sha,
    parents: [parent],
  });
  return { sha: commit.sha, changed: true };
}

/** The commit a branch points at, or undefined when there is no such branch. */
export async function branchHead(
  octokit: GitHubClient,
  options: { owner: string; repo: string; branch: string },
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({
      owner: options.owner,
      repo: options.repo,
      ref: `heads/${options.branch}`,
    });
    return data.object.sha;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
