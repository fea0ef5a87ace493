import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { CliIO } from '../../cli/io.ts';
import { main } from '../../cli/run.ts';
import { CHURN, runCli, tempDir, trainChurn } from '../support/cli.ts';

/** What a command wrote, with stdout a terminal or not (no real tty needed: CliIO carries the flag). */
function capture(stdoutIsTTY: boolean, cwd: string): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    env: {},
    cwd,
    stdoutIsTTY,
  };
  return io;
}

describe('cairn evaluate: a table for a person, JSON for a program', () => {
  let dir: string;
  let args: string[];
  before(async () => {
    dir = tempDir();
    args = [
      'evaluate',
      '--model',
      await trainChurn(dir),
      '--data',
      join(CHURN, 'data', 'eval.csv'),
      '--target',
      'churned',
    ];
  });

  test('on a terminal, stdout gets the headline metrics table, not JSON, and stderr does not repeat it', async () => {
    const io = capture(true, dir);
    assert.equal(await main(args, io), 0, io.err);
    assert.throws(() => JSON.parse(io.out), SyntaxError);
    assert.match(io.out, /^churn-300 \(binary, 600 rows\)\nmetric\s+value\n/);
    assert.match(io.out, /^roc_auc\s+0\.\d{4}$/m);
    assert.doesNotMatch(io.err, /roc_auc/);
  });

  test('-q on a terminal still prints the table (it is the result) and nothing on stderr', async () => {
    const io = capture(true, dir);
    assert.equal(await main([...args, '-q'], io), 0, io.err);
    assert.match(io.out, /^roc_auc\s+0\.\d{4}$/m);
    assert.equal(io.err, '');
  });

  test('--json on a terminal prints the JSON, and the table goes to stderr as on a pipe', async () => {
    const io = capture(true, dir);
    assert.equal(await main([...args, '--json'], io), 0, io.err);
    assert.equal(JSON.parse(io.out).schema, 'cairn.metrics/v1');
    assert.match(io.err, /^roc_auc\s+0\.\d{4}$/m);
  });

  test('on a pipe, stdout is the JSON as before', async () => {
    const io = capture(false, dir);
    assert.equal(await main(args, io), 0, io.err);
    assert.equal(JSON.parse(io.out).schema, 'cairn.metrics/v1');
  });

  test('--out writes the file and leaves stdout empty on a terminal; with --json stdout gets the same JSON', async () => {
    const io = capture(true, dir);
    const out = join(dir, 'm.json');
    assert.equal(await main([...args, '--out', out], io), 0, io.err);
    assert.equal(io.out, '');
    const both = capture(true, dir);
    assert.equal(await main([...args, '--out', out, '--json'], both), 0, both.err);
    assert.equal(JSON.parse(both.out).schema, 'cairn.metrics/v1');
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).schema, 'cairn.metrics/v1');
  });

  test('the built CLI on a pipe prints JSON; its help names --json and the terminal table', async () => {
    const help = await runCli(['evaluate', '--help']);
    assert.match(
      help.stdout,
      /On a terminal it prints the headline metrics table; on a pipe, or with --json, the JSON\./,
    );
    assert.match(help.stdout, /--json {2,}print the metrics JSON to stdout even on a terminal/);
    assert.match(help.stdout, /--features @FILE {2,}the same, one name per line in FILE/);
    const piped = await runCli([...args, '-q'], { cwd: dir });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(JSON.parse(piped.stdout).schema, 'cairn.metrics/v1');
  });
});
