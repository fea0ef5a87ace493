import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve('dist/cli.js');
export const CHURN = resolve('examples/churn');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would: `node dist/cli.js ...` (npm test builds dist/ first). */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((done) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env };
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: options.cwd, env, maxBuffer: 32 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

export function tempDir(prefix = 'cairn-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Trains the churn example's model into `dir` (about a second). */
export function trainChurn(dir: string, epochs = 300): Promise<string> {
  const out = join(dir, `churn-${epochs}.onnx`);
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [join(CHURN, 'train.mjs'), '--out', out, '--epochs', String(epochs), '--quiet'],
      (error) => (error ? fail(error) : done(out)),
    );
  });
}
