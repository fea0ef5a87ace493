import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { silentLogger } from '../../../core/logger.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import type { PullProgress } from '../../../core/store/pull.ts';
import { pullPointerFile, pullSources } from '../../../core/store/pull.ts';
import { readDvcPointers } from '../../../core/store/internal/dvc/read-dvc-pointers.ts';
import { objectKey } from '../../../core/store/internal/dvc/object-key.ts';
import { planPull, pullPlan } from '../../../core/store/pull-targets.ts';
import { FIXTURES, tempFolder, userError } from './dvc/helpers.ts';

describe('planPull / pullPlan: several pointer files in one pull', () => {
  const scratch = tempFolder('cairn-pull-targets-');
  after(scratch.cleanup);
  let count = 0;
  const checkout = () => {
    const root = join(scratch.path, `run-${count++}`);
    cpSync(join(FIXTURES, 'repo'), join(root, 'repo'), { recursive: true });
    cpSync(join(FIXTURES, 'remote-3x'), join(root, 'remote'), { recursive: true });
    cpSync(join(FIXTURES, 'remote-2x'), join(root, 'remote'), { recursive: true });
    return root;
  };

  test("results add up, progress runs over every target, and the hash of one target is the engine's", async () => {
    const root = checkout();
    const cwd = join(root, 'repo');
    const plan = await planPull(['data.txt.dvc', 'foobar', 'legacy.dvc'], {
      remote: '../remote',
      remoteLabel: '--remote',
      cwd,
    });
    assert.deepEqual(
      plan.targets.map((target) => target.pointerPath),
      ['data.txt.dvc', 'foobar.dvc', 'legacy.dvc'].map((name) => join(cwd, name)),
    );
    assert.deepEqual(
      plan.targets.map((target) => target.remote.source),
      ['--remote', '--remote', '--remote'],
    );

    const seen: PullProgress[] = [];
    const result = await pullPlan(plan, {
      env: {},
      cwd,
      logger: silentLogger,
      onProgress: (progress) => seen.push(progress),
    });
    assert.deepEqual([result.files, result.bytes], [6, 12 + 6 + 91]);
    assert.deepEqual(result.downloaded, { files: 6, bytes: 109 });
    assert.deepEqual(
      result.outputs.map((output) => output.relpath),
      ['data.txt', 'foobar', 'legacy'],
    );
    assert.equal(result.manifestHash, plan.manifestHash);
    const last = seen[seen.length - 1];
    assert.deepEqual([last.filesDone, last.filesTotal, last.bytesDone, last.bytesTotal], [6, 6, 109, 109]);
    for (let index = 1; index < seen.length; index++)
      assert.ok(seen[index].filesDone >= seen[index - 1].filesDone, 'files done never goes back');
    for (const name of ['data.txt', 'foobar/foo', 'legacy/notes/lf.txt'])
      assert.deepEqual(readFileSync(join(cwd, name)), readFileSync(join(FIXTURES, 'workspace', name)));

    const single = await planPull(['foobar.dvc'], { remote: '../remote', remoteLabel: '--remote', cwd });
    const engine = await pullPointerFile(join(cwd, 'foobar.dvc'), {
      store: new FileStore(join(root, 'remote')),
      logger: silentLogger,
    });
    assert.equal(single.manifestHash, engine.manifestHash);
  });

  test('a bad target anywhere in the list fails before anything is written', async () => {
    const root = checkout();
    const cwd = join(root, 'repo');
    await assert.rejects(
      planPull(['data.txt.dvc', 'missing.dvc'], { remote: '../remote', remoteLabel: '--remote', cwd }),
      userError(/missing\.dvc does not exist/),
    );
    await assert.rejects(
      planPull(['data.txt.dvc'], { remote: '../nowhere', remoteLabel: 'the `remote` input', cwd }),
      userError(/\(the `remote` input\) is not a folder on this machine/),
    );
    await assert.rejects(planPull([], { remoteLabel: '--remote', cwd }), userError(/nothing to pull/));
    assert.equal(existsSync(join(cwd, 'data.txt')), false);
  });
});

