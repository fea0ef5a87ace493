/**
 * Shared checks for the bad-input tables (one per command and per action): a user error is the
 * exit code that means "change something", a message saying what, no stack trace, and nothing written.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file and folder under `root`, relative, sorted: a folder made counts as written too. */
export function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      out.push(relative(root, path) + (entry.isDirectory() ? '/' : ''));
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(root);
  return out.sort();
}

const STACK_FRAME = /\n\s+at /;

/** The CLI's answer to a user error: exit 2 (unless `code` says otherwise), the message on stderr, no stack trace. */
export function assertCliRefusal(
  result: { code: number; stderr: string },
  expected: { code?: number; message: RegExp },
  label: string,
): void {
  assert.equal(result.code, expected.code ?? 2, `${label}: exit ${result.code}\n${result.stderr}`);
  assert.match(result.stderr, expected.message, label);
  assert.doesNotMatch(result.stderr, STACK_FRAME, `${label}: a user error prints no stack trace`);
}

/** The CLI flags of Cairn's commands: an action's message names its inputs (`model:`) instead. */
const CLI_FLAG =
  /--(model|data|target|features|task|device|name|baseline|gate|no-gate|force|out|remote|cache|cache-dir|jobs|card-out|comment-out|metrics)\b/;

/**
 * A step's answer to a user error: exit 1, the message on an `::error::` line, no stack trace, and
 * no CLI flag in it (the step names its inputs).
 */
export function assertStepRefusal(
  result: { code: number; stdout: string; stderr: string },
  message: RegExp,
  label: string,
): void {
  const error = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('::error::'))
    .join('\n');
  assert.equal(result.code, 1, `${label}: exit ${result.code}\n${result.stdout}${result.stderr}`);
  assert.match(error, message, `${label}: ${result.stdout}`);
  assert.doesNotMatch(result.stdout + result.stderr, STACK_FRAME, `${label}: a user error prints no stack trace`);
  assert.doesNotMatch(error, CLI_FLAG, `${label}: the message names the action's input, not the CLI flag`);
}
