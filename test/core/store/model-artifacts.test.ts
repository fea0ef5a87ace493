/**
 * Model artifacts in the store: content-addressed bytes, one immutable pointer per version, and a
 * pull that hands out only verified bytes. On the file store and on a real S3 server (s3rver).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../../core/logger.ts';
import {
  FileStore,
  modelObjectKey,
  openStore,
  pullModelArtifact,
  pushModelArtifact,
  readModelPointer,
  stagePointerKey,
  versionPointerKey,
  type ObjectStore,
} from '../../../core/store/index.ts';
import { tempDir } from '../../support/cli.ts';
import { awsCli, startS3Server, type S3Server } from '../../support/s3-server.ts';
import { userError } from './dvc/helpers.ts';
import { collect } from './store-contract.ts';

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const NOW = new Date('2025-03-04T05:06:07.000Z');

const base = tempDir('cairn-models-');
after(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;
function fresh(name: string): string {
  const path = join(base, `${++counter}-${name}`);
  mkdirSync(path, { recursive: true });
  return path;
}
/** A model file with these bytes, in its own folder. */
function modelFile(bytes: string | Uint8Array, name = 'model.onnx'): string {
  const path = join(fresh('model'), name);
  writeFileSync(path, bytes);
  return path;
}

describe('keys and names', () => {
  const digest = sha256('x');
  test('objects by sha256, pointers per version and stage, under models/<name>/', () => {
    assert.equal(modelObjectKey('churn', digest), `models/churn/sha256/${digest.slice(0, 2)}/${digest.slice(2)}`);
    assert.equal(versionPointerKey('churn', 'v1.2.0'), 'models/churn/versions/v1.2.0.json');
    assert.equal(versionPointerKey('team/churn', 'v2.0.0-rc.1'), 'models/team/churn/versions/v2.0.0-rc.1.json');
    assert.equal(stagePointerKey('churn', 'prod'), 'models/churn/stages/prod.json');
  });

  test('a monorepo model is one key whether written dir:name or dir=name', () => {
    assert.equal(
      versionPointerKey('models/churn:classifier', 'v1.0.0'),
      'models/models/churn=classifier/versions/v1.0.0.json',
    );
    assert.equal(
      versionPointerKey('models/churn=classifier', 'v1.0.0'),
      versionPointerKey('models/churn:classifier', 'v1.0.0'),
    );
  });

  test('names, versions and stages outside the registry grammar are UserErrors saying what to use', () => {
    for (const name of ['', '-churn', 'churn-', 'chu rn', 'churn.v2', 'a//b'])
      assert.throws(() => versionPointerKey(name, 'v1.0.0'), userError(/invalid model name/, /letters, digits/));
    for (const name of ['churn/versions', 'sha256', 'a/stages/b'])
      assert.throws(() => versionPointerKey(name, 'v1.0.0'), userError(/is a folder of the model store's layout/));
    for (const name of ['../x:churn', '/abs:churn', 'a//b:churn', ':churn', 'sp ace:churn'])
      assert.throws(() => versionPointerKey(name, 'v1.0.0'), userError(/monorepo folder/));
    for (const version of ['1.2.0', 'v1.2', 'V1.2.0', 'v01.2.0', 'v1.2.0 ', 'vv1.2.0', 'latest'])
      assert.throws(() => versionPointerKey('churn', version), userError(/invalid model version/, /e\.g\. v1\.2\.0/));
    for (const stage of ['pr od', 'a//b', '-prod'])
      assert.throws(() => stagePointerKey('churn', stage), userError(/invalid stage name/));
    assert.throws(() => modelObjectKey('churn', 'ABC'), userError(/not a SHA-256/));
  });
});

describe('push, read and pull on the file store', () => {
  test('push stores the bytes by sha256 and a pointer that reads back', async () => {
    const store = new FileStore(fresh('remote'));
    const bytes = Buffer.from('onnx model bytes v1');
    const file = modelFile(bytes);
    const { pointer, uploaded } = await pushModelArtifact(store, {
      name: 'churn',
      version: 'v1.0.0',
      file,
      logger: silentLogger,
      now: NOW,
    });
    assert.equal(uploaded, true);
    const key = modelObjectKey('churn', sha256(bytes));
    assert.deepEqual(pointer, {
      schema: 'cairn.model-pointer/v1',
      name: 'churn',
      version: 'v1.0.0',
      sha256: sha256(bytes),
      size: bytes.length,
      key,
      filename: 'model.onnx',
      created_at: NOW.toISOString(),
    });
    assert.ok(readFileSync(store.pathOf(key)).equals(bytes));
    assert.deepEqual(JSON.parse(readFileSync(store.pathOf('models/churn/versions/v1.0.0.json'), 'utf8')), pointer);
    assert.deepEqual(await readModelPointer(store, 'churn', 'v1.0.0'), pointer);
  });

  test('re-pushing the same bytes is a no-op; the same bytes as a new version reuse the object', async () => {
    const store = new FileStore(fresh('remote'));
    const file = modelFile('same bytes');
    const first = await pushModelArtifact(store, {
      name: 'churn',
      version: 'v1.0.0',
      file,
      logger: silentLogger,
      now: NOW,
    });
    const pointerBytes = readFileSync(store.pathOf(versionPointerKey('churn', 'v1.0.0')));
    const again = await pushModelArtifact(store, {
      name: 'churn',
      version: 'v1.0.0',
      file,
      logger: silentLogger,
      now: new Date('2030-01-01T00:00:00Z'),
    });
    assert.equal(again.uploaded, false);
    assert.deepEqual(again.pointer, first.pointer, 'the first push stands, created_at included');
    assert.ok(readFileSync(store.pathOf(versionPointerKey('churn', 'v1.0.0'))).equals(pointerBytes));

    const next = await pushModelArtifact(store, {
      name: 'churn',
      version: 'v1.0.1',
      file,
      logger: silentLogger,
      now: NOW,
    });
    assert.equal(next.uploaded, false, 'the bytes were already there');
    assert.equal(next.pointer.key, first.pointer.key);
    assert.deepEqual((await collect(store.list('models/churn/sha256/'))).length, 1);
  });

  test('other bytes for an existing version are refused; the pointer and the store are unchanged', async () => {
    const store = new FileStore(fresh('remote'));
    await pushModelArtifact(store, {
      name: 'churn',
      version: 'v1.2.3',
      file: modelFile('first'),
      logger: silentLogger,
      now: NOW,
    });
    const pointerBytes = readFileSync(store.pathOf(versionPointerKey('churn', 'v1.2.3')));
    await assert.rejects(
      pushModelArtifact(store, { name: 'churn', version: 'v1.2.3', file: modelFile('second'), logger: silentLogger }),
      userError(/churn v1\.2\.3 is already in .* with other bytes/, /Versions never change/, /e\.g\. v1\.2\.4/),
    );
    assert.ok(readFileSync(store.pathOf(versionPointerKey('churn', 'v1.2.3'))).equals(pointerBytes));
    assert.deepEqual(
      (await collect(store.list('models/churn/sha256/'))).map((object) => object.key),
      [modelObjectKey('churn', sha256('first'))],
    );
  });

  test('pull writes verified bytes to a file path, or into a folder under the pushed name', async () => {
    const store = new FileStore(fresh('remote'));
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    await pushModelArtifact(store, {
      name: 'models/churn:clf',
      version: 'v3.0.0',
      file: modelFile(bytes, 'clf.onnx'),
      logger: silentLogger,
    });
    const out = fresh('out');
    const toFile = await pullModelArtifact(store, {
      name: 'models/churn=clf',
      version: 'v3.0.0',
      dest: join(out, 'deploy', 'current.onnx'),
      logger: silentLogger,
    });
    assert.equal(toFile.path, join(out, 'deploy', 'current.onnx'));
    assert.ok(readFileSync(toFile.path).equals(bytes));
    assert.equal(toFile.pointer.name, 'models/churn:clf');
    const toFolder = await pullModelArtifact(store, {
      name: 'models/churn:clf',
      version: 'v3.0.0',
      dest: out,
      logger: silentLogger,
    });
    assert.equal(toFolder.path, join(out, 'clf.onnx'));
    assert.ok(readFileSync(toFolder.path).equals(bytes));
  });

  test('a corrupted object fails the pull, leaving neither dest nor a temp file', async () => {
    const store = new FileStore(fresh('remote'));
    const { pointer } = await pushModelArtifact(store, {
      name: 'churn',
      version: 'v1.0.0',
      file: modelFile('the real model'),
      logger: silentLogger,
    });
    writeFileSync(store.pathOf(pointer.key), 'garbage, same size'.slice(0, pointer.size));
    const out = fresh('out');
    await assert.rejects(
      pullModelArtifact(store, {
        name: 'churn',
        version: 'v1.0.0',
        dest: join(out, 'model.onnx'),
        logger: silentLogger,
      }),
      userError(/is corrupt/, new RegExp(`sha256 ${pointer.sha256}`), /Nothing was written/),
    );
    assert.deepEqual(readdirSync(out), []);
    writeFileSync(store.pathOf(pointer.key), 'short');
    await assert.rejects(
      pullModelArtifact(store, {
        name: 'churn',
        version: 'v1.0.0',
        dest: join(out, 'model.onnx'),
        logger: silentLogger,
      }),
      userError(/is corrupt: 5 bytes/),
    );
    assert.deepEqual(readdirSync(out), []);
  });

  test('a missing version, an invalid pointer, or one naming another object are UserErrors', async () => {
    const store = new FileStore(fresh('remote'));
    await assert.rejects(readModelPointer(store, 'churn', 'v9.9.9'), userError(/model churn has no version v9\.9\.9/));
    await assert.rejects(
      pullModelArtifact(store, { name: 'churn', version: 'v9.9.9', dest: fresh('out'), logger: silentLogger }),
      userError(/has no version v9\.9\.9/),
    );
    const { pointer } = await pushModelArtifact(store, {
      name: 'churn',
      version: 'v1.0.0',
      file: modelFile('m'),
      logger: silentLogger,
    });
    const path = store.pathOf(versionPointerKey('churn', 'v1.0.0'));
    writeFileSync(path, '{not json');
    await assert.rejects(readModelPointer(store, 'churn', 'v1.0.0'), userError(/is not a model pointer: invalid JSON/));
    writeFileSync(path, JSON.stringify({ ...pointer, filename: '../../etc/passwd' }));
    await assert.rejects(readModelPointer(store, 'churn', 'v1.0.0'), userError(/filename: expected a plain file name/));
    writeFileSync(path, JSON.stringify({ ...pointer, size: 'big' }));
    await assert.rejects(readModelPointer(store, 'churn', 'v1.0.0'), userError(/size:/));
    writeFileSync(path, JSON.stringify({ ...pointer, key: 'models/other/sha256/aa/bb' }));
    await assert.rejects(
      readModelPointer(store, 'churn', 'v1.0.0'),
      userError(/not churn v1\.0\.0 at models\/churn\/sha256/),
    );
    writeFileSync(path, JSON.stringify({ ...pointer, version: 'v2.0.0' }));
    await assert.rejects(readModelPointer(store, 'churn', 'v1.0.0'), userError(/names churn v2\.0\.0/));
  });

  test('a missing or folder model file is a UserError', async () => {
    const store = new FileStore(fresh('remote'));
    await assert.rejects(
      pushModelArtifact(store, {
        name: 'churn',
        version: 'v1.0.0',
        file: join(base, 'nope.onnx'),
        logger: silentLogger,
      }),
      userError(/does not exist/),
    );
    await assert.rejects(
      pushModelArtifact(store, { name: 'churn', version: 'v1.0.0', file: fresh('folder'), logger: silentLogger }),
      userError(/is a folder/),
    );
    await assert.rejects(
      pushModelArtifact(store, { name: 'churn', version: '1.0.0', file: modelFile('m'), logger: silentLogger }),
      userError(/invalid model version/),
    );
    assert.deepEqual(await collect(store.list()), []);
  });
});

describe('on a real S3 server', () => {
  let server: S3Server;
  const stores: ObjectStore[] = [];
  before(async () => {
    server = await startS3Server();
  });
  after(async () => {
    stores.forEach((store) => store.close());
    await server?.close();
  });

  test(
    'push, re-push and pull round-trip; the AWS CLI reads the pointer and the bytes',
    { skip: spawnSync('aws', ['--version']).status === 0 ? false : 'the AWS CLI (`aws`) is not installed' },
    async () => {
      const store = openStore(`s3://${server.bucket}/registry`, { env: server.env, logger: silentLogger });
      stores.push(store);
      const bytes = Buffer.alloc(9 * 1024 * 1024 + 11, 7); // multipart
      bytes.write('header');
      const file = modelFile(bytes);
      const { pointer, uploaded } = await pushModelArtifact(store, {
        name: 'team/churn',
        version: 'v1.0.0',
        file,
        logger: silentLogger,
        now: NOW,
      });
      assert.equal(uploaded, true);
      assert.equal(
        (await pushModelArtifact(store, { name: 'team/churn', version: 'v1.0.0', file, logger: silentLogger }))
          .uploaded,
        false,
      );
      await assert.rejects(
        pushModelArtifact(store, {
          name: 'team/churn',
          version: 'v1.0.0',
          file: modelFile('other'),
          logger: silentLogger,
        }),
        userError(/already in/),
      );
      assert.deepEqual(
        JSON.parse((await buffer(await store.get(versionPointerKey('team/churn', 'v1.0.0')))).toString()),
        pointer,
      );

      const pulled = await pullModelArtifact(store, {
        name: 'team/churn',
        version: 'v1.0.0',
        dest: fresh('out'),
        logger: silentLogger,
      });
      assert.equal(sha256(readFileSync(pulled.path)), sha256(bytes));

      const home = fresh('aws-home');
      const aws = awsCli(server, home);
      const viaCli = JSON.parse(
        (
          await aws('s3', 'cp', `s3://${server.bucket}/registry/models/team/churn/versions/v1.0.0.json`, '-')
        ).toString(),
      );
      assert.deepEqual(viaCli, pointer);
      assert.equal(sha256(await aws('s3', 'cp', `s3://${server.bucket}/registry/${pointer.key}`, '-')), pointer.sha256);
    },
  );
});
