import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { UserError } from '../../core/errors.ts';

/**
 * A fork's pull-request run cannot write to the PR, so it hands its report over as an artifact, and a
 * `workflow_run` workflow in the base repository posts it. The artifact is written by the fork's
 * code: everything in it is untrusted and is checked before use (see verifyHandoff in run.ts).
 */
export interface Handoff {
  pr_number: number;
  head_sha: string;
  metrics: string;
  baseline?: string;
}

/** The two artifact operations the report action needs; the runner's artifact service in production. */
export interface ArtifactStore {
  upload(name: string, files: Record<string, string>): Promise<void>;
  /** Downloads artifact `name` of workflow run `runId` and returns its folder. */
  download(name: string, runId: number, token: string, owner: string, repo: string): Promise<string>;
}

export function runnerArtifactStore(): ArtifactStore {
  const client = new DefaultArtifactClient();
  return {
    async upload(name, files) {
      const dir = await mkdtemp(join(tmpdir(), 'cairn-handoff-'));
      const paths = await Promise.all(
        Object.entries(files).map(async ([file, text]) => (await writeFile(join(dir, file), text), join(dir, file))),
      );
      await client.uploadArtifact(name, paths, dir, { retentionDays: 7 });
    },
    async download(name, runId, token, owner, repo) {
      const findBy = { token, workflowRunId: runId, repositoryOwner: owner, repositoryName: repo };
      const { artifact } = await client.getArtifact(name, { findBy });
      const path = await mkdtemp(join(tmpdir(), 'cairn-handoff-'));
      await client.downloadArtifact(artifact.id, { path, findBy });
      return path;
    },
  };
}

export const HANDOFF_FILE = 'cairn-handoff.json';

export async function readHandoff(dir: string, artifact: string): Promise<Handoff> {
  let value: Partial<Handoff>;
  try {
    value = JSON.parse(await readFile(join(dir, HANDOFF_FILE), 'utf8')) as Partial<Handoff>;
  } catch (error) {
    throw new UserError(
      `artifact "${artifact}" has no readable ${HANDOFF_FILE}; it must be uploaded by actions/report on the fork's pull-request run.`,
      { cause: error },
    );
  }
  if (!Number.isInteger(value.pr_number) || typeof value.head_sha !== 'string' || typeof value.metrics !== 'string') {
    throw new UserError(`artifact "${artifact}": ${HANDOFF_FILE} lacks pr_number, head_sha or metrics.`);
  }
  return value as Handoff;
}
