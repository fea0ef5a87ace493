/**
 * The evaluate action's sharded modes: `shard: I/N` writes one shard's partial for a matrix job;
 * `merge:` lists the partials (files, or folders such as actions/download-artifact's) to merge.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { evaluateShard, parseShard, readFeatureList } from '../../core/evaluate/index.ts';
import { UserError } from '../../core/errors.ts';
import { actionInput, type OptionName } from '../../core/option-names.ts';
import { repositoryRoot } from '../../core/repository-root.ts';
import { actionLogger, info, optionalInput, requiredInput } from '../shared/action-logger.ts';
import { fileStem } from '../shared/file-stem.ts';
import { appendJobSummary } from '../shared/job-summary.ts';
import { inert } from '../../core/report/index.ts';
import type { RunnerEnv } from '../shared/runner-env.ts';
import { parseEnumInput, parsePositiveIntInput } from '../shared/inputs.ts';

/** Inputs that act on all rows: the merge step takes them; a shard step refuses them rather than drop them. */
const MERGE_ONLY = ['gate', 'baseline', 'training-record'] as const;

export async function runShard(env: RunnerEnv, spec: string): Promise<void> {
  const given: OptionName[] = MERGE_ONLY.filter((name) => optionalInput(name) !== undefined);
  if (parseEnumInput('no-gate', ['true', 'false'] as const, 'false') === 'true') given.push('no-gate');
  if (given.length > 0)
    throw new UserError(
      `${given.map((name) => actionInput(name)).join(', ')} cannot be used with shard:: a shard step writes only its rows' partial; ` +
        'the gate, baseline and training record belong to the merge step (merge:), which sees every row.',
    );
  const shard = parseShard(spec);
  const partial = await evaluateShard({
    modelPath: requiredInput('model'),
    dataPath: requiredInput('data'),
    target: requiredInput('target'),
    features: await readFeatureList(optionalInput('features'), { cwd: process.cwd(), label: 'features:' }),
    task: parseEnumInput('task', ['auto', 'binary', 'multiclass', 'regression'] as const, 'auto'),
    device: parseEnumInput('device', ['auto', 'cpu', 'cuda'] as const, 'auto'),
    batchSize: parsePositiveIntInput('batch-size', 4096),
    name: optionalInput('name'),
    configPath: core.getInput('config') || '.github/cairn.yml',
    recordPathsRelativeTo: env.workspace ?? process.cwd(),
    repositoryRoot: repositoryRoot(process.cwd()),
    spell: actionInput,
    logger: actionLogger,
    shard,
  });
  const name = partial.name!;
  const path = join(
    env.runnerTemp ?? process.cwd(),
    'cairn',
    `${fileStem(name)}.shard-${shard.index}-of-${shard.count}.json`,
  );
  await writeFileAtomic(path, `${JSON.stringify(partial)}\n`);
  const { first_row, last_row } = partial.data!.shard;
  const rows = partial.data!.rows;
  const line = `${name}: shard ${shard.index}/${shard.count}, rows ${first_row}..${last_row} of ${rows}; the merge step (merge:) gates all rows`;
  await appendJobSummary(
    `### ${inert(name)}: shard ${shard.index}/${shard.count}\n\nRows ${first_row}..${last_row} of ${rows} evaluated; the metrics and the gate come from the merge step.\n`,
  );
  core.setOutput('partial-path', path);
  core.setOutput('metrics-path', '');
  core.setOutput('baseline-path', '');
  core.setOutput('passed', '');
  core.setOutput('summary', line);
  info(line);
}

/** The partial files `merge:` names, one path per line (or comma): a folder stands for every `.json` file under it. */
export async function partialFiles(spec: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of spec
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean)) {
    const info = await stat(resolve(entry)).catch(() => undefined);
    if (!info)
      throw new UserError(`merge: names ${entry}, which does not exist; list the partial files or their folder.`);
    if (!info.isDirectory()) {
      files.push(entry);
      continue;
    }
    const found = (await readdir(entry, { recursive: true, withFileTypes: true }))
      .filter((item) => item.isFile() && item.name.endsWith('.json'))
      .map((item) => join(item.parentPath, item.name))
      .sort();
    if (found.length === 0)
      throw new UserError(`merge: folder ${entry} holds no .json partials; did the artifacts download there?`);
    files.push(...found);
  }
  return files;
}
