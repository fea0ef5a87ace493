import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readFeatureList } from '../../../core/evaluate/feature-list.ts';
import { userError } from '../../support/assertions.ts';

describe('readFeatureList: --features a,b or @FILE', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cairn-features-'));
  const cli = { cwd, label: '--features' };

  test('a comma-separated list, spaces around names dropped; nothing given is undefined', async () => {
    assert.deepEqual(await readFeatureList('tenure, charges ,calls', cli), ['tenure', 'charges', 'calls']);
    assert.equal(await readFeatureList(undefined, cli), undefined);
    assert.equal(await readFeatureList('  ', cli), undefined);
  });

  test('@FILE: one name per line, relative to the working folder; blank lines, CRLF and the trailing newline ignored', async () => {
    mkdirSync(join(cwd, 'conf'), { recursive: true });
    writeFileSync(join(cwd, 'conf', 'features.txt'), 'tenure\r\n\r\n  charges\ncalls, with a comma\n\n');
    assert.deepEqual(await readFeatureList('@conf/features.txt', cli), ['tenure', 'charges', 'calls, with a comma']);
    assert.deepEqual(
      await readFeatureList(`@${join(cwd, 'conf', 'features.txt')}`, cli),
      ['tenure', 'charges', 'calls, with a comma'],
      'an absolute path too',
    );
  });

  test('a missing file, a folder, an empty file and a bare @ are user errors naming the option and the fix', async () => {
    await assert.rejects(
      readFeatureList('@nope.txt', cli),
      userError(
        /^--features @nope\.txt: cannot read .*nope\.txt: there is no such file\. Name a text file with one feature name per line\.$/,
      ),
    );
    await assert.rejects(
      readFeatureList('@conf', { cwd, label: 'features:' }),
      userError(/^features: @conf: cannot read .*conf: it is a folder, not a file\./),
    );
    writeFileSync(join(cwd, 'empty.txt'), '\n\n  \n');
    await assert.rejects(
      readFeatureList('@empty.txt', cli),
      userError(/^--features @empty\.txt: .*empty\.txt lists no feature names; write one name per line/),
    );
    await assert.rejects(readFeatureList('@', cli), userError(/^--features @ needs a file name after the @/));
  });
});
