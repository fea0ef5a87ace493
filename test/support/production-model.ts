/**
 * A registry with a production model, as the retraining workflow finds it: a git repository whose
 * tags say churn v1.0.0 holds `production` (v1.1.0 is registered, in no stage), a store holding both
 * versions' bytes behind version pointers, v1.0.0's training record beside its bytes (as `cairn
 * train --push` leaves it), and the data that record names, pushed in DVC's layout.
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../core/logger.ts';
import { pushModelArtifact, pushPath, type ObjectStore } from '../../core/store/index.ts';
import { pushTrainedModel } from '../../core/train/index.ts';
import type { TrainingRecord } from '../../core/metrics/index.ts';
import { sha256File } from '../../core/data/index.ts';
import { GitRepo } from '../core/registry/git-repo.ts';
import { sampleTrainingRecord } from '../core/report/sample-reports.ts';
import { fixture } from '../core/evaluate/fixture-paths.ts';

export interface ProductionModel {
  repo: GitRepo;
  /** The file v1.0.0 (production) was pushed from: binary_weak.onnx. */
  production: string;
  /** The file v1.1.0 was pushed from: binary.onnx. */
  next: string;
  record: TrainingRecord;
  /** The training data as it was pushed: `train/data/train.csv`, recorded as `data/train.csv`. */
  trainingData: string;
}

export async function productionModel(store: ObjectStore, dir: string): Promise<ProductionModel> {
  const production = fixture('binary_weak.onnx');
  const next = fixture('binary.onnx');
  const trainingData = join(dir, 'train', 'data', 'train.csv');
  mkdirSync(join(dir, 'train', 'data'), { recursive: true });
  copyFileSync(fixture('binary.csv'), trainingData);
  const pushed = await pushPath(trainingData, { store, logger: silentLogger });
  const record = sampleTrainingRecord({
    model: { path: 'model.onnx', sha256: await sha256File(production), bytes: statSync(production).size },
    data: [{ path: 'data/train.csv', md5: pushed.outputs[0]!.md5 }],
  });
  await pushTrainedModel(store, { name: 'churn', file: production, record, logger: silentLogger });
  await pushModelArtifact(store, { name: 'churn', version: 'v1.0.0', file: production, logger: silentLogger });
  await pushModelArtifact(store, { name: 'churn', version: 'v1.1.0', file: next, logger: silentLogger });

  const repo = GitRepo.create();
  const first = repo.commit('first model', 1);
  repo.tag('churn@v1.0.0', first, 2);
  repo.tag('churn#production#1', first, 3);
  const second = repo.commit('second model', 4);
  repo.tag('churn@v1.1.0', second, 5);
  return { repo, production, next, record, trainingData };
}
