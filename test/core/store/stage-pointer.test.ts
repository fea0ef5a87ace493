/**
 * Stage pointers and the deploy that moves them: on the file store and on a real S3 server
 * (s3rver). s3rver ignores conditional writes, so the lost-race case runs on the file store, whose
 * If-Match and If-None-Match are enforced.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { silentLogger } from '../../../core/logger.ts';
import {
  DeployFailedError,
  FileStore,
  PreconditionFailedError,
  STAGE_POINTER_SCHEMA,
  StageMovedError,
  deployToStage,
  openStore,
  pushModelArtifact,
  readStagePointer,
  stagePointerKey,
  writeStagePointer,
  type ObjectStore,
} from '../../../core/store/index.ts';
import { tempDir } from '../../support/cli.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';

const base = tempDir('cairn-stage-');
after(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;
function fresh(name: string): string {
  const path = join(base, `${++counter}-${name}`);
  mkdirSync(path, { recursive: true });
  return path;
}

/** A store holding churn v1.0.0 and v1.1.0 (different bytes). */
async function withVersions(store: ObjectStore): Promise<void> {
  for (const [version, bytes] of [
    ['v1.0.0', 'model one'],
    ['v1.1.0', 'model two'],
  ]) {
    const file = join(fresh('model'), 'model.onnx');
    writeFileSync(file, bytes);
    await pushModelArtifact(store, { name: 'churn', version, file, logger: silentLogger });
  }
}

const publishTo = (uri: string) => async () => uri;

async function rawPointer(store: ObjectStore, stage = 'production'): Promise<unknown> {
  return JSON.parse((await buffer(await store.get(stagePointerKey('churn', stage)))).toString('utf8'));
}

