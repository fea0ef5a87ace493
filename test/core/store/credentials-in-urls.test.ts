/**
 * A password written into a store URL (`https://user:secret@host`, an S3 endpoint in .dvc/config or
 * AWS_ENDPOINT_URL, a mistyped --remote) never appears in an error message or a log line: CI logs
 * keep both. The URL is still named, with `***` for its credentials, so the message says which host.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { memoryLogger } from '../../../core/logger.ts';
import { openStore } from '../../../core/store/index.ts';
import { planPull, pullPlan } from '../../../core/store/pull-targets.ts';
import { redactCredentials } from '../../../core/store/internal/redact-credentials.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';
import { tempFolder } from './dvc/helpers.ts';

const SECRET = 's3cretPa55';

/** A UserError that names `shown` and holds no trace of the secret, in its message or its causes. */
function redacted(shown: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    if (typeof shown === 'string')
      assert.ok(error.message.includes(shown), `the message names ${shown}: ${error.message}`);
    else assert.match(error.message, shown);
    for (let at: unknown = error; at instanceof Error; at = at.cause)
      assert.ok(!at.message.includes(SECRET), `no secret in: ${at.message}`);
    return true;
  };
}

test('redactCredentials hides the userinfo of every URL in a text and keeps the rest', () => {
  assert.equal(
    redactCredentials(`https://AKIA:${SECRET}@minio.example.com:9000/bucket`),
    'https://***@minio.example.com:9000/bucket',
  );
  assert.equal(
    redactCredentials(`at http://u:p@ss@h/x and s3://AKIA:${SECRET}@bucket/p`),
    'at http://***@h/x and s3://***@bucket/p',
  );
  assert.equal(redactCredentials(`AKIA:${SECRET}@minio:9000`), '***@minio:9000', 'a URL whose scheme was left out');
  for (const plain of ['s3://bucket/prefix', 'file:///tmp/a@b', 'https://host/a@b?x=@', 'data.dvc: line 3: x@y'])
    assert.equal(redactCredentials(plain), plain);
});

describe('remotes written with credentials', () => {
  const scratch = tempFolder('cairn-credentials-');
  after(scratch.cleanup);
  let count = 0;
  /** A repo with one pointer, and optionally a .dvc/config. */
  function repo(dvcConfig?: string): string {
    const root = join(scratch.path, `repo-${count++}`);
    mkdirSync(join(root, '.dvc'), { recursive: true });
    writeFileSync(
      join(root, 'data.dvc'),
      'outs:\n- md5: 0cc175b9c0f1b6a831c399e269772661\n  size: 1\n  hash: md5\n  path: data.txt\n',
    );
    if (dvcConfig !== undefined) writeFileSync(join(root, '.dvc', 'config'), dvcConfig);
    return root;
  }

  const remotes: Array<[string, string]> = [
    [`https://AKIA:${SECRET}@minio.example.com/bucket`, 'https://***@minio.example.com/bucket'],
    [`s3://AKIA:${SECRET}@bucket/prefix`, 's3://***@bucket/prefix'],
    [`file://AKIA:${SECRET}@fileserver/share`, 'file://***@fileserver/share'],
  ];
  for (const [remote, shown] of remotes) {
    test(`--remote ${shown} is refused naming it without its password`, async () => {
      const cwd = repo();
      await assert.rejects(planPull(['data.dvc'], { remote, remoteLabel: '--remote', cwd }), redacted(shown));
    });
  }

  test('a DVC remote url with credentials, in .dvc/config, is refused without them', async () => {
    const cwd = repo(
      `[core]\n    remote = store\n['remote "store"']\n    url = https://AKIA:${SECRET}@minio.example.com/dvc\n`,
    );
    await assert.rejects(
      planPull(['data.dvc'], { remoteLabel: '--remote', cwd }),
      redacted('https://***@minio.example.com/dvc'),
    );
  });

  test('a line of .dvc/config that cannot be read is quoted without the password in it', async () => {
    const cwd = repo(
      `[core]\n    remote = store\n['remote "store"']\n    url = s3://bucket/dvc\n    endpointurl = "https://AKIA:${SECRET}@minio.example.com\n`,
    );
    await assert.rejects(
      planPull(['data.dvc'], { remoteLabel: '--remote', cwd }),
      redacted('https://***@minio.example.com'),
    );
  });

  test('AWS_ENDPOINT_URL that is not a URL, or not http(s), is named without its password', () => {
    const logger = memoryLogger();
    for (const [value, shown] of [
      [`http://AKIA:${SECRET}@[::1`, 'http://***@[::1'],
      [`AKIA:${SECRET}@minio:9000`, '***@minio:9000'],
    ]) {
      assert.throws(
        () => openStore('s3://bucket/x', { env: { AWS_ENDPOINT_URL: value }, logger }),
        redacted(`AWS_ENDPOINT_URL="${shown}"`),
      );
    }
  });
});

describe('an S3 endpoint with credentials in it (s3rver)', () => {
  let server: S3Server;
  const scratch = tempFolder('cairn-credentials-s3-');
  before(async () => {
    server = await startS3Server();
  });
  after(async () => {
    await server?.close();
    scratch.cleanup();
  });
  const withSecret = (endpoint: string) => endpoint.replace('://', `://AKIA:${SECRET}@`);

  test('a missing bucket is named with the endpoint, whose password is hidden', async () => {
    const logger = memoryLogger();
    const endpoint = withSecret(server.endpoint);
    const store = openStore('s3://no-such-bucket/x', {
      env: { ...server.env, AWS_ENDPOINT_URL: endpoint, AWS_MAX_ATTEMPTS: '1' },
      logger,
    });
    try {
      await assert.rejects(
        store.put('a/b', Buffer.from('x')),
        redacted(`does not exist at ${endpoint.replace(`AKIA:${SECRET}`, '***')}`),
      );
    } finally {
      store.close();
    }
    assert.ok(logger.lines.length > 0, 'the SDK logged its failure');
    for (const line of logger.lines) assert.ok(!line.message.includes(SECRET), `no secret in the log: ${line.message}`);
  });

  test('cairn pull from a DVC remote whose endpointurl has credentials and does not answer: no password in the error or the log', async () => {
    const cwd = join(scratch.path, 'repo');
    mkdirSync(join(cwd, '.dvc'), { recursive: true });
    writeFileSync(
      join(cwd, 'data.dvc'),
      'outs:\n- md5: 0cc175b9c0f1b6a831c399e269772661\n  size: 1\n  hash: md5\n  path: data.txt\n',
    );
    writeFileSync(
      join(cwd, '.dvc', 'config'),
      `[core]\n    remote = minio\n['remote "minio"']\n    url = s3://${server.bucket}/x\n    endpointurl = http://AKIA:${SECRET}@127.0.0.1:1\n`,
    );
    const logger = memoryLogger();
    const plan = await planPull(['data.dvc'], { remoteLabel: '--remote', cwd });
    const { AWS_ENDPOINT_URL: _unused, ...env } = server.env;
    await assert.rejects(
      pullPlan(plan, { env: { ...env, AWS_MAX_ATTEMPTS: '1' }, cwd, logger }),
      redacted(/cannot reach http:\/\/\*\*\*@127\.0\.0\.1:1 /),
    );
    for (const line of logger.lines) assert.ok(!line.message.includes(SECRET), `no secret in the log: ${line.message}`);
  });
});
