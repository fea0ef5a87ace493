import { resolve } from 'node:path';
import * as core from '@actions/core';
import { findModelConfig, readRepoConfig } from '../../core/config/index.ts';
import { UserError } from '../../core/errors.ts';
import {
  findTagEvent,
  isRegistryTag,
  isVersion,
  parseTag,
  readAnnotatedTags,
  registryState,
  tagFromRef,
  tagKind,
} from '../../core/registry/index.ts';
import { code, codeCell, table } from '../../core/report/index.ts';
import { info, optionalInput } from '../shared/action-logger.ts';
import { appendJobSummary } from '../shared/job-summary.ts';
import { readRunnerEnv } from '../shared/runner-env.ts';

const OUTPUTS = ['event', 'name', 'version', 'stage', 'sha', 'path', 'type', 'description'] as const;
type Outputs = Record<(typeof OUTPUTS)[number], string>;

function setOutputs(outputs: Partial<Outputs>): void {
  for (const name of OUTPUTS) core.setOutput(name, outputs[name] ?? '');
}

/** gto-action's job for Actions-only users: what does the pushed tag record, and which model is it. */
export async function run(): Promise<void> {
  const env = readRunnerEnv();
  const ref = optionalInput('ref') ?? env.context.ref ?? '';
  const tag = tagFromRef(ref);
  if (tag === undefined || !isRegistryTag(tag)) {
    core.notice(`${ref || 'no ref'} is not a registry tag (name@vX.Y.Z, name#stage...); nothing to do.`);
    setOutputs({});
    return;
  }
  const parsed = parseTag(tag); // an invalid registry tag fails the step with the reason and the grammar

  const repoDir = env.workspace ?? process.cwd();
  const kind = await tagKind(repoDir, tag);
  if (kind === undefined)
    throw new UserError(
      `tag ${tag} is not in the checkout at ${repoDir}; check the repository out first (actions/checkout with fetch-depth: 0).`,
    );
  if (kind === 'lightweight') {
    throw new UserError(
      `${tag} is a lightweight tag, which the registry (like GTO) ignores; delete it and tag again with a message: git tag -a '${tag}' -m "why".`,
    );
  }
  const event = findTagEvent(registryState(await readAnnotatedTags(repoDir)), tag);
  if (!event) throw new Error(`tag ${tag} parsed but is missing from the registry state`);
  if (
    (parsed.event === 'assignment' || parsed.event === 'unassignment') &&
    event.version !== undefined &&
    !isVersion(event.version)
  ) {
    core.warning(
      `commit ${event.sha.slice(0, 7)} has no registered version of ${parsed.name}, so the version is the commit sha. ` +
        'Register the commit first, or check out with fetch-depth: 0 so its registration tag is here.',
    );
  }

  const configInput = optionalInput('config');
  const config = await readRepoConfig(
    resolve(repoDir, configInput ?? '.github/cairn.yml'),
    configInput !== undefined && configInput !== '.github/cairn.yml',
  );
  const model = config ? findModelConfig(config, parsed.name) : undefined;
  if (!model)
    core.notice(
      `${parsed.name} is not listed under models: in ${configInput ?? '.github/cairn.yml'}; path, type and description are empty.`,
    );

  const outputs: Outputs = {
    event: event.event,
    name: event.name,
    version: event.version ?? '',
    stage: event.stage ?? '',
    sha: event.sha,
    path: model?.path ?? '',
    type: model?.type ?? '',
    description: model?.description ?? '',
  };
  setOutputs(outputs);
  info(
    `${tag}: ${event.event} of ${event.name}${event.version ? ` ${event.version}` : ''}${event.stage ? ` (stage ${event.stage})` : ''}`,
  );
  const rows = OUTPUTS.filter((name) => outputs[name] !== '').map((name) => [name, codeCell(outputs[name])]);
  await appendJobSummary(`### Registry tag ${code(tag)}\n\n${table([['output', 'value'], ...rows])}\n`);
}