function deploySuite(label: string, makeStore: () => Promise<ObjectStore>) {
  describe(`deployToStage on the ${label}`, () => {
    let store: ObjectStore;
    before(async () => {
      store = await makeStore();
      await withVersions(store);
    });
    after(() => store.close());

    test('a first deploy writes the stage pointer with no previous version', async () => {
      const result = await deployToStage(store, {
        name: 'churn',
        version: 'v1.0.0',
        stage: 'production',
        logger: silentLogger,
        publish: publishTo('s3://serving/churn/production/model.onnx'),
        runUrl: 'https://github.com/acme/churn/actions/runs/1',
        now: new Date('2025-05-01T00:00:00Z'),
      });
      assert.equal(result.uri, 's3://serving/churn/production/model.onnx');
      assert.equal(result.previous, undefined);
      const written = (await rawPointer(store)) as Record<string, unknown>;
      assert.equal(written.schema, STAGE_POINTER_SCHEMA);
      assert.equal(written.version, 'v1.0.0');
      assert.equal(written.previous, undefined);
      assert.equal(written.deployed_at, '2025-05-01T00:00:00.000Z');
      assert.equal(written.run_url, 'https://github.com/acme/churn/actions/runs/1');
      assert.match(String(written.key), /^models\/churn\/sha256\//);
      assert.equal(result.pointerUri, store.uriOf('models/churn/stages/production.json'));
    });

    test('a second deploy records the version it replaced', async () => {
      const result = await deployToStage(store, {
        name: 'churn',
        version: 'v1.1.0',
        stage: 'production',
        logger: silentLogger,
        publish: publishTo('x'),
      });
      assert.equal(result.previous?.version, 'v1.0.0');
      const current = await readStagePointer(store, 'churn', 'production');
      assert.equal(current?.pointer.version, 'v1.1.0');
      assert.equal(current?.pointer.previous, 'v1.0.0');
      assert.equal(current?.pointer.sha256, result.pointer.sha256);
    });

    test('a failed publish restores the previous pointer byte for byte and says so', async () => {
      const before = await buffer(await store.get(stagePointerKey('churn', 'production')));
      let seenDuringPublish: string | undefined;
      await assert.rejects(
        deployToStage(store, {
          name: 'churn',
          version: 'v1.0.0',
          stage: 'production',
          logger: silentLogger,
          publish: async () => {
            seenDuringPublish = (await readStagePointer(store, 'churn', 'production'))?.pointer.version;
            throw new Error('the serving endpoint returned 502');
          },
        }),
        (error: unknown) => {
          assert.ok(error instanceof DeployFailedError);
          assert.equal(error.restored, true);
          assert.match(error.message, /the serving endpoint returned 502/);
          assert.match(error.message, /restored to v1\.1\.0/);
          return true;
        },
      );
      assert.equal(seenDuringPublish, 'v1.0.0', 'the pointer had moved while publishing');
      assert.deepEqual(await buffer(await store.get(stagePointerKey('churn', 'production'))), before);
    });

    test('a failed first deploy of a stage leaves it without a pointer', async () => {
      await assert.rejects(
        deployToStage(store, {
          name: 'churn',
          version: 'v1.0.0',
          stage: 'staging',
          logger: silentLogger,
          publish: () => Promise.reject(new UserError('no endpoint')),
        }),
        /no endpoint\nThe stage pointer was removed again \(the stage had none before\)/,
      );
      assert.equal(await store.head(stagePointerKey('churn', 'staging')), undefined);
    });

    test('an unknown version fails with the reason and moves nothing', async () => {
      const before = await buffer(await store.get(stagePointerKey('churn', 'production')));
      let published = false;
      await assert.rejects(
        deployToStage(store, {
          name: 'churn',
          version: 'v9.9.9',
          stage: 'production',
          logger: silentLogger,
          publish: async () => ((published = true), 'x'),
        }),
        (error: unknown) => error instanceof UserError && /model churn has no version v9\.9\.9/.test(error.message),
      );
      assert.equal(published, false);
      assert.deepEqual(await buffer(await store.get(stagePointerKey('churn', 'production'))), before);
    });
  });
}

deploySuite('file store', async () => new FileStore(fresh('remote')));

describe('on s3rver', () => {
  let server: S3Server;
  before(async () => {
    server = await startS3Server();
  });
  after(() => server?.close());
  deploySuite('S3 store (s3rver)', async () =>
    openStore(`s3://${server.bucket}/stage-${++counter}`, { env: server.env, logger: silentLogger }),
  );
});

describe('a concurrent writer (file store, where conditions hold)', () => {
  test('a pointer moved between read and write fails the deploy clearly and is left as the other writer wrote it', async () => {
    const store = new FileStore(fresh('remote'));
    await withVersions(store);
    await deployToStage(store, {
      name: 'churn',
      version: 'v1.0.0',
      stage: 'production',
      logger: silentLogger,
      publish: publishTo('x'),
    });
    const read = await readStagePointer(store, 'churn', 'production');
    assert.ok(read);
    // Another deploy wins the race after our read.
    await deployToStage(store, {
      name: 'churn',
      version: 'v1.1.0',
      stage: 'production',
      logger: silentLogger,
      publish: publishTo('x'),
    });
    await assert.rejects(
      writeStagePointer(store, { ...read.pointer, version: 'v1.0.0', deployed_at: new Date().toISOString() }, read),
      (error: unknown) => {
        assert.ok(error instanceof StageMovedError && error instanceof UserError);
        assert.ok(error.cause instanceof PreconditionFailedError);
        assert.match(
          error.message,
          /another deploy moved churn stage production .* while this one ran, so this deploy of v1\.0\.0 changed nothing/,
        );
        return true;
      },
    );
    assert.equal((await readStagePointer(store, 'churn', 'production'))?.pointer.version, 'v1.1.0');
  });

  test('two first deploys of one stage at once: exactly one wins', async () => {
    const store = new FileStore(fresh('remote'));
    await withVersions(store);
    const results = await Promise.allSettled(
      ['v1.0.0', 'v1.1.0'].map((version) =>
        writeStagePointer(
          store,
          {
            schema: STAGE_POINTER_SCHEMA,
            name: 'churn',
            stage: 'canary',
            version,
            sha256: 'a'.repeat(64),
            key: 'k',
            deployed_at: new Date().toISOString(),
          },
          undefined,
        ),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected');
    assert.ok(rejected?.status === 'rejected' && rejected.reason instanceof StageMovedError);
  });

  test('an invalid stage pointer in the store is a UserError naming it', async () => {
    const store = new FileStore(fresh('remote'));
    await store.put(stagePointerKey('churn', 'production'), Buffer.from('{"schema":"something else"}'));
    await assert.rejects(
      readStagePointer(store, 'churn', 'production'),
      /stages\/production\.json is not a valid cairn\.stage-pointer\/v1 pointer: schema/,
    );
  });
});
