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
  const pr = env.event.pull_request as PullRequestPayload | undefined;
  if (!pr) return { headSha: env.sha, fromFork: false };
  const headRepo = pr.head?.repo?.full_name;
  const baseRepo = pr.base?.repo?.full_name ?? env.repository;
  return {
    issueNumber: pr.number,
    // On pull_request events GITHUB_SHA is the merge commit; the check belongs on the PR's head.
    headSha: pr.head?.sha ?? env.sha,
    // A deleted fork has head.repo null: treat it as a fork, the safe side.
    fromFork: headRepo === undefined || headRepo !== baseRepo,
  };
}
