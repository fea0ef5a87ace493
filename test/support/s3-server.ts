/**
 * A real S3-compatible server for tests: s3rver on 127.0.0.1, a free port, a fresh temp folder and
 * one bucket. It runs in a child process started with `--openssl-legacy-provider`: s3rver encrypts
 * its ListObjects continuation tokens with DES, which Node 20's OpenSSL 3 refuses otherwise (every
 * listing past 1,000 keys would fail with a 500), and a separate process keeps its work out of the
 * test's event loop.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface S3Server {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  bucket: string;
  /** What a store or the AWS CLI needs to reach the server. */
  env: { AWS_ENDPOINT_URL: string; AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_REGION: string };
  /** Where s3rver keeps the bucket's files (for tests that inspect or corrupt them). */
  directory: string;
  close(): Promise<void>;
}

// s3rver's CLI, with its file store's PUT made read-after-write consistent (see s3rver-launch.mjs).
const s3rverBin = fileURLToPath(new URL('./s3rver-launch.mjs', import.meta.url));
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export async function startS3Server(options: { bucket?: string } = {}): Promise<S3Server> {
  const bucket = options.bucket ?? 'cairn-test';
  const directory = mkdtempSync(join(tmpdir(), 'cairn-s3rver-'));
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      s3rverBin,
      '--directory',
      directory,
      '--address',
      '127.0.0.1',
      '--port',
      '0',
      '--silent',
      '--no-vhost-buckets',
      '--configure-bucket',
      bucket,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
  );
  running.add(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let port: number;
  try {
    port = await listeningPort(child);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  // A test that forgets close() must not hang its process; the exit hook above still kills the server.
  child.unref();
  (child.stdout as unknown as { unref(): void }).unref();
  (child.stderr as unknown as { unref(): void }).unref();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    },
    close: async () => {
      child.ref(); // keep this process alive until the server has gone
      child.kill('SIGTERM');
      await exited;
      running.delete(child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** s3rver's CLI prints "S3rver listening on 127.0.0.1:PORT" once it accepts connections. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`s3rver did not start within 15 s\n${stdout}${stderr}`)), 15_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on [\d.]+:(\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) =>
      fail(new Error(`s3rver exited with code ${code} before listening\n${stdout}${stderr}`)),
    );
  });
}

/**
 * The AWS CLI (the independent client of the interop tests) against `server`, with a `home` of its
 * own so no user config or credentials leak in; resolves with its stdout.
 */
export function awsCli(server: S3Server, home: string): (...args: string[]) => Promise<Buffer> {
  return (...args) =>
    new Promise<Buffer>((resolve, reject) => {
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: home,
        AWS_ACCESS_KEY_ID: server.env.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: server.env.AWS_SECRET_ACCESS_KEY,
        AWS_DEFAULT_REGION: server.env.AWS_REGION,
        AWS_CONFIG_FILE: join(home, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
      };
      execFile(
        'aws',
        ['--endpoint-url', server.endpoint, ...args],
        { env, encoding: 'buffer', maxBuffer: 64 << 20 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`aws ${args.join(' ')}: ${stderr.toString()}`, { cause: error })) : resolve(stdout),
      );
    });
}
