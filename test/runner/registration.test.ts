/**
 * Who registers and where: an organisation's runner group, the app's installation token instead of
 * a personal token, GitHub's refusal named as the right to grant, and that right kept out of the
 * app's default permissions.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { isUserError } from '../../core/errors.ts';
import { createJitRunner, createOctokit } from '../../core/github/index.ts';
import { silentLogger } from '../../core/logger.ts';
import { runnerClient } from '../../runner/github-client.ts';
import { githubApi, githubError } from '../support/github-api.ts';
import { startMachine } from './support/machine.ts';

const repoRoot = join(import.meta.dirname, '../..');

test("an organisation's runners join the runner group named by --runner-group", async (t) => {
  const group = (id: number, name: string, isDefault: boolean) => ({
    id,
    name,
    visibility: 'all',
    default: isDefault,
    runners_url: `https://api.github.com/orgs/acme/actions/runner-groups/${id}/runners`,
    inherited: false,
    allows_public_repositories: false,
  });
  const { api, stopped } = startMachine(t, {
    scope: { kind: 'org', org: 'acme' },
    runnerGroup: 'gpu-fleet',
    idleTimeoutMs: 100,
  });
  api.gh.on('GET /orgs/{org}/actions/runner-groups', {
    data: { total_count: 2, runner_groups: [group(1, 'Default', true), group(7, 'gpu-fleet', false)] },
  });
  assert.equal(await stopped, 0);
  assert.equal(api.gh.calls('POST /orgs/{org}/actions/runners/generate-jitconfig').length, 1);
  assert.equal(api.registrations[0].runnerGroupId, 7);
  assert.equal(api.gh.calls('DELETE /orgs/{org}/actions/runners/{runner_id}').length, 1, 'deregistered from the org');
});

test('a token without the right is refused with the right to grant named', async (t) => {
  const gh = githubApi(t);
  gh.on(
    'POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig',
    githubError(403, 'Resource not accessible by personal access token'),
  );
  const client = createOctokit({ auth: 'ghp_reader', retries: 0, throttle: false });
  const registering = createJitRunner(
    client,
    { kind: 'repo', owner: 'acme', repo: 'models' },
    {
      name: 'box-1',
      labels: ['self-hosted'],
      runnerGroupId: 1,
    },
  );
  await assert.rejects(registering, (error) => {
    assert.ok(isUserError(error));
    assert.match(error.message, /403: Resource not accessible.*repository "Administration" write on acme\/models/);
    return true;
  });
});

test("the Cairn app's credentials register through an installation token, never the app's JWT", async (t) => {
  const gh = githubApi(t);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  gh.once('GET /repos/{owner}/{repo}/installation', { data: { id: 42 } });
  gh.once('POST /app/installations/{installation_id}/access_tokens', {
    status: 201,
    data: { token: 'ghs_installation', expires_at: new Date(Date.now() + 3_600_000).toISOString() },
  });
  gh.once('POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig', {
    status: 201,
    data: { runner: { id: 5, name: 'box-1' }, encoded_jit_config: 'e30=' },
  });
  const scope = { kind: 'repo', owner: 'acme', repo: 'models' } as const;
  const client = await runnerClient({
    env: { APP_ID: '123', PRIVATE_KEY: pem.replace(/\n/g, '\\n') },
    scope,
    logger: silentLogger,
    retries: 0,
    throttle: false,
  });
  const jit = await createJitRunner(client, scope, { name: 'box-1', labels: ['self-hosted'], runnerGroupId: 1 });
  assert.equal(jit.id, 5);
  const [lookup] = gh.calls('GET /repos/{owner}/{repo}/installation');
  assert.match(
    lookup.headers.authorization,
    /^bearer [\w-]+\.[\w-]+\.[\w-]+$/i,
    'the app looks its installation up as itself',
  );
  const [register] = gh.calls('POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig');
  assert.equal(register.headers.authorization, 'token ghs_installation');
});

test('--token-file wins over GITHUB_TOKEN, its trailing newline dropped', async (t) => {
  const gh = githubApi(t);
  gh.once('POST /orgs/{org}/actions/runners/generate-jitconfig', {
    status: 201,
    data: { runner: { id: 6, name: 'box-2' }, encoded_jit_config: 'e30=' },
  });
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'cairn-token-')), 'token');
  writeFileSync(tokenFile, 'ghp_from_file\n', { mode: 0o600 });
  const scope = { kind: 'org', org: 'acme' } as const;
  const client = await runnerClient({
    env: { GITHUB_TOKEN: 'ghp_from_env' },
    scope,
    tokenFile,
    logger: silentLogger,
    retries: 0,
    throttle: false,
  });
  await createJitRunner(client, scope, { name: 'box-2', labels: ['self-hosted'], runnerGroupId: 1 });
  const [register] = gh.calls('POST /orgs/{org}/actions/runners/generate-jitconfig');
  assert.equal(register.headers.authorization, 'token ghp_from_file');
});

test('no credentials at all is a usage error that names the ways to give them', async () => {
  await assert.rejects(
    runnerClient({ env: {}, scope: { kind: 'org', org: 'acme' }, logger: silentLogger }),
    /--token-file, GITHUB_TOKEN, or the Cairn app’s APP_ID with PRIVATE_KEY/,
  );
});

test('the app does not ask for the rights to register runners by default', () => {
  const manifest = parse(readFileSync(join(repoRoot, 'app/app.yml'), 'utf8')) as {
    default_permissions: Record<string, string>;
  };
  assert.ok(!('administration' in manifest.default_permissions), 'repository Administration');
  assert.ok(!('organization_self_hosted_runners' in manifest.default_permissions), 'organisation Self-hosted runners');
});
