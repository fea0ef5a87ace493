import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The files and variables the Actions runner gives a step. Tests run our actions against these for
 * real (no mocked @actions/core) and read the files back.
 */
export interface RunnerFiles {
  dir: string;
  env: Record<string, string>;
  outputs(): Record<string, string>;
  summary(): string;
}

export function runnerFiles(
  extra: { repository?: string; eventName?: string; event?: unknown; sha?: string } = {},
): RunnerFiles {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-runner-'));
  const files = {
    GITHUB_OUTPUT: 'output',
    GITHUB_STEP_SUMMARY: 'summary.md',
    GITHUB_PATH: 'path',
    GITHUB_ENV: 'env',
    GITHUB_EVENT_PATH: 'event.json',
  };
  const env: Record<string, string> = {
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
  };
  for (const [name, file] of Object.entries(files)) {
    env[name] = join(dir, file);
    writeFileSync(env[name], '');
  }
  writeFileSync(env.GITHUB_EVENT_PATH, JSON.stringify(extra.event ?? {}));
  if (extra.repository) env.GITHUB_REPOSITORY = extra.repository;
  if (extra.eventName) env.GITHUB_EVENT_NAME = extra.eventName;
  if (extra.sha) env.GITHUB_SHA = extra.sha;
  return {
    dir,
    env,
    outputs: () => parseFileCommand(readFileSync(env.GITHUB_OUTPUT, 'utf8')),
    summary: () => readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'),
  };
}

/** `name<<DELIMITER\nvalue\nDELIMITER` blocks, as @actions/core writes GITHUB_OUTPUT. */
export function parseFileCommand(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      result[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      result[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return result;
}

/** Inputs as the runner passes them: INPUT_<NAME> upper-cased, spaces as underscores, hyphens kept. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
}

/** Runs a bundled action (dist/<name>.js) in its own process, as the runner does (which starts it in GITHUB_WORKSPACE: pass `cwd`). */
export function runBundledAction(
  bundle: string,
  env: Record<string, string>,
  options: { cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Sets env vars for an in-process run and returns a function that restores them. */
export function withEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
