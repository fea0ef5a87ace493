/**
 * What the actions read from the runner. The event (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH), the
 * repository, SHA, ref, run id and the server and API URLs come from @actions/github's `context`, as
 * in any JavaScript action (https://docs.github.com/actions/reference/variables-reference); this file
 * adds only what `context` lacks:
 *
 *   RUNNER_TEMP        a temp folder the runner empties after the job
 *   GITHUB_WORKSPACE   the checkout, where the runner starts each step
 *
 * Inputs (INPUT_*) are read through @actions/core, never here, and GITHUB_STEP_SUMMARY through
 * actions/shared/job-summary.ts. Three groups are passed to core whole (process.env) and documented
 * where they are read: the AWS variables of s3:// remotes (core/store/s3-client.ts), the cache
 * folder's CAIRN_CACHE_DIR / XDG_CACHE_HOME (core/store/cache-dir.ts), and the proxy's HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY with their lower-case forms (core/net, for GitHub and S3 requests alike);
 * @actions/cache and @actions/artifact read their own. actions/train also passes PATH (where
 * nvidia-smi is found), CAIRN_RUNNER_LABELS (set by `cairn runner` for its jobs) and
 * CAIRN_NVIDIA_PROC_ROOT (the driver's /proc folder, default /proc/driver/nvidia; tests point it at
 * an empty one) to core/train.
 */
import { context as importedContext } from '@actions/github';

/** @actions/github's context: payload, eventName, sha, ref, runId, serverUrl, apiUrl, repo. */
export type RunnerContext = typeof importedContext;

export interface RunnerEnv {
  context: RunnerContext;
  /** The repository the workflow runs in; undefined when the runner names none. */
  repo?: { owner: string; repo: string };
  runnerTemp?: string;
  workspace?: string;
}

/**
 * The runner's context as the environment is now. @actions/github reads it once, when imported;
 * an action reads it afresh in its run(), so that tests can run an action in-process under changing
 * variables. The package exports the instance, not its class.
 */
export function runnerContext(): RunnerContext {
  return new (importedContext.constructor as new () => RunnerContext)();
}

export function readRunnerEnv(): RunnerEnv {
  const context = runnerContext();
  return { context, repo: repositoryOf(context), ...runnerPaths() };
}

/** The runner's folders alone, for an action that needs no event. */
export function runnerPaths(env: NodeJS.ProcessEnv = process.env): { runnerTemp?: string; workspace?: string } {
  return { runnerTemp: env.RUNNER_TEMP, workspace: env.GITHUB_WORKSPACE };
}

/** `context.repo` without its throw: a local run may name no repository. */
function repositoryOf(context: RunnerContext): { owner: string; repo: string } | undefined {
  try {
    const { owner, repo } = context.repo;
    return owner && repo ? { owner, repo } : undefined;
  } catch {
    return undefined;
  }
}

/** The link to this run's page, where the job summary is shown. */
export function runUrl(env: RunnerEnv): string | undefined {
  const { serverUrl, runId } = env.context;
  return env.repo && Number.isFinite(runId)
    ? `${serverUrl}/${env.repo.owner}/${env.repo.repo}/actions/runs/${runId}`
    : undefined;
}
