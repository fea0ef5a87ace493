/**
 * `cairn runner install` against a fake actions/runner release: the Releases API on the
 * OpenAPI-checked fake, the tarball from a server on loopback. It installs only what matches the
 * digest GitHub publishes (or `--sha256`), and refuses without one.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../core/logger.ts';
import { installRunner } from '../../runner/install.ts';
import { githubApi } from '../support/github-api.ts';
import { PROXY_ONLY_DOMAIN, startHttpProxy } from '../support/http-proxy.ts';
import { startFakeGithub } from '../e2e/support/fake-github.ts';

const VERSION = '2.321.0';
const ASSET = `actions-runner-linux-x64-${VERSION}.tar.gz`;
const LINUX_X64 = { platform: 'linux', arch: 'x64' } as const;

/** A runner tarball as the release ships it: run.sh at the top. */
function runnerTarball(): Buffer {
  const folder = mkdtempSync(join(tmpdir(), 'cairn-runner-release-'));
  writeFileSync(join(folder, 'run.sh'), '#!/bin/bash\necho runner\n', { mode: 0o755 });
  mkdirSync(join(folder, 'bin'));
  writeFileSync(join(folder, 'bin', 'Runner.Listener'), 'binary\n');
  return execFileSync('tar', ['-czf', '-', '-C', folder, '.']);
}

