/**
 * workflow_dispatch of a deploy workflow. GitHub's refusals (no such workflow on that ref, no
 * workflow_dispatch trigger, inputs the workflow does not declare) become UserErrors that say
 * what to change in the repository.
 */
import { UserError } from '../errors.ts';
import type { GitHubClient } from './octokit.ts';
import { statusOf } from './status.ts';

export interface DispatchOptions {
  owner: string;
  repo: string;
  /** The workflow file name, e.g. `deploy.yml`. */
  workflow: string;
  /** Branch or tag the workflow runs on (its file is read from there). */
  ref: string;
  inputs: Record<string, string>;
}

function githubMessage(error: unknown): string {
  return (error as { response?: { data?: { message?: string } } }).response?.data?.message ?? (error as Error).message;
}

export async function dispatchWorkflow(octokit: GitHubClient, options: DispatchOptions): Promise<void> {
  const { owner, repo, workflow, ref, inputs } = options;
  try {
    await octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: workflow, ref, inputs });
  } catch (error) {
    const where = `.github/workflows/${workflow} on ${ref}`;
    if (statusOf(error) === 404) {
      throw new UserError(
        `GitHub found no workflow ${where}: the workflow file must exist in the tagged commit (and be on the default branch once)`,
        { cause: error },
      );
    }
    if (statusOf(error) === 422) {
      throw new UserError(
        `GitHub refused to dispatch ${where}: ${githubMessage(error)}. The workflow needs an \`on: workflow_dispatch\` trigger declaring the inputs ${Object.keys(inputs).join(', ')}`,
        { cause: error },
      );
    }
    throw error;
  }
}
