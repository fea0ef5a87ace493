import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { readFeatureList, runGatedEvaluation, runGatedMerge } from '../../core/evaluate/index.ts';
import { GateFailure, UserError } from '../../core/errors.ts';
import { actionInput } from '../../core/option-names.ts';
import { repositoryRoot } from '../../core/repository-root.ts';
import { readBaselineFromRef } from '../../core/github/index.ts';
import { headline, renderJobSummary } from '../../core/report/index.ts';
import { readTrainingRecord } from '../../core/train/index.ts';
import { actionLogger, info, optionalInput, requiredInput } from '../shared/action-logger.ts';
import { actionOctokit } from '../shared/github-client.ts';
import { fileStem } from '../shared/file-stem.ts';
import { appendJobSummary } from '../shared/job-summary.ts';
import { readRunnerEnv } from '../shared/runner-env.ts';
import { parseEnumInput, parsePositiveIntInput } from '../shared/inputs.ts';
import { partialFiles, runShard } from './sharding.ts';

export async function run(): Promise<void> {
  const env = readRunnerEnv();
  const shard = optionalInput('shard');
  const merge = optionalInput('merge');
  if (shard && merge)
    throw new UserError('shard: and merge: are both set: a step either evaluates one shard or merges them all.');
  if (shard) return runShard(env, shard);
  if (merge) {
    const taken = ['model', 'data', 'target', 'features'].filter((name) => optionalInput(name) !== undefined);
    if (taken.length > 0)
      throw new UserError(
        `${taken.map((name) => `${name}:`).join(', ')} cannot be used with merge:: the model and the data come from the partials.`,
      );
  }
  const token = optionalInput('token');
  const { context, repo } = env;
  const baselineFromRef =
    token && repo
      ? (ref: string, model: string, trustedApps: readonly number[]) =>
          readBaselineFromRef(actionOctokit(token, env.context.apiUrl), {
            ...repo,
            ref,
            model,
            trustedApps,
            logger: actionLogger,
          })
      : undefined;

  const gated = {
    name: optionalInput('name'),
    baseline: optionalInput('baseline'),
    gate: optionalInput('gate'),
    noGate: parseEnumInput('no-gate', ['true', 'false'] as const, 'false') === 'true',
    configPath: core.getInput('config') || '.github/cairn.yml',
    git: context.sha ? { sha: context.sha, ref: context.ref } : undefined,
    training: await trainingRecordInput(),
    recordPathsRelativeTo: env.workspace ?? process.cwd(),
    repositoryRoot: repositoryRoot(process.cwd()),
    spell: actionInput,
    logger: actionLogger,
    baselineFromRef,
  };
  const { report, baseline } = merge
    ? await runGatedMerge({ ...gated, parts: await partialFiles(merge), cwd: process.cwd() })
    : await runGatedEvaluation({
        ...gated,
        modelPath: requiredInput('model'),
        dataPath: requiredInput('data'),
        target: requiredInput('target'),
        features: await readFeatureList(optionalInput('features'), { cwd: process.cwd(), label: 'features:' }),
        task: parseEnumInput('task', ['auto', 'binary', 'multiclass', 'regression'] as const, 'auto'),
        device: parseEnumInput('device', ['auto', 'cpu', 'cuda'] as const, 'auto'),
        batchSize: parsePositiveIntInput('batch-size', 4096),
      });

  const name = report.name;
  const stem = join(env.runnerTemp ?? tmpdir(), 'cairn', fileStem(name));
  const metricsPath = `${stem}.metrics.json`;
  await writeFileAtomic(metricsPath, `${JSON.stringify(report, null, 2)}\n`);
  if (baseline) await writeFileAtomic(`${stem}.baseline.json`, `${JSON.stringify(baseline, null, 2)}\n`);
  core.setOutput('baseline-path', baseline ? `${stem}.baseline.json` : '');
  await appendJobSummary(renderJobSummary({ report, baseline }));
  core.setOutput('metrics-path', metricsPath);
  core.setOutput('partial-path', '');
  core.setOutput('passed', report.gate ? String(report.gate.passed) : '');
  core.setOutput('summary', headline(report, baseline));
  info(headline(report, baseline));
  if (report.gate && !report.gate.passed) {
    const failed = report.gate.rules.filter((rule) => !rule.passed).map((rule) => rule.rule);
    throw new GateFailure(`gate failed for ${name}: ${failed.join(', ')}`, failed);
  }
}

/** The `training-record` input's file, read and checked; undefined when the input is empty. */
async function trainingRecordInput() {
  const path = optionalInput('training-record');
  return path === undefined ? undefined : readTrainingRecord(resolve(path), path);
}
