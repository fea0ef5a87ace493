/**
 * `cairn runner install`: the official actions runner for this platform, from actions/runner's
 * GitHub release, checked against the SHA-256 digest GitHub publishes for the release asset (the
 * Releases API's `digest`, "sha256:<hex>") or the one given with `--sha256`. Without a digest to
 * check it refuses: a runner runs every job's code, so an unverified download is not installed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { UserError } from '../core/errors.ts';
import { createOctokit, statusOf } from '../core/github/index.ts';
import type { Logger } from '../core/logger.ts';
import { proxiedFetch } from '../core/net/index.ts';
import type { Machine } from './labels.ts';

export interface InstallOptions {
  dir: string;
  /** `2.321.0` or `v2.321.0`; default the latest release. */
  version?: string;
  sha256?: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  machine?: Machine;
  /** Where actions/runner's releases are listed; default https://api.github.com. */
  apiUrl?: string;
  /** Tests: no retries. */
  retries?: number;
}

export interface Installed {
  dir: string;
  version: string;
  asset: string;
  sha256: string;
}

const PLATFORMS: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'osx' };
const ARCHES: Partial<Record<NodeJS.Architecture, string>> = { x64: 'x64', arm64: 'arm64', arm: 'arm' };

/** The release asset's name for this machine: `actions-runner-linux-x64-2.321.0.tar.gz`. */
export function runnerAssetName(machine: Machine, version: string): string {
  const platform = PLATFORMS[machine.platform];
  const arch = ARCHES[machine.arch];
  if (!platform || !arch)
    throw new UserError(
      `cairn runner install supports Linux and macOS on x64 and arm64 (and Linux on arm), not ${machine.platform}-${machine.arch}`,
    );
  return `actions-runner-${platform}-${arch}-${version}.tar.gz`;
}

function expectedDigests(published: string | null | undefined, given: string | undefined, asset: string): string[] {
  const digests: string[] = [];
  if (given !== undefined) {
    const hex = given.replace(/^sha256:/i, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new UserError(`--sha256 must be 64 hexadecimal digits, not "${given}"`);
    digests.push(hex);
  }
  if (published?.startsWith('sha256:')) digests.push(published.slice('sha256:'.length).toLowerCase());
  if (digests.length === 0)
    throw new UserError(
      `GitHub publishes no SHA-256 digest for ${asset}, so it cannot be checked; give the one from the release notes with --sha256`,
    );
  return digests;
}

const GITHUB_COM_API = 'https://api.github.com';

/**
 * The token in GITHUB_TOKEN/GH_TOKEN belongs to the GitHub GITHUB_API_URL names (github.com when
 * unset); sent to another, it would hand a GitHub Enterprise Server's token to github.com. The
 * releases are public: without a token the request is merely rate-limited.
 */
function tokenFor(apiUrl: string, env: NodeJS.ProcessEnv): string | undefined {
  const trim = (url: string) => url.replace(/\/+$/, '').toLowerCase();
  if (trim(env.GITHUB_API_URL || GITHUB_COM_API) !== trim(apiUrl)) return undefined;
  return env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
}

export async function installRunner(options: InstallOptions): Promise<Installed> {
  const { env, logger } = options;
  const fetch = proxiedFetch(env) ?? globalThis.fetch;
  const apiUrl = options.apiUrl ?? GITHUB_COM_API;
  const github = createOctokit({
    auth: tokenFor(apiUrl, env),
    baseUrl: apiUrl,
    logger,
    fetch,
    retries: options.retries,
  });
  const repo = { owner: 'actions', repo: 'runner' };
  let release;
  try {
    release = options.version
      ? (await github.rest.repos.getReleaseByTag({ ...repo, tag: `v${options.version.replace(/^v/, '')}` })).data
      : (await github.rest.repos.getLatestRelease(repo)).data;
  } catch (error) {
    if (statusOf(error) === 404)
      throw new UserError(`actions/runner has no release v${options.version}`, { cause: error });
    throw error;
  }
  const version = release.tag_name.replace(/^v/, '');
  const name = runnerAssetName(options.machine ?? { platform: process.platform, arch: process.arch }, version);
  const asset = release.assets.find((a) => a.name === name);
  if (!asset) throw new UserError(`actions/runner v${version} has no asset ${name}`);
  const digests = expectedDigests(asset.digest, options.sha256, name);

  if (existsSync(join(options.dir, 'run.sh')))
    throw new UserError(`${options.dir} already holds a runner (run.sh); install into an empty folder`);
  mkdirSync(options.dir, { recursive: true });
  const scratch = mkdtempSync(join(options.dir, '.download-'));
  try {
    const tarball = join(scratch, name);
    logger.info(`downloading ${asset.browser_download_url}`);
    const response = await fetch(asset.browser_download_url, { redirect: 'follow' });
    if (!response.ok || !response.body) throw new Error(`downloading ${name}: HTTP ${response.status}`);
    const hash = createHash('sha256');
    const hashing = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).on('data', (chunk) =>
      hash.update(chunk as Buffer),
    );
    await pipeline(hashing, createWriteStream(tarball));
    const actual = hash.digest('hex');
    const mismatch = digests.find((digest) => digest !== actual);
    if (mismatch)
      throw new UserError(
        `${name} has SHA-256 ${actual}, not ${mismatch}: not installed (a corrupt or altered download)`,
      );
    await promisify(execFile)('tar', ['-xzf', tarball, '-C', options.dir]);
    logger.info(`installed actions runner ${version} in ${options.dir} (SHA-256 ${actual} checked)`);
    return { dir: options.dir, version, asset: name, sha256: actual };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
