/** `cairn <command> --help` for every command `cairn --help` lists (registry's own commands: registry.test.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { usage } from '../../cli/run.ts';
import { runCli, tempDir } from '../support/cli.ts';

const commands = [...usage.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((match) => match[1]);

test('cairn --help lists the commands', () => {
  assert.deepEqual(commands, [
    'challenge',
    'demo',
    'drift',
    'evaluate',
    'gpu',
    'pull',
    'push',
    'registry',
    'report',
    'runner',
    'train',
  ]);
});

for (const command of commands) {
  test(`cairn ${command} --help and -h print its usage and exit 0, doing nothing else`, async () => {
    const cwd = tempDir();
    const help = await runCli([command, '--help'], { cwd });
    assert.equal(help.code, 0, help.stderr);
    assert.equal(help.stderr, '');
    assert.match(help.stdout, new RegExp(`^Usage: cairn ${command} `));
    assert.deepEqual(await runCli([command, '-h'], { cwd }), help);
    assert.deepEqual(readdirSync(cwd), [], 'it wrote nothing');
  });
}
