import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { findDvcDir, parseDvcConfig, readDefaultDvcRemote } from '../../../../core/store/internal/dvc/dvc-config.ts';
import { tempFolder, userError } from './helpers.ts';

const sections = (text: string) =>
  Object.fromEntries([...parseDvcConfig(text, 'config')].map(([name, keys]) => [name, Object.fromEntries(keys)]));

describe('parseDvcConfig', () => {
  test('reads the file `dvc remote add -d` and `dvc remote modify` write', () => {
    const text =
      '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://bucket/dvc-store\n    endpointurl = https://minio.example.com:9000\n';
    assert.deepEqual(sections(text), {
      core: { remote: 'storage' },
      'remote "storage"': { url: 's3://bucket/dvc-store', endpointurl: 'https://minio.example.com:9000' },
    });
  });

  test('hand-written variants: double quotes, no quotes, quoted values, comments, CRLF, mixed case', () => {
    const text = [
      '# team settings',
      '[CORE]',
      'Remote = "Backup"   ',
      '; old style comment',
      '["remote \'a\'"]',
      "url = '/mnt/data store'  # quoted, so the space is kept",
      '[remote "Backup"]',
      'URL=s3://b/p # trailing comment',
      '',
    ].join('\r\n');
    assert.deepEqual(sections(text), {
      core: { remote: 'Backup' },
      "remote 'a'": { url: '/mnt/data store' },
      'remote "backup"': { url: 's3://b/p' },
    });
  });

  test('a line that is neither a section nor key = value names the file and the line', () => {
    assert.throws(
      () => parseDvcConfig('[core]\nremote storage\n', '/repo/.dvc/config'),
      userError(/\/repo\/\.dvc\/config, line 2/, /key = value/),
    );
    assert.throws(() => parseDvcConfig('url = s3://b\n', 'config'), userError(/line 1/, /before any \[section\]/));
    assert.throws(() => parseDvcConfig("[core]\nremote = 'storage\n", 'config'), userError(/no closing '/));
    assert.throws(() => parseDvcConfig('[[core]]\n', 'config'), userError(/nested sections/));
  });
});

describe('readDefaultDvcRemote', () => {
  const scratch = tempFolder('cairn-dvc-config-');
  after(scratch.cleanup);
  let count = 0;
  /** A repository with a .git and a .dvc folder holding `files`; returns its root. */
  const repo = (files: Record<string, string>, options: { git?: boolean } = {}) => {
    const root = join(scratch.path, `repo-${count++}`);
    mkdirSync(join(root, '.dvc'), { recursive: true });
    if (options.git !== false) mkdirSync(join(root, '.git'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, '.dvc', name), text);
    return root;
  };

  test('found from a folder deep inside the repository', async () => {
    const root = repo({ config: '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://bucket/dvc\n' });
    const deep = join(root, 'data', 'raw');
    mkdirSync(deep, { recursive: true });
    assert.equal(await findDvcDir(deep), join(root, '.dvc'));
    assert.deepEqual(await readDefaultDvcRemote(deep), {
      name: 'storage',
      url: 's3://bucket/dvc',
      configFile: join(root, '.dvc', 'config'),
    });
  });

  test('config.local wins key by key, and may set the default itself', async () => {
    const root = repo({
      config:
        '[core]\n    remote = shared\n[\'remote "shared"\']\n    url = s3://team/dvc\n    endpointurl = https://s3.team.example\n[\'remote "mine"\']\n    url = s3://me/dvc\n',
      'config.local': '[\'remote "shared"\']\n    url = s3://override/dvc\n',
    });
    assert.deepEqual(await readDefaultDvcRemote(root), {
      name: 'shared',
      url: 's3://override/dvc',
      endpointurl: 'https://s3.team.example',
      configFile: join(root, '.dvc', 'config.local'),
    });
    const other = repo({
      config: '[\'remote "mine"\']\n    url = s3://me/dvc\n',
      'config.local': '[core]\n    remote = mine\n',
    });
    assert.equal((await readDefaultDvcRemote(other))?.url, 's3://me/dvc');
  });

  test('a relative local url is relative to the .dvc folder, as DVC resolves it', async () => {
    const root = repo({ config: '[core]\n    remote = local\n[\'remote "local"\']\n    url = ../../shared-store\n' });
    assert.equal((await readDefaultDvcRemote(root))?.url, join(root, '..', 'shared-store'));
  });

  test('remote://base/sub is the base remote with a sub-folder', async () => {
    const root = repo({
      config:
        '[core]\n    remote = data\n[\'remote "base"\']\n    url = s3://bucket/root/\n    endpointurl = http://127.0.0.1:9000\n[\'remote "data"\']\n    url = remote://base/datasets\n',
    });
    assert.deepEqual(await readDefaultDvcRemote(root), {
      name: 'data',
      url: 's3://bucket/root/datasets',
      endpointurl: 'http://127.0.0.1:9000',
      configFile: join(root, '.dvc', 'config'),
    });
  });

  test('remote names are case-insensitive, as in DVC', async () => {
    const root = repo({ config: '[core]\n    remote = MyRemote\n[\'remote "myremote"\']\n    url = s3://b/p\n' });
    assert.equal((await readDefaultDvcRemote(root))?.name, 'myremote');
  });

  test('a default that names a missing remote is an error naming the file that set it', async () => {
    const root = repo({ config: '[core]\n    remote = storage\n[\'remote "backup"\']\n    url = s3://b/p\n' });
    await assert.rejects(
      readDefaultDvcRemote(root),
      userError(
        /\.dvc\/config sets the default remote "storage"/,
        /remotes with a url: backup/,
        /dvc remote add -d storage/,
      ),
    );
    const local = repo({
      config: '[\'remote "a"\']\n    url = s3://b/p\n',
      'config.local': '[core]\n    remote = gone\n',
    });
    await assert.rejects(readDefaultDvcRemote(local), userError(/config\.local sets the default remote "gone"/));
  });

  test('no default remote, or no DVC repository up to the git root: undefined', async () => {
    assert.equal(await readDefaultDvcRemote(repo({ config: '[\'remote "a"\']\n    url = s3://b/p\n' })), undefined);
    assert.equal(await readDefaultDvcRemote(repo({})), undefined);
    // A .dvc folder above the repository's root (.git) belongs to another project.
    const outer = repo({ config: '[core]\n    remote = a\n[\'remote "a"\']\n    url = s3://b/p\n' }, { git: false });
    const inner = join(outer, 'checkout');
    mkdirSync(join(inner, '.git'), { recursive: true });
    assert.equal(await findDvcDir(inner), undefined);
    assert.equal(await readDefaultDvcRemote(inner), undefined);
    assert.equal((await readDefaultDvcRemote(outer))?.url, 's3://b/p');
  });
});
