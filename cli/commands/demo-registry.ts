/**
 * The demo's tag journey: a local git repository holding the example, where the pull request's model
 * is registered as churn v1.0.0, its bytes pushed to the demo's file remote, and the version assigned
 * to production; then the registry is shown. The same planning and git code as `cairn registry`.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { copyAtomic } from '../../core/atomic-write.ts';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../core/logger.ts';
import {
  applyPlannedTags,
  gitIdentity,
  listTagNames,
  planAssignment,
  type PlanContext,
  planRegistration,
  readAnnotatedTags,
  registryState,
  resolveCommit,
} from '../../core/registry/index.ts';
import { type ObjectStore, pushModelArtifact } from '../../core/store/index.ts';
import type { CliIO } from '../io.ts';
import { registryCommand } from './registry.ts';

const run = promisify(execFile);

export interface TagJourney {
  repoDir: string;
  tags: string[];
}

export async function runTagJourney(options: {
  repoDir: string;
  example: string;
  modelFile: string;
  store: ObjectStore;
  logger: Logger;
  io: CliIO;
}): Promise<TagJourney> {
  const { repoDir, logger, io } = options;
  const git = (args: string[]) => run('git', args, { cwd: repoDir, env: io.env });
  await mkdir(join(repoDir, '.github'), { recursive: true });
  await copyAtomic(join(options.example, '.github', 'cairn.yml'), join(repoDir, '.github', 'cairn.yml'));
  await copyAtomic(options.modelFile, join(repoDir, 'model.onnx'));
  await git(['init', '--quiet']);
  // This repository's own identity and no signing, whatever the user's global git config says.
  for (const [key, value] of [
    ['user.name', 'Cairn demo'],
    ['user.email', 'demo@cairn.invalid'],
    ['commit.gpgsign', 'false'],
    ['tag.gpgsign', 'false'],
  ]) {
    await git(['config', key, value]);
  }
  await git(['add', '.']);
  await git(['commit', '--quiet', '-m', 'churn model from the pull request']);

  const options_ = { env: io.env };
  const identity = await gitIdentity(repoDir, options_);
  const context = async (why: string): Promise<PlanContext> => ({
    state: registryState(await readAnnotatedTags(repoDir, options_)),
    tagNames: await listTagNames(repoDir, options_),
    by: `${identity.name} <${identity.email}>`,
    why,
  });
  const sha = await resolveCommit(repoDir, 'HEAD', options_);

  const registration = planRegistration(await context('The pull request passed its gate.'), {
    name: 'churn',
    sha,
    version: 'v1.0.0',
  });
  await applyPlannedTags(repoDir, registration, options_);
  logger.info(
    `registered churn v1.0.0: tag ${registration.map((t) => t.tag).join(', ')}, as \`cairn registry register churn --version v1.0.0\` does`,
  );
  await pushModelArtifact(options.store, {
    name: 'churn',
    version: 'v1.0.0',
    file: join(repoDir, 'model.onnx'),
    logger,
  });

  const assignment = planAssignment(await context('Promote the registered version.'), {
    name: 'churn',
    stage: 'production',
    version: 'v1.0.0',
    allowedStages: ['staging', 'production'],
  });
  await applyPlannedTags(repoDir, assignment, options_);
  logger.info(
    `assigned churn v1.0.0 to production: tag ${assignment.map((t) => t.tag).join(', ')}, as \`cairn registry assign churn production --version v1.0.0\` does`,
  );

  await registryCommand(['show', '--repo', repoDir], io);
  return { repoDir, tags: [...registration, ...assignment].map((t) => t.tag) };
}
