/**
 * `cairn pull --training-data NAME#STAGE --out DIR`: the data a registry model was trained on (its
 * training record's `data` md5s), from the store into DIR: the retraining workflow's drift reference.
 */
import { resolve, sep } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { UserError } from '../../core/errors.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import {
  formatModelReference,
  lookupRegistryModel,
  openStore,
  parseModelReference,
  pullTrainingData,
  resolveRemote,
  type PullResult,
} from '../../core/store/index.ts';
import type { CliIO } from '../io.ts';
import type { Logger } from '../../core/logger.ts';
import type { ProgressDisplay } from '../progress.ts';

export interface TrainingDataRequest {
  reference: string;
  out?: string;
  recordOut?: string;
  repo?: string;
  remote?: string;
  jobs: number;
  cacheDir?: string;
  force: boolean;
}

export async function pullTrainingDataCommand(
  request: TrainingDataRequest,
  io: CliIO,
  logger: Logger,
  progress: ProgressDisplay,
): Promise<{ result: PullResult; model: { name: string; version: string; stage?: string; sha256: string } }> {
  const reference = parseModelReference(request.reference);
  if (!reference)
    throw new UserError(
      `--training-data ${request.reference}: name a registry model as NAME#STAGE (e.g. churn#production) or NAME@vX.Y.Z.`,
    );
  if (request.out === undefined)
    throw new UserError(
      `--training-data needs --out DIR, the folder its data is put in: cairn pull --training-data ${formatModelReference(reference)} --out reference/.`,
    );
  const dest = resolve(io.cwd, request.out);
  const recordOut = request.recordOut === undefined ? undefined : resolve(io.cwd, request.recordOut);
  await checkOutputPaths([
    { path: dest, option: '--out', shown: request.out, kind: 'folder' },
    ...(recordOut
      ? [{ path: recordOut, option: '--record-out', shown: request.recordOut!, example: 'training.json' }]
      : []),
  ]);
  const repoDir = resolve(io.cwd, request.repo ?? '.');
  const remote = await resolveRemote({ remote: request.remote, label: '--remote', from: repoDir, cwd: io.cwd });
  const store = openStore(remote.uri, { env: io.env, logger, cwd: io.cwd, endpoint: remote.endpoint });
  const model = await lookupRegistryModel(reference, { repoDir, store, git: { env: io.env } });
  // The record must not land on (or above) a path its data is about to take.
  for (const input of model.trainingRecord?.data ?? []) {
    const target = resolve(dest, input.path);
    if (recordOut && (recordOut === target || recordOut.startsWith(target + sep) || target.startsWith(recordOut + sep)))
      throw new UserError(
        `--record-out ${request.recordOut} is where the training data ${input.path} goes under --out ${request.out}; name another file for the record.`,
      );
  }
  const result = await pullTrainingData(model, {
    store,
    dest,
    logger,
    jobs: request.jobs,
    cacheDir: request.cacheDir,
    onProgress: progress.update,
    force: request.force,
  });
  if (recordOut && model.trainingRecord) {
    await writeFileAtomic(recordOut, `${JSON.stringify(model.trainingRecord, null, 2)}\n`);
    logger.info(`wrote ${request.recordOut}`);
  }
  return {
    result,
    model: {
      name: model.name,
      version: model.version,
      ...(model.stage !== undefined && { stage: model.stage }),
      sha256: model.sha256,
    },
  };
}