describe('outputs that overlap across the targets of one pull (DVC: OverlappingOutputPathsError)', () => {
  const scratch = tempFolder('cairn-pull-overlap-');
  after(scratch.cleanup);
  let count = 0;
  const md5 = (bytes: string) => createHash('md5').update(bytes).digest('hex');

  /** data.dvc tracks the folder `data` (one file, x); data/x.dvc and dvc.lock name data/x and data again. */
  async function overlapping() {
    const root = join(scratch.path, `run-${count++}`);
    const repo = join(root, 'repo');
    const store = new FileStore(join(root, 'remote'));
    const file = md5('bytes\n');
    await store.put(objectKey(file, '3.x'), Buffer.from('bytes\n'));
    const manifest = `[{"md5": "${file}", "relpath": "x"}]`;
    const dir = `${md5(manifest)}.dir`;
    await store.put(objectKey(dir, '3.x'), Buffer.from(manifest));
    mkdirSync(join(repo, 'data'), { recursive: true });
    writeFileSync(join(repo, 'data.dvc'), `outs:\n- md5: ${dir}\n  nfiles: 1\n  hash: md5\n  path: data\n`);
    writeFileSync(join(repo, 'data', 'x.dvc'), `outs:\n- md5: ${file}\n  size: 6\n  hash: md5\n  path: x\n`);
    writeFileSync(
      join(repo, 'dvc.lock'),
      `schema: '2.0'\nstages:\n  get:\n    cmd: get data\n    outs:\n    - path: data\n      hash: md5\n      md5: ${dir}\n      nfiles: 1\n`,
    );
    return { root, repo, store };
  }

  test('a folder in one target and a file inside it in another are refused before anything is read or written', async () => {
    const { repo } = await overlapping();
    await assert.rejects(
      planPull(['data.dvc', 'data/x.dvc'], { remote: '../remote', remoteLabel: '--remote', cwd: repo }),
      userError(
        new RegExp(
          `the outputs data \\(${join(repo, 'data.dvc')}\\) and x \\(${join(repo, 'data', 'x.dvc')}\\) overlap`,
        ),
        /Track the folder or the file, not both/,
        /Nothing was written/,
      ),
    );
    await assert.rejects(
      planPull(['data.dvc', 'dvc.lock'], { remote: '../remote', remoteLabel: '--remote', cwd: repo }),
      userError(/are the same path/),
    );
    assert.deepEqual(readdirSync(join(repo, 'data')), ['x.dvc']);
  });

  test('pulled together, the plan refuses them after reading the manifests, with nothing written', async () => {
    const { repo, store } = await overlapping();
    const sources = await Promise.all(
      [join(repo, 'data.dvc'), join(repo, 'data', 'x.dvc')].map(async (pointer) => ({
        root: join(pointer, '..'),
        outputs: await readDvcPointers(pointer),
        source: pointer,
        store,
      })),
    );
    await assert.rejects(
      pullSources(sources, { logger: silentLogger }),
      userError(/overlap: the second is inside the first/),
    );
    assert.deepEqual(readdirSync(join(repo, 'data')), ['x.dvc'], "nothing written, not even the folder's first file");
  });

  test('naming one pointer twice (data and data.dvc) pulls it once', async () => {
    const { repo } = await overlapping();
    const plan = await planPull(['data', 'data.dvc'], { remote: '../remote', remoteLabel: '--remote', cwd: repo });
    assert.equal(plan.targets.length, 1);
    const result = await pullPlan(plan, { env: {}, cwd: repo, logger: silentLogger });
    assert.equal(result.files, 1);
    assert.equal(readFileSync(join(repo, 'data', 'x'), 'utf8'), 'bytes\n');
  });
});
