import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { silentLogger } from '../../../core/logger.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import type { PullProgress } from '../../../core/store/pull.ts';
import { pullPointerFile } from '../../../core/store/pull.ts';
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

  test('results add up, progress runs over every target, and the hash of one target is the engine\'s', async () => {
    const root = checkout();
    const cwd = join(root, 'repo');
    const plan = await planPull(['data.txt.dvc', 'foobar', 'legacy.dvc'], { remote: '../remote', remoteLabel: '--remote', cwd });
    assert.deepEqual(plan.targets.map((target) => target.pointerPath), ['data.txt.dvc', 'foobar.dvc', 'legacy.dvc'].map((name) => join(cwd, name)));
    assert.deepEqual(plan.targets.map((target) => target.remote.source), ['--remote', '--remote', '--remote']);

    const seen: PullProgress[] = [];
    const result = await pullPlan(plan, { env: {}, cwd, logger: silentLogger, onProgress: (progress) => seen.push(progress) });
    assert.deepEqual([result.files, result.bytes], [6, 12 + 6 + 91]);
    assert.deepEqual(result.downloaded, { files: 6, bytes: 109 });
    assert.deepEqual(result.outputs.map((output) => output.relpath), ['data.txt', 'foobar', 'legacy']);
    assert.equal(result.manifestHash, plan.manifestHash);
    const last = seen[seen.length - 1];
    assert.deepEqual([last.filesDone, last.filesTotal, last.bytesDone, last.bytesTotal], [6, 6, 109, 109]);
    for (let index = 1; index < seen.length; index++) assert.ok(seen[index].filesDone >= seen[index - 1].filesDone, 'files done never goes back');
    for (const name of ['data.txt', 'foobar/foo', 'legacy/notes/lf.txt']) assert.deepEqual(readFileSync(join(cwd, name)), readFileSync(join(FIXTURES, 'workspace', name)));

    const single = await planPull(['foobar.dvc'], { remote: '../remote', remoteLabel: '--remote', cwd });
    const engine = await pullPointerFile(join(cwd, 'foobar.dvc'), { store: new FileStore(join(root, 'remote')), logger: silentLogger });
    assert.equal(single.manifestHash, engine.manifestHash);
  });

  test('a bad target anywhere in the list fails before anything is written', async () => {
    const root = checkout();
    const cwd = join(root, 'repo');
    await assert.rejects(planPull(['data.txt.dvc', 'missing.dvc'], { remote: '../remote', remoteLabel: '--remote', cwd }), userError(/missing\.dvc does not exist/));
    await assert.rejects(planPull(['data.txt.dvc'], { remote: '../nowhere', remoteLabel: 'the `remote` input', cwd }), userError(/\(the `remote` input\) is not a folder on this machine/));
    await assert.rejects(planPull([], { remoteLabel: '--remote', cwd }), userError(/nothing to pull/));
    assert.equal(existsSync(join(cwd, 'data.txt')), false);
  });
});
