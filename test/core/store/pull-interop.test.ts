/**
 * Data DVC pushed, uploaded by an independent client, pulls back exactly: the fixture remotes (DVC 3
 * and DVC 2 layouts, written by test/fixtures/dvc/generate.py) synced into s3rver with the AWS CLI,
 * then every pointer of the fixture repo pulled and compared byte for byte with the fixture
 * workspace. The same through the file store, straight from the fixture folders.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../../core/logger.ts';
import { openStore, pullPointerFile, type ObjectStore, type PullResult } from '../../../core/store/index.ts';
import { tempDir } from '../../support/cli.ts';
import { startS3Server, type S3Server } from '../../support/s3-server.ts';
import { FIXTURES } from './dvc/helpers.ts';

const POINTERS = ['data.txt.dvc', 'foobar.dvc', 'legacy.dvc', 'dvc.lock'];
const WORKSPACE = join(FIXTURES, 'workspace');

const version = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const skip = version.status === 0 ? false : "the AWS CLI (`aws`) is not installed; .ci/run installs Debian's awscli";

let server: S3Server | undefined;
let work: string;
const stores: ObjectStore[] = [];

before(async () => {
  work = tempDir('cairn-pull-interop-');
  if (!skip) server = await startS3Server();
});
after(async () => {
  stores.forEach((store) => store.close());
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Runs `aws --endpoint-url <s3rver> ...` with only the settings it needs (no ~/.aws, no instance metadata). */
function aws(s3: S3Server, ...args: string[]): Promise<string> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: work,
    AWS_ACCESS_KEY_ID: s3.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: s3.env.AWS_SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: s3.env.AWS_REGION,
    AWS_CONFIG_FILE: join(work, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  return new Promise((resolve, reject) => {
    execFile('aws', ['--endpoint-url', s3.endpoint, ...args], { env, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`aws ${args.join(' ')}: ${stderr}`, { cause: error })) : resolve(stdout),
    );
  });
}

/** Every file under `root`, relative and POSIX, sorted. */
function filesIn(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** A temp copy of the fixture repo's pointer files (and nothing else). */
function freshRepo(name: string): string {
  const repo = join(work, name);
  mkdirSync(repo);
  for (const pointer of POINTERS) cpSync(join(FIXTURES, 'repo', pointer), join(repo, pointer));
  return repo;
}

/** The pulled repo holds the fixture workspace exactly: the same files, byte for byte, and nothing more. */
function assertMatchesWorkspace(repo: string): void {
  const pulled = filesIn(repo).filter((path) => !POINTERS.includes(path));
  assert.deepEqual(pulled, filesIn(WORKSPACE));
  for (const path of pulled)
    assert.ok(
      readFileSync(join(repo, path)).equals(readFileSync(join(WORKSPACE, path))),
      `${path} is byte-identical to the fixture`,
    );
}

/** What each pointer's pull reports, in a form to compare with the fixture's expected outputs. */
function summary(results: Record<string, PullResult>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(results).map(([pointer, result]) => [
      pointer,
      result.outputs.map((output) => `${output.relpath} ${output.md5} ${output.files}`),
    ]),
  );
}

const expectedSummary = {
  'data.txt.dvc': ['data.txt fb49ede462d49d32bf45ca714501998e 1'],
  'foobar.dvc': ['foobar 5ea40360f5b4ec688df672a4db9c17d1.dir 2'],
  'legacy.dvc': ['legacy 25c16afed5abf48a105073b071c389b9.dir 3'],
  'dvc.lock': [
    'prepared 8a3a8bed86eeccfe34aa8167f260c14d.dir 2',
    'model.bin 9ae1b0cd8464f71018772f5aae6c505d 1',
    'metrics.json 23a83a594bb746e174c0e9a92ff85ef1 1',
  ],
};

test(
  'data uploaded by the AWS CLI in DVC layout (3.x and 2.x objects side by side) pulls byte-identical to the workspace DVC hashed',
  { skip },
  async () => {
    const s3 = server!;
    // One remote holding both layouts, as a DVC 3 remote that once took DVC 2 pushes does.
    const local = join(work, 'remote');
    cpSync(join(FIXTURES, 'remote-3x'), local, { recursive: true });
    cpSync(join(FIXTURES, 'remote-2x'), local, { recursive: true });
    await aws(s3, 's3', 'sync', '--only-show-errors', local, `s3://${s3.bucket}/dvc-remote/`);
    const listing = JSON.parse(
      await aws(s3, 's3api', 'list-objects-v2', '--bucket', s3.bucket, '--prefix', 'dvc-remote/', '--output', 'json'),
    ) as { Contents: Array<{ Key: string }> };
    assert.deepEqual(
      listing.Contents.map((object) => object.Key.slice('dvc-remote/'.length)).sort(),
      filesIn(local),
      'the CLI uploaded every object',
    );

    const store = openStore(`s3://${s3.bucket}/dvc-remote`, { env: s3.env, logger: silentLogger });
    stores.push(store);
    const repo = freshRepo('from-s3');
    const results: Record<string, PullResult> = {};
    for (const pointer of POINTERS)
      results[pointer] = await pullPointerFile(join(repo, pointer), { store, logger: silentLogger });
    assertMatchesWorkspace(repo);
    assert.deepEqual(summary(results), expectedSummary);
    assert.equal(
      Object.values(results).reduce((sum, result) => sum + result.downloaded.files, 0),
      filesIn(WORKSPACE).length,
      'every file came from the remote',
    );
  },
);

test('the same objects pull through the file store, straight from the fixture folders', async () => {
  const repo = freshRepo('from-files');
  const remote3x = openStore(join(FIXTURES, 'remote-3x'), { env: {}, logger: silentLogger });
  const remote2x = openStore(join(FIXTURES, 'remote-2x'), { env: {}, logger: silentLogger });
  const results: Record<string, PullResult> = {};
  results['data.txt.dvc'] = await pullPointerFile(join(repo, 'data.txt.dvc'), {
    store: remote3x,
    logger: silentLogger,
  });
  results['foobar.dvc'] = await pullPointerFile(join(repo, 'foobar.dvc'), { store: remote3x, logger: silentLogger });
  results['legacy.dvc'] = await pullPointerFile(join(repo, 'legacy.dvc'), { store: remote2x, logger: silentLogger });
  // dvc.lock names DVC 3 outputs and one DVC 2 output (metrics.json has no `hash: md5`): it needs both layouts in one remote.
  const merged = join(work, 'merged-remote');
  cpSync(join(FIXTURES, 'remote-3x'), merged, { recursive: true });
  cpSync(join(FIXTURES, 'remote-2x'), merged, { recursive: true });
  results['dvc.lock'] = await pullPointerFile(join(repo, 'dvc.lock'), {
    store: openStore(merged, { env: {}, logger: silentLogger }),
    logger: silentLogger,
  });
  assertMatchesWorkspace(repo);
  assert.deepEqual(summary(results), expectedSummary);
});
