import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { UserError } from '../../core/errors.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import {
  DeployFailedError,
  type DeployResult,
  deployToStage,
  FileStore,
  type ModelPointer,
  type ObjectStore,
  openStore,
  parseModelName,
  pullModelArtifact,
  readModelPointer,
} from '../../core/store/index.ts';
import type { GitHubClient } from '../../core/github/index.ts';
import { codeCell, inert, inertLines, table } from '../../core/report/index.ts';
import { actionOctokit } from '../shared/github-client.ts';
import { actionLogger, info, optionalInput } from '../shared/action-logger.ts';
import { appendJobSummary } from '../shared/job-summary.ts';
import { readRunnerEnv, runUrl, type RunnerEnv } from '../shared/runner-env.ts';
import { deployRequest, runCommit, type DeployRequest } from './deploy-request.ts';
import { readEvaluatedModel, requireEvaluatedBytes } from './evaluated-bytes.ts';

/** Runs in the dispatched deploy workflow, inside the stage's GitHub environment. */
export async function run(): Promise<void> {
  const env = readRunnerEnv();
  const request = deployRequest(env.context);
  const runOn = runCommit(env.context);
  const cwd = env.workspace ?? process.cwd();
  const remote = optionalInput('remote');
  if (!remote)
    throw new UserError('input remote is empty: name the model store, e.g. s3://my-bucket/cairn or file:///srv/cairn.');
  const target = optionalInput('target');
  const command = optionalInput('command');
  const opened: ObjectStore[] = [];
  const open = (uri: string) => {
    const store = openStore(uri, { env: process.env, logger: actionLogger, cwd });
    opened.push(store);
    return store;
  };
  const evaluated = await readEvaluatedModel(githubClient(env), {
    ...githubRepo(env),
    ...request,
    runOn,
    defaultBranch: defaultBranch(env),
    logger: actionLogger,
  });
  const store = open(remote);
  const targetStore = target === undefined ? undefined : open(target);
  // A serving folder that cannot be written fails the step now, before the stage pointer moves.
  if (targetStore instanceof FileStore)
    await checkOutputPaths([{ path: targetStore.root, option: 'target:', shown: target!, kind: 'folder' }]);
  const scratch = await mkdtemp(join(env.runnerTemp ?? tmpdir(), 'cairn-deploy-'));
  try {
    // Checked before the stage pointer moves, so a mismatch changes nothing.
    const stored = await readModelPointer(store, request.model, request.version);
    requireEvaluatedBytes(evaluated, { ...stored, where: store.uriOf(stored.key) });
    const result = await deployToStage(store, {
      name: request.model,
      version: request.version,
      stage: request.stage,
      logger: actionLogger,
      runUrl: runUrl(env),
      publish: async (model) => {
        // The pulled bytes are verified against the pointer read now: it must still be the evaluated file.
        const { path, pointer } = await pullModelArtifact(store, {
          name: model.name,
          version: model.version,
          dest: scratch,
          logger: actionLogger,
        });
        requireEvaluatedBytes(evaluated, { ...pointer, where: store.uriOf(pointer.key) });
        let uri = store.uriOf(model.key);
        if (targetStore) uri = await copyToTarget(targetStore, model, request.stage, path);
        if (command)
          await runCommand(
            command,
            {
              CAIRN_MODEL_PATH: path,
              CAIRN_MODEL: model.name,
              CAIRN_VERSION: model.version,
              CAIRN_STAGE: request.stage,
              CAIRN_MODEL_URI: uri,
            },
            cwd,
          );
        return uri;
      },
    });
    core.setOutput('uri', result.uri);
    core.setOutput('previous-version', result.previous?.version ?? '');
    info(`deployed ${result.pointer.name} ${result.pointer.version} to ${request.stage}: ${result.uri}`);
    await appendJobSummary(successSummary(result, request));
  } catch (error) {
    if (error instanceof DeployFailedError) {
      await appendJobSummary(
        `### Deploy of ${inert(request.model)} ${inert(request.version)} to ${inert(request.stage)} failed\n\n${inertLines(error.message).replaceAll('\n', '\n\n')}\n`,
      );
    }
    throw error;
  } finally {
    opened.forEach((s) => s.close());
    await rm(scratch, { recursive: true, force: true });
  }
}

function githubRepo(env: RunnerEnv): { owner: string; repo: string } {
  const repo = env.repo;
  if (!repo)
    throw new UserError(
      'GITHUB_REPOSITORY is not set: the deploy reads the evaluation record from the repository it runs in.',
    );
  return repo;
}

function githubClient(env: RunnerEnv): GitHubClient {
  const token = optionalInput('token');
  if (!token)
    throw new UserError(
      "input token is empty: the deploy reads the version's evaluation record; pass a token with `checks: read` and `contents: read` (the default, github.token, has them when the job grants them).",
    );
  return actionOctokit(token, env.context.apiUrl);
}

/** The default branch, from the event (workflow_dispatch and push carry the repository); else it is asked for. */
function defaultBranch(env: RunnerEnv): string | undefined {
  const repository = env.context.payload.repository as { default_branch?: unknown } | undefined;
  return typeof repository?.default_branch === 'string' && repository.default_branch
    ? repository.default_branch
    : undefined;
}

async function copyToTarget(target: ObjectStore, model: ModelPointer, stage: string, path: string): Promise<string> {
  const key = `${parseModelName(model.name).keyName}/${stage}/${model.filename}`;
  const { size } = await stat(path);
  await target.put(key, createReadStream(path), { size });
  actionLogger.info(`copied ${model.name} ${model.version} to ${target.uriOf(key)}`);
  return target.uriOf(key);
}

function runCommand(command: string, vars: Record<string, string>, cwd: string): Promise<void> {
  info(`running the deploy command: ${command}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, {
      shell: true,
      cwd,
      env: { ...process.env, ...vars },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (error) =>
      reject(new UserError(`the deploy command could not start: ${error.message}`, { cause: error })),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new UserError(`the deploy command ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`));
    });
  });
}

function successSummary(result: DeployResult, request: DeployRequest): string {
  const { pointer, previous } = result;
  const rows = [
    ['model', codeCell(pointer.name)],
    ['version', codeCell(pointer.version)],
    ['previous version', previous ? codeCell(previous.version) : 'none (first deploy)'],
    ['served at', codeCell(result.uri)],
    ['stage pointer', codeCell(result.pointerUri)],
    ['sha256', codeCell(pointer.sha256)],
  ];
  return `### Deployed ${inert(pointer.name)} ${inert(pointer.version)} to ${inert(request.stage)}\n\n${table([['', 'value'], ...rows])}\n`;
}
