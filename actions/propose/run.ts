import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { onPromote, readRepoConfig } from '../../core/config/index.ts';
import { driftReportSchema, DRIFT_REPORT_SCHEMA, type DriftReport } from '../../core/drift/index.ts';
import { UserError } from '../../core/errors.ts';
import type { GitHubClient } from '../../core/github/index.ts';
import { checkModelName } from '../../core/registry/index.ts';
import { code, COMMENT_BODY_LIMIT, table } from '../../core/report/index.ts';
import { parseChallengeDecision, proposeRetrain, type ProposeResult } from '../../core/retrain/index.ts';
import { actionLogger, info, optionalInput, requiredInput } from '../shared/action-logger.ts';
import { actionOctokit } from '../shared/github-client.ts';
import { appendJobSummary } from '../shared/job-summary.ts';
import { readRunnerEnv, runUrl } from '../shared/runner-env.ts';
import { readFilesInput } from './files.ts';

const OUTPUTS = ['action', 'branch', 'pull-request-number', 'pull-request-url', 'commit', 'tag', 'version'] as const;

/** The decision and drift files are records Cairn wrote, a few KiB per column; more is not one of them. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** Enough of the report to fill a pull request body (up to 4 bytes a character) and to know it was longer. */
const REPORT_READ_BYTES = (COMMENT_BODY_LIMIT + 1) * 4;

/**
 * The input file's text, read up to `limit` bytes: past it a record is refused, a report cut (the
 * pull request body says it was cut).
 */
async function readInputFile(input: string, path: string, limit: number, over: 'refuse' | 'cut'): Promise<string> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > limit && over === 'refuse')
        throw new UserError(
          `input ${input}: ${path} is ${Math.round(size / 1024 / 1024)} MiB, over the ${limit / 1024 / 1024} MiB a Cairn record can be; name the file cairn wrote.`,
        );
      const buffer = Buffer.alloc(Math.min(size, limit));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`input ${input}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function parseDrift(text: string, source: string): DriftReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`input drift: ${source} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = driftReportSchema.safeParse(value);
  if (!parsed.success)
    throw new UserError(`input drift: ${source} is not a ${DRIFT_REPORT_SCHEMA} file (cairn drift --out wrote one).`);
  return parsed.data;
}

/** How the action builds its client; tests pass one with the 1 s spacing of writes turned off. */
type ClientFactory = (token: string, apiUrl: string | undefined) => GitHubClient;

/** actions/propose: inputs -> core/retrain's proposeRetrain -> outputs and a job summary line. */
export async function run(deps: { client?: ClientFactory } = {}): Promise<void> {
  const client = deps.client ?? actionOctokit;
  const env = readRunnerEnv();
  // Everything a wrong input can break is checked before the first request.
  const token = requiredInput('token');
  const model = checkModelName(requiredInput('model'));
  const decisionPath = requiredInput('decision');
  const decision = parseChallengeDecision(
    await readInputFile('decision', decisionPath, MAX_RECORD_BYTES, 'refuse'),
    decisionPath,
  );
  if (!env.repo) throw new UserError('GITHUB_REPOSITORY is not set: actions/propose runs in a workflow.');
  const workspace = env.workspace ?? process.cwd();
  const files = await readFilesInput(workspace);
  const reportPath = optionalInput('report');
  const report =
    reportPath === undefined ? undefined : await readInputFile('report', reportPath, REPORT_READ_BYTES, 'cut');
  const driftPath = optionalInput('drift');
  const drift =
    driftPath === undefined
      ? undefined
      : parseDrift(await readInputFile('drift', driftPath, MAX_RECORD_BYTES, 'refuse'), driftPath);
  const configInput = optionalInput('config');
  const config = await readRepoConfig(
    resolve(workspace, configInput ?? '.github/cairn.yml'),
    configInput !== undefined && configInput !== '.github/cairn.yml',
  );
  if (decision.decision === 'promote' && files.length === 0)
    throw new UserError(
      'input files is empty: a promotion commits the data pointer and the training record; list them.',
    );

  const result = await proposeRetrain(client(token, env.context.apiUrl), {
    ...env.repo,
    model,
    decision,
    drift,
    report,
    files,
    onPromote: onPromote(config),
    base: optionalInput('base'),
    runUrl: runUrl(env),
    logger: actionLogger,
  });
  setOutputs(result);
  await appendJobSummary(summary(model, decision.decision, result));
}

function setOutputs(result: ProposeResult): void {
  const values: Record<(typeof OUTPUTS)[number], string> = {
    action: result.action,
    branch: result.branch,
    'pull-request-number': result.pullRequest ? String(result.pullRequest.number) : '',
    'pull-request-url': result.pullRequest?.url ?? '',
    commit: result.commit ?? '',
    tag: result.tag ?? '',
    version: result.version ?? '',
  };
  for (const name of OUTPUTS) core.setOutput(name, values[name]);
  info(
    `${result.action}: ${result.branch}${result.pullRequest ? ` (pull request #${result.pullRequest.number})` : ''}`,
  );
}

function summary(model: string, decision: string, result: ProposeResult): string {
  const rows = [
    ['decision', code(decision)],
    ['action', code(result.action)],
    ['branch', code(result.branch)],
    ...(result.pullRequest ? [['pull request', `#${result.pullRequest.number}`]] : []),
    ...(result.tag ? [['registry tag', code(result.tag)]] : []),
  ];
  return `### Retraining of ${code(model)}\n\n${table([['', ''], ...rows])}\n`;
}
