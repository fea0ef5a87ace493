import { join, resolve } from 'node:path';
import { readRepoConfig } from '../../core/config/read.ts';
import { UserError } from '../../core/errors.ts';
import {
  BUMP_PARTS,
  parseTag,
  planAssignment,
  planDeprecation,
  planDeregistration,
  planRegistration,
  planUnassignment,
  registryState,
  registryView,
  tagFromRef,
  type PlanContext,
  type PlannedTag,
  type RegistryView,
} from '../../core/registry/index.ts';
import { applyPlannedTags, checkRepository, gitIdentity, listTagNames, readAnnotatedTags, resolveCommit } from '../../core/registry/local-git.ts';
import { parseChoice, parseCommandArgs } from '../args.ts';
import type { CliIO } from '../io.ts';

export const registryHelp = `Usage: cairn registry <command> [options]

The model registry on git tags, compatible with GTO: name@vX.Y.Z registers a version, name#stage#N
assigns a stage, name@vX.Y.Z! and name#stage!#N cancel them, name@deprecated deprecates a model.

Commands:
  parse-tag TAG                            what a tag means, as JSON
  show [--json] [--deprecated]             models, their latest version and the holder of each stage
  register NAME [--version V | --bump major|minor|patch] [--ref REV]
  deregister NAME (--version V | --ref REV)
  assign NAME STAGE (--version V | --ref REV) [--force]
  unassign NAME STAGE (--version V | --ref REV)
  deprecate NAME

Options:
  --repo DIR       the git repository (default: the current folder)
  --config PATH    repository config (default DIR/.github/cairn.yml); its stages are the ones allowed
  --message TEXT   why; the tag message records it with who (your git user)
  --force          assign a version again that is still assigned to the stage (makes it the holder)
  --push           push the new tags (to --remote, default origin)
  --json           print JSON
`;

const options = {
  repo: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  deprecated: { type: 'boolean' },
  version: { type: 'string' },
  bump: { type: 'string' },
  ref: { type: 'string' },
  message: { type: 'string', short: 'm' },
  force: { type: 'boolean' },
  push: { type: 'boolean' },
  remote: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

const ARITY: Record<string, string[]> = {
  'parse-tag': ['TAG'],
  show: [],
  register: ['NAME'],
  deregister: ['NAME'],
  assign: ['NAME', 'STAGE'],
  unassign: ['NAME', 'STAGE'],
  deprecate: ['NAME'],
};

export async function registryCommand(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') return io.stdout(registryHelp), sub === undefined ? 2 : 0;
  if (!Object.hasOwn(ARITY, sub)) throw new UserError(`unknown registry command "${sub}"; use one of ${Object.keys(ARITY).join(', ')}.`);
  const { values, positionals } = parseCommandArgs(`registry ${sub}`, rest, options, true);
  if (values.help) return io.stdout(registryHelp), 0;
  if (positionals.length !== ARITY[sub].length) {
    throw new UserError(`cairn registry ${sub} takes ${ARITY[sub].join(' ') || 'no arguments'}${positionals.length > ARITY[sub].length ? `; unexpected "${positionals[ARITY[sub].length]}"` : ''}.`);
  }
  if (sub === 'parse-tag') {
    const [tag] = positionals;
    io.stdout(`${JSON.stringify(parseTag(tagFromRef(tag) ?? tag))}\n`);
    return 0;
  }
  const repoDir = resolve(io.cwd, values.repo ?? '.');
  const git = { env: io.env };
  await checkRepository(repoDir, git);
  const config = await readRepoConfig(values.config ? resolve(io.cwd, values.config) : join(repoDir, '.github', 'cairn.yml'), values.config !== undefined);
  const configuredStages = Object.keys(config?.stages ?? {});
  const state = registryState(await readAnnotatedTags(repoDir, git));
  if (sub === 'show') {
    const view = registryView(state, { configuredStages, deprecated: values.deprecated });
    if (values.json) {
      const models = Object.fromEntries(view.rows.map(({ name }) => [name, (({ history: _history, ...model }) => model)(state.models[name])]));
      io.stdout(`${JSON.stringify({ stages: view.stages, models }, null, 2)}\n`);
    } else io.stdout(formatTable(view, repoDir));
    return 0;
  }

  const identity = await gitIdentity(repoDir, git);
  const context: PlanContext = { state, tagNames: await listTagNames(repoDir, git), by: `${identity.name} <${identity.email}>`, why: values.message };
  const planned = await planChange(sub, positionals, values, context, configuredStages, (ref) => resolveCommit(repoDir, ref, git));
  const remote = values.remote ?? 'origin';
  await applyPlannedTags(repoDir, planned, { ...git, push: values.push, remote });
  if (values.json) {
    io.stdout(`${JSON.stringify({ tags: planned.map(({ tag, sha, event }) => ({ tag, sha, ...event })), pushed: values.push === true }, null, 2)}\n`);
    return 0;
  }
  for (const { tag, sha, event } of planned) io.stdout(`Created tag ${tag}: ${describe(event)} at ${sha.slice(0, 7)}\n`);
  const names = planned.map((p) => `'${p.tag}'`).join(' ');
  io.stdout(values.push ? `Pushed ${names} to ${remote}.\n` : `To share: git push ${remote} ${names}\n`);
  return 0;
}

async function planChange(
  sub: string,
  [name, stage]: string[],
  values: Values,
  context: PlanContext,
  allowedStages: string[],
  commitOf: (ref: string) => Promise<string>,
): Promise<PlannedTag[]> {
  const versionRef = async () => ({ version: values.version, sha: values.ref === undefined ? undefined : await commitOf(values.ref) });
  switch (sub) {
    case 'register': {
      const bump = values.bump === undefined ? undefined : parseChoice('bump', values.bump, BUMP_PARTS, 'patch');
      return planRegistration(context, { name, sha: await commitOf(values.ref ?? 'HEAD'), version: values.version, bump });
    }
    case 'deregister':
      return planDeregistration(context, { name, ...(await versionRef()) });
    case 'assign':
      return planAssignment(context, { name, stage, force: values.force, allowedStages, ...(await versionRef()) });
    case 'unassign':
      return planUnassignment(context, { name, stage, allowedStages, ...(await versionRef()) });
    default:
      return planDeprecation(context, { name, sha: values.ref === undefined ? undefined : await commitOf(values.ref) });
  }
}

function describe(event: PlannedTag['event']): string {
  switch (event.event) {
    case 'registration':
      return `registers ${event.name} ${event.version}`;
    case 'deregistration':
      return `deregisters ${event.name} ${event.version}`;
    case 'assignment':
      return `assigns ${event.name} ${event.version} to ${event.stage}`;
    case 'unassignment':
      return `unassigns ${event.name} ${event.version} from ${event.stage}`;
    case 'deprecation':
      return `deprecates ${event.name}`;
  }
}

/** A plain table like `gto show`'s: name, latest, one `#stage` column per stage; `-` where nothing is. */
function formatTable(view: RegistryView, repoDir: string): string {
  if (view.rows.length === 0) return `No models in the registry of ${repoDir} (no registry tags).\n`;
  const header = ['name', 'latest', ...view.stages.map((stage) => `#${stage}`)];
  const rows = view.rows.map((row) => [row.deprecated ? `${row.name} (deprecated)` : row.name, row.latest ?? '-', ...view.stages.map((stage) => row.stages[stage] ?? '-')]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n';
}
