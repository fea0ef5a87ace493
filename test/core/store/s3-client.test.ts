import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../core/errors.ts';
import { silentLogger } from '../../../core/logger.ts';
import { createS3Client, DEFAULT_RETRY_POLICY } from '../../../core/store/index.ts';

const keys = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'SECRET' };

async function resolved(env: NodeJS.ProcessEnv) {
  const { client, endpoint, retry } = createS3Client({ env, logger: silentLogger });
  const config = client.config;
  const result = {
    endpoint,
    retry,
    forcePathStyle: config.forcePathStyle,
    region: await config.region(),
    requestChecksum: await config.requestChecksumCalculation(),
    responseChecksum: await config.responseChecksumValidation(),
    credentials: await config.credentials(),
  };
  client.destroy();
  return result;
}

test('an S3-compatible endpoint from AWS_ENDPOINT_URL: path-style, us-east-1, checksums only where required', async () => {
  const config = await resolved({ ...keys, AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' });
  assert.equal(config.endpoint, 'http://127.0.0.1:9000');
  assert.equal(config.forcePathStyle, true);
  assert.equal(config.region, 'us-east-1');
  assert.equal(config.requestChecksum, 'WHEN_REQUIRED');
  assert.equal(config.responseChecksum, 'WHEN_REQUIRED');
  assert.equal(config.credentials.accessKeyId, 'AKID');
  assert.equal(config.credentials.secretAccessKey, 'SECRET');
});

test('AWS_ENDPOINT_URL_S3 wins over AWS_ENDPOINT_URL; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns both off', async () => {
  const both = {
    ...keys,
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: 'http://other:1',
    AWS_ENDPOINT_URL_S3: 'https://s3.example.com',
  };
  assert.equal((await resolved(both)).endpoint, 'https://s3.example.com');
  const ignored = await resolved({ ...both, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' });
  assert.equal(ignored.endpoint, undefined);
  assert.equal(ignored.forcePathStyle, false);
  assert.equal(ignored.requestChecksum, 'WHEN_SUPPORTED', "AWS itself keeps the SDK's default checksums");
});

test('region: AWS_REGION, else AWS_DEFAULT_REGION (what the CLI and configure-aws-credentials set)', async () => {
  assert.equal(
    (await resolved({ ...keys, AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'us-west-2' })).region,
    'eu-central-1',
  );
  assert.equal((await resolved({ ...keys, AWS_DEFAULT_REGION: 'us-west-2' })).region, 'us-west-2');
});

test('session tokens from role assumption are used; explicit checksum settings are respected', async () => {
  const config = await resolved({
    ...keys,
    AWS_SESSION_TOKEN: 'TOKEN',
    AWS_REGION: 'us-east-2',
    AWS_ENDPOINT_URL: 'http://x:1',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'when_supported',
  });
  assert.equal(config.credentials.sessionToken, 'TOKEN');
  assert.equal(config.requestChecksum, 'WHEN_SUPPORTED');
});

test('AWS_MAX_ATTEMPTS sets the attempts per request; the default is 6', async () => {
  assert.equal(
    (await resolved({ ...keys, AWS_REGION: 'us-east-1' })).retry.maxAttempts,
    DEFAULT_RETRY_POLICY.maxAttempts,
  );
  assert.equal((await resolved({ ...keys, AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '9' })).retry.maxAttempts, 9);
  assert.throws(
    () => createS3Client({ env: { AWS_MAX_ATTEMPTS: 'lots' }, logger: silentLogger }),
    (error: unknown) =>
      error instanceof UserError && /AWS_MAX_ATTEMPTS must be a positive integer; got "lots"/.test(error.message),
  );
});

test('a malformed endpoint is a UserError naming the variable', () => {
  assert.throws(
    () => createS3Client({ env: { AWS_ENDPOINT_URL_S3: 'minio:9000' }, logger: silentLogger }),
    (error: unknown) =>
      error instanceof UserError &&
      /AWS_ENDPOINT_URL_S3="minio:9000" must start with http:\/\/ or https:\/\//.test(error.message),
  );
  assert.throws(
    () => createS3Client({ env: { AWS_ENDPOINT_URL: 'not a url' }, logger: silentLogger }),
    (error: unknown) => error instanceof UserError && /AWS_ENDPOINT_URL="not a url" is not a URL/.test(error.message),
  );
});
