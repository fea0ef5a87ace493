/**
 * A registry model (`churn#production`, `churn@v1.1.0`) resolved from real git tags to verified bytes
 * and its training record, and its training data pulled by the record's md5s: on the file store and
 * on a real S3 server (s3rver).
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sha256File } from '../../../core/data/index.ts';
import { isUserError } from '../../../core/errors.ts';
import { silentLogger } from '../../../core/logger.ts';
import {
  FileStore,
  lookupRegistryModel,
  modelObjectKey,
  openStore,
  parseModelReference,
  pullTrainingData,
  resolveRegistryModel,
  trainingRecordKey,
  type ObjectStore,
} from '../../../core/store/index.ts';
import { tempDir } from '../../support/cli.ts';
import { productionModel } from '../../support/production-model.ts';
import { startS3Server } from '../../support/s3-server.ts';

const base = tempDir('cairn-registry-model-');
after(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;
const fresh = (name: string) => join(base, `${++counter}-${name}`);

async function refused(run: () => Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(run, (error) => {
    assert.ok(isUserError(error), `a UserError, got ${String(error)}`);
    assert.match((error as Error).message, message);
    return true;
  });
}

describe('parseModelReference', () => {
  test('NAME#STAGE and NAME@VERSION, monorepo names too; anything else is not a reference', () => {
    assert.deepEqual(parseModelReference('churn#production'), { name: 'churn', stage: 'production' });
    assert.deepEqual(parseModelReference('churn@v1.2.0'), { name: 'churn', version: 'v1.2.0' });
    assert.deepEqual(parseModelReference('models/a:churn#prod'), { name: 'models/a:churn', stage: 'prod' });
    for (const text of ['model.onnx', 'models/churn.onnx', 'a#b#c', '#prod', 'churn#', 'churn@v1@v2'])
      assert.equal(parseModelReference(text), undefined, text);
    assert.throws(() => parseModelReference('churn@1.2'), /invalid version "1\.2"/);
  });
});

function suite(label: string, makeStore: () => Promise<{ store: ObjectStore; close?: () => Promise<void> }>) {
  describe(`a registry model on the ${label}`, () => {
    test('churn#production: the holder v1.0.0, its bytes verified in the cache, its training record; then its training data', async () => {
      const { store, close } = await makeStore();
      try {
        const made = await productionModel(store, fresh('made'));
        const cacheDir = fresh('cache');
        const model = await resolveRegistryModel(
          { name: 'churn', stage: 'production' },
          { repoDir: made.repo.dir, store, cacheDir, logger: silentLogger },
        );
        const sha256 = await sha256File(made.production);
        assert.deepEqual(
          { ...model, file: undefined },
          {
            name: 'churn',
            version: 'v1.0.0',
            stage: 'production',
            sha256,
            objectKey: modelObjectKey('churn', sha256),
            trainingRecord: made.record,
            file: undefined,
          },
        );
        assert.ok(model.file.startsWith(cacheDir));
        assert.deepEqual(readFileSync(model.file), readFileSync(made.production));

        const dest = fresh('reference');
        const pulled = await pullTrainingData(model, { store, dest, logger: silentLogger });
        assert.equal(pulled.files, 1);
        assert.deepEqual(readFileSync(join(dest, 'data', 'train.csv')), readFileSync(made.trainingData));
      } finally {
        await close?.();
      }
    });
  });
}

suite('file store', async () => ({ store: new FileStore(fresh('store')) }));
suite('S3 server', async () => {
  const server = await startS3Server();
  const store = openStore(`s3://${server.bucket}/models-and-data`, { env: server.env, logger: silentLogger });
  return { store, close: () => server.close() };
});

describe('resolving a registry model', () => {
  test('NAME@VERSION without a stage; a model not trained by Cairn has no training record, and its data is refused', async () => {
    const store = new FileStore(fresh('store'));
    const made = await productionModel(store, fresh('made'));
    const model = await resolveRegistryModel(
      { name: 'churn', version: 'v1.1.0' },
      { repoDir: made.repo.dir, store, cacheDir: fresh('cache'), logger: silentLogger },
    );
    assert.equal(model.version, 'v1.1.0');
    assert.equal(model.stage, undefined);
    assert.equal(model.trainingRecord, undefined);
    assert.equal(await sha256File(model.file), await sha256File(made.next));
    await refused(
      () => pullTrainingData(model, { store, dest: fresh('reference'), logger: silentLogger }),
      /churn v1\.1\.0 has no training record beside its bytes .*cairn train --model FILE --name churn --push/,
    );
  });

  test('a cached copy is reused while it verifies, and pulled again once it does not', async () => {
    const store = new FileStore(fresh('store'));
    const made = await productionModel(store, fresh('made'));
    const cacheDir = fresh('cache');
    const lines: string[] = [];
    const logger = { ...silentLogger, info: (line: string) => void lines.push(line) };
    const options = { repoDir: made.repo.dir, store, cacheDir, logger };
    const first = await resolveRegistryModel({ name: 'churn', stage: 'production' }, options);
    assert.ok(lines.some((line) => line.startsWith('pulled churn v1.0.0')));
    lines.length = 0;
    await resolveRegistryModel({ name: 'churn', stage: 'production' }, options);
    assert.ok(lines.some((line) => /verified in the cache/.test(line)));
    writeFileSync(first.file, 'tampered');
    const again = await resolveRegistryModel({ name: 'churn', stage: 'production' }, options);
    assert.equal(await sha256File(again.file), await sha256File(made.production));
  });

  test('refused with what to do: no holder, unknown model, deregistered version, a stage held by an unregistered commit, no version pointer, a record of other bytes', async () => {
    const store = new FileStore(fresh('store'));
    const made = await productionModel(store, fresh('made'));
    const options = { repoDir: made.repo.dir, store };
    await refused(
      () => lookupRegistryModel({ name: 'churn', stage: 'staging' }, options),
      /no version of churn holds the stage "staging" in .*; stages held: production\. Assign one first/,
    );
    await refused(
      () => lookupRegistryModel({ name: 'fraud', stage: 'production' }, options),
      /no model "fraud" in the registry/,
    );
    await refused(
      () => lookupRegistryModel({ name: 'churn', version: 'v9.0.0' }, options),
      /churn has no version v9\.0\.0/,
    );

    const loose = made.repo.commit('an unregistered commit', 10);
    made.repo.tag('churn#staging#2', loose, 11);
    await refused(
      () => lookupRegistryModel({ name: 'churn', stage: 'staging' }, options),
      /churn#staging is held by commit \w{7}, which was never registered as a version/,
    );

    made.repo.tag('churn@v1.2.0', loose, 12);
    await refused(
      () => lookupRegistryModel({ name: 'churn', version: 'v1.2.0' }, options),
      /model churn has no version v1\.2\.0 in .*push it first/,
    );

    made.repo.tag('churn@v1.1.0!', made.repo.git(['rev-list', '-n1', 'churn@v1.1.0']), 13);
    await refused(
      () => lookupRegistryModel({ name: 'churn', version: 'v1.1.0' }, options),
      /churn@v1\.1\.0 was deregistered; name an active version/,
    );

    const sha256 = await sha256File(made.production);
    await store.put(
      trainingRecordKey(modelObjectKey('churn', sha256)),
      Buffer.from(JSON.stringify({ ...made.record, model: { ...made.record.model, sha256: 'f'.repeat(64) } })),
    );
    await refused(
      () => lookupRegistryModel({ name: 'churn', stage: 'production' }, options),
      /records a model with sha256 f{64}, not the [0-9a-f]{64} it is stored beside/,
    );
    await store.put(trainingRecordKey(modelObjectKey('churn', sha256)), Buffer.from('{"schema": "cairn.training/v1"}'));
    await refused(
      () => lookupRegistryModel({ name: 'churn', stage: 'production' }, options),
      /is not a valid training record: /,
    );
  });

  test('a training record that names no data is refused before anything is pulled', async () => {
    const store = new FileStore(fresh('store'));
    const made = await productionModel(store, fresh('made'));
    const model = await lookupRegistryModel({ name: 'churn', stage: 'production' }, { repoDir: made.repo.dir, store });
    const dest = fresh('reference');
    await refused(
      () =>
        pullTrainingData(
          { ...model, trainingRecord: { ...made.record, data: [] } },
          { store, dest, logger: silentLogger },
        ),
      /the training record of churn v1\.0\.0 names no data/,
    );
  });
});