async function releaseServer(t: { after(fn: () => void): void }, body: Buffer) {
  const server = createServer((request, response) => {
    if (request.url !== `/download/${ASSET}`) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/download/${ASSET}`;
}

function release(url: string, digest: string | null) {
  return {
    data: {
      tag_name: `v${VERSION}`,
      assets: [
        {
          name: `actions-runner-win-x64-${VERSION}.zip`,
          digest: `sha256:${'0'.repeat(64)}`,
          browser_download_url: url,
        },
        { name: ASSET, digest, browser_download_url: url },
      ],
    },
  };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

test('installs the release for this platform when its SHA-256 matches the digest GitHub publishes', async (t) => {
  const tarball = runnerTarball();
  const url = await releaseServer(t, tarball);
  const gh = githubApi(t);
  gh.once('GET /repos/{owner}/{repo}/releases/tags/{tag}', (request) => {
    assert.deepEqual(request.params, { owner: 'actions', repo: 'runner', tag: `v${VERSION}` });
    return release(url, `sha256:${sha256(tarball)}`);
  });
  const dir = join(mkdtempSync(join(tmpdir(), 'cairn-install-')), 'actions-runner');
  const installed = await installRunner({
    dir,
    version: VERSION,
    env: {},
    logger: silentLogger,
    machine: LINUX_X64,
    retries: 0,
  });
  assert.equal(installed.asset, ASSET);
  assert.equal(installed.sha256, sha256(tarball));
  assert.equal(readFileSync(join(dir, 'run.sh'), 'utf8'), '#!/bin/bash\necho runner\n');
  assert.deepEqual(readdirSync(dir).sort(), ['bin', 'run.sh'], 'nothing of the download is left behind');
});

test('the latest release, checked against --sha256 when GitHub publishes no digest', async (t) => {
  const tarball = runnerTarball();
  const url = await releaseServer(t, tarball);
  githubApi(t).once('GET /repos/{owner}/{repo}/releases/latest', release(url, null));
  const dir = mkdtempSync(join(tmpdir(), 'cairn-install-'));
  const installed = await installRunner({
    dir,
    sha256: sha256(tarball),
    env: {},
    logger: silentLogger,
    machine: LINUX_X64,
    retries: 0,
  });
  assert.equal(installed.version, VERSION);
  assert.ok(existsSync(join(dir, 'run.sh')));
});

test('refuses to install without a digest to check, before downloading anything', async (t) => {
  let downloads = 0;
  const server = createServer((_request, response) => void (downloads++, response.end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/download/${ASSET}`;
  githubApi(t).once('GET /repos/{owner}/{repo}/releases/tags/{tag}', release(url, null));
  const dir = mkdtempSync(join(tmpdir(), 'cairn-install-'));
  await assert.rejects(
    installRunner({ dir, version: VERSION, env: {}, logger: silentLogger, machine: LINUX_X64, retries: 0 }),
    /GitHub publishes no SHA-256 digest for actions-runner-linux-x64-2\.321\.0\.tar\.gz.*--sha256/,
  );
  assert.equal(downloads, 0);
  assert.deepEqual(readdirSync(dir), []);
});

test('refuses a download whose SHA-256 differs, installing nothing', async (t) => {
  const tarball = runnerTarball();
  const url = await releaseServer(t, tarball);
  githubApi(t).once('GET /repos/{owner}/{repo}/releases/tags/{tag}', release(url, `sha256:${'a'.repeat(64)}`));
  const dir = mkdtempSync(join(tmpdir(), 'cairn-install-'));
  await assert.rejects(
    installRunner({ dir, version: VERSION, env: {}, logger: silentLogger, machine: LINUX_X64, retries: 0 }),
    new RegExp(`has SHA-256 ${sha256(tarball)}, not a{64}: not installed`),
  );
  assert.deepEqual(readdirSync(dir), []);
});

test('asks GitHub and downloads through the proxy HTTPS_PROXY and HTTP_PROXY name', async (t) => {
  const proxy = await startHttpProxy();
  t.after(() => proxy.close());
  const github = await startFakeGithub();
  t.after(() => github.close());
  const tarball = runnerTarball();
  const download = new URL(await releaseServer(t, tarball));
  // Hosts only the proxy can reach: a request arrives only if it went through the proxy.
  const url = `http://download.${PROXY_ONLY_DOMAIN}:${download.port}${download.pathname}`;
  github.gh.once('GET /repos/{owner}/{repo}/releases/tags/{tag}', release(url, `sha256:${sha256(tarball)}`));
  const apiUrl = github.baseUrl.replace('127.0.0.1', `api.${PROXY_ONLY_DOMAIN}`);
  const dir = mkdtempSync(join(tmpdir(), 'cairn-install-'));
  const env = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
  await installRunner({ dir, version: VERSION, env, apiUrl, logger: silentLogger, machine: LINUX_X64, retries: 0 });
  assert.ok(existsSync(join(dir, 'run.sh')));
  assert.deepEqual(proxy.hosts().sort(), [`api.${PROXY_ONLY_DOMAIN}`, `download.${PROXY_ONLY_DOMAIN}`]);
  github.gh.done();
});

test("sends GITHUB_TOKEN only to the GitHub it belongs to: not to github.com's releases when GITHUB_API_URL names a GHES", async (t) => {
  const github = await startFakeGithub();
  t.after(() => github.close());
  const tarball = runnerTarball();
  const url = await releaseServer(t, tarball);
  const authorizations: (string | undefined)[] = [];
  const answer = (request: { headers: Record<string, string> }) => {
    authorizations.push(request.headers.authorization);
    return release(url, `sha256:${sha256(tarball)}`);
  };
  github.gh.on('GET /repos/{owner}/{repo}/releases/tags/{tag}', answer);
  const install = (env: NodeJS.ProcessEnv) =>
    installRunner({
      dir: mkdtempSync(join(tmpdir(), 'cairn-install-')),
      version: VERSION,
      env,
      apiUrl: github.baseUrl,
      logger: silentLogger,
      machine: LINUX_X64,
      retries: 0,
    });

  await install({ GITHUB_TOKEN: 'ghp_ghes_secret', GITHUB_API_URL: 'https://ghe.example.com/api/v3' });
  await install({ GH_TOKEN: 'ghp_ghes_secret', GITHUB_API_URL: 'https://ghe.example.com/api/v3' });
  await install({ GITHUB_TOKEN: 'ghp_github_token' });
  await install({ GITHUB_TOKEN: 'ghp_same_host', GITHUB_API_URL: `${github.baseUrl}/` });
  assert.equal(authorizations.length, 4);
  assert.deepEqual(authorizations.slice(0, 3), [undefined, undefined, undefined], 'a token went to another GitHub');
  assert.match(authorizations[3] ?? '', /ghp_same_host/, 'the token of the GitHub it calls is sent');
});

test('sends GITHUB_TOKEN to api.github.com when GITHUB_API_URL is unset', async (t) => {
  const tarball = runnerTarball();
  const url = await releaseServer(t, tarball);
  let authorization: string | undefined;
  githubApi(t).once('GET /repos/{owner}/{repo}/releases/tags/{tag}', (request) => {
    authorization = request.headers.authorization;
    return release(url, `sha256:${sha256(tarball)}`);
  });
  const dir = mkdtempSync(join(tmpdir(), 'cairn-install-'));
  const env = { GITHUB_TOKEN: 'ghp_github_token' };
  await installRunner({ dir, version: VERSION, env, logger: silentLogger, machine: LINUX_X64, retries: 0 });
  assert.match(authorization ?? '', /ghp_github_token/);
});
