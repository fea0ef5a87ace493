/**
 * The direct GET must address and sign a request exactly as the SDK's GetObjectCommand would, for
 * every kind of endpoint S3 users have: a client whose HTTP handler records requests (nothing leaves
 * the process) sends the same GET both ways, and the two are compared.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { HttpResponse, type HttpRequest } from '@smithy/core/transport';
import { DirectGetter } from '../../../core/store/internal/s3-direct-get.ts';

function recordingClient(config: S3ClientConfig, status = 200): { client: S3Client; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const requestHandler = {
    handle: async (request: HttpRequest) => {
      requests.push(request);
      return {
        response: new HttpResponse({
          statusCode: status,
          headers: { 'content-length': '3', etag: '"abc"' },
          body: Readable.from([Buffer.from('abc')]),
        }),
      };
    },
  };
  const client = new S3Client({
    ...config,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
    requestHandler,
  });
  return { client, requests };
}

/** What addresses and authorises a request; the SDK's own telemetry headers are left out. */
function essentials(request: HttpRequest) {
  const authorization = String(request.headers.authorization);
  return {
    protocol: request.protocol,
    hostname: request.hostname,
    port: request.port,
    path: request.path,
    host: request.headers.host,
    range: request.headers.range,
    ifMatch: request.headers['if-match'],
    token: request.headers['x-amz-security-token'],
    scope: /Credential=AKIDEXAMPLE\/\d{8}\/([^,]+),/.exec(authorization)?.[1],
    signs: ['host', 'range', 'if-match', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token'].filter((name) =>
      new RegExp(`SignedHeaders=[^,]*\\b${name}\\b`).test(authorization),
    ),
  };
}

const endpoints: Array<{ name: string; config: S3ClientConfig; bucket: string }> = [
  { name: 'AWS, virtual-hosted', config: { region: 'eu-west-1' }, bucket: 'my-bucket' },
  { name: 'AWS, a dotted bucket (path-style)', config: { region: 'us-west-2' }, bucket: 'my.dotted.bucket' },
  { name: 'AWS FIPS', config: { region: 'us-east-1', useFipsEndpoint: true }, bucket: 'my-bucket' },
  { name: 'AWS dual-stack', config: { region: 'ap-south-1', useDualstackEndpoint: true }, bucket: 'my-bucket' },
  {
    name: 'S3-compatible endpoint, path-style',
    config: { region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true },
    bucket: 'data',
  },
  {
    name: 'S3-compatible endpoint under a path',
    config: { region: 'auto', endpoint: 'https://storage.example.com/s3', forcePathStyle: true },
    bucket: 'data',
  },
];
const keys = [
  'files/md5/ab/cdef0123456789abcdef0123456789',
  "my data/a+b=c!(x)*'~.csv",
  'ünïcødé/日本/file.bin',
  'a//b/',
  'percent%20sign?#&;',
];

for (const { name, config, bucket } of endpoints) {
  test(`direct GETs are the SDK's GetObject requests: ${name}`, async () => {
    const { client, requests } = recordingClient(config);
    const direct = new DirectGetter(client, bucket);
    try {
      for (const key of keys) {
        for (const headers of [{}, { range: 'bytes=5-99', ifMatch: '"0123abcd"' }]) {
          await client.send(
            new GetObjectCommand({
              Bucket: bucket,
              Key: key,
              Range: (headers as { range?: string }).range,
              IfMatch: (headers as { ifMatch?: string }).ifMatch,
            }),
          );
          const answer = await direct.get(key, headers);
          assert.equal((await answer?.body.toArray())?.join(''), 'abc');
          const [sdk, ours] = requests.splice(0).map(essentials);
          assert.deepEqual(ours, sdk, `key ${JSON.stringify(key)} ${JSON.stringify(headers)}`);
          assert.equal(answer?.etag, '"abc"');
          assert.equal(answer?.contentLength, 3);
        }
      }
    } finally {
      client.destroy();
    }
  });
}

test('an answer other than 200/206 is left to the SDK: undefined, the body released', async () => {
  const { client, requests } = recordingClient({ region: 'eu-west-1' }, 404);
  const direct = new DirectGetter(client, 'my-bucket');
  assert.equal(await direct.get('k', {}), undefined);
  assert.equal(requests.length, 1);
  client.destroy();
});

test('a region redirect turns the direct path off for good; a 5xx pauses it', async () => {
  const moved = recordingClient({ region: 'eu-west-1' }, 301);
  const direct = new DirectGetter(moved.client, 'my-bucket');
  assert.equal(await direct.get('k', {}), undefined);
  assert.equal(await direct.get('k', {}), undefined);
  assert.equal(moved.requests.length, 1, 'the second GET never tried the direct path');
  moved.client.destroy();

  const busy = recordingClient({ region: 'eu-west-1' }, 503);
  const paused = new DirectGetter(busy.client, 'my-bucket');
  assert.equal(await paused.get('k', {}), undefined);
  assert.equal(await paused.get('k', {}), undefined);
  assert.equal(busy.requests.length, 1);
  busy.client.destroy();
});

test('an endpoint that needs another signing scheme never takes the direct path', async () => {
  // A multi-region access point is signed with SigV4a, which this path does not do.
  const { client, requests } = recordingClient({ region: 'us-east-1' });
  const direct = new DirectGetter(client, 'arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap');
  assert.equal(await direct.get('k', {}), undefined);
  assert.equal(requests.length, 0);
  client.destroy();
});

test('credentials that cannot be loaded leave the GET to the SDK, which reports them', async () => {
  const requests: HttpRequest[] = [];
  const client = new S3Client({
    region: 'eu-west-1',
    credentials: async () => {
      throw new Error('no credentials in this environment');
    },
    requestHandler: {
      handle: async (request: HttpRequest) => (
        requests.push(request),
        { response: new HttpResponse({ statusCode: 200, headers: {}, body: Readable.from([]) }) }
      ),
    },
  });
  assert.equal(await new DirectGetter(client, 'my-bucket').get('k', {}), undefined);
  assert.equal(requests.length, 0, 'nothing unsigned was sent');
  client.destroy();
});
