import type { RunnerEnv } from '../shared/runner-env.ts';

/** Where the report goes: the pull request (if any) and the commit the check run is attached to. */
export interface ReportTarget {
  issueNumber?: number;
  headSha?: string;
  /** The pull request comes from a fork: GITHUB_TOKEN is read-only and secrets are withheld. */
  fromFork: boolean;
}

interface PullRequestPayload {
  number?: number;
  head?: { sha?: string; repo?: { full_name?: string } | null };
  base?: { repo?: { full_name?: string } };
}

export function reportTargetFromEvent(env: RunnerEnv): ReportTarget {
  const { payload, sha } = env.context;
  const pr = payload.pull_request as PullRequestPayload | undefined;
  if (!pr) return { headSha: sha, fromFork: false };
  const headRepo = pr.head?.repo?.full_name;
  const baseRepo = pr.base?.repo?.full_name ?? (env.repo && `${env.repo.owner}/${env.repo.repo}`);
  return {
    issueNumber: pr.number,
    // On pull_request events GITHUB_SHA is the merge commit; the check belongs on the PR's head.
    headSha: pr.head?.sha ?? sha,
    // A deleted fork has head.repo null: treat it as a fork, the safe side.
    fromFork: headRepo === undefined || headRepo !== baseRepo,
  };
}
