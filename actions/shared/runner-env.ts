/**
 * Every environment variable the actions read, in one place. The runner sets these; see
 * https://docs.github.com/actions/reference/variables-reference. Inputs (INPUT_*) are read through
 * @actions/core, never here. Two groups are passed to core whole (process.env) and documented where
 * they are read: the AWS variables of s3:// remotes (core/store/s3-client.ts) and the cache folder's
 * CAIRN_CACHE_DIR / XDG_CACHE_HOME (core/store/cache-dir.ts); @actions/cache reads its own.
 */
import { readFileSync } from 'node:fs';

export interface RunnerEnv {
  /** owner/name of the repository the workflow runs in. */
  repository?: string;
  eventName?: string;
  /** The webhook payload that triggered the run (GITHUB_EVENT_PATH). */
  event: Record<string, unknown>;
  sha?: string;
  ref?: string;
  serverUrl: string;
  apiUrl: string;
  runId?: string;
  /** Temp folder that the runner empties after the job. */
  runnerTemp?: string;
  workspace?: string;
}

export function readRunnerEnv(env: NodeJS.ProcessEnv = process.env): RunnerEnv {
  let event: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch {
      event = {}; // a run without an event file (local runs) simply has no pull-request context
    }
  }
  return {
    repository: env.GITHUB_REPOSITORY,
    eventName: env.GITHUB_EVENT_NAME,
    event,
    sha: env.GITHUB_SHA,
    ref: env.GITHUB_REF,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    runId: env.GITHUB_RUN_ID,
    runnerTemp: env.RUNNER_TEMP,
    workspace: env.GITHUB_WORKSPACE,
  };
}

export function splitRepository(repository: string | undefined): { owner: string; repo: string } | undefined {
  const [owner, repo] = repository?.split('/') ?? [];
  return owner && repo ? { owner, repo } : undefined;
}

/** The link to this run's page, where the job summary is shown. */
export function runUrl(env: RunnerEnv): string | undefined {
  return env.repository && env.runId ? `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}` : undefined;
}
