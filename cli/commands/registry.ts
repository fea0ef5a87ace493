import { join, resolve } from 'node:path';
import { readRepoConfig } from '../../core/config/index.ts';
import { UserError } from '../../core/errors.ts';
import {
  applyPlannedTags,
  BUMP_PARTS,
  checkRepository,
  gitIdentity,
  listTagNames,
  parseTag,
  planAssignment,
  type PlanContext,
  planDeprecation,
  planDeregistration,
  type PlannedTag,
  planRegistration,
  planUnassignment,
  readAnnotatedTags,
  registryState,
  registryView,
  type RegistryView,
  resolveCommit,
  tagFromRef,
} from '../../core/registry/index.ts';
import { parseChoice, parseCommandArgs } from '../args.ts';
import type { CliIO } from '../io.ts';
import { REGISTRY_SUBCOMMANDS, registryHelp, registrySubcommandHelp } from './registry-help.ts';

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

export async function registryCommand(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'help' && rest.length === 1 && Object.hasOwn(REGISTRY_SUBCOMMANDS, rest[0]))
    return (io.stdout(registrySubcommandHelp(rest[0])), 0);
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help')
    return (io.stdout(registryHelp), sub === undefined ? 2 : 0);
  if (!Object.hasOwn(REGISTRY_SUBCOMMANDS, sub))
    throw new UserError(
      `unknown registry command "${sub}"; use one of ${Object.keys(REGISTRY_SUBCOMMANDS).join(', ')}.`,
    );
  const { values, positionals } = parseCommandArgs(`registry ${sub}`, rest, options, true);
  if (values.help) return (io.stdout(registrySubcommandHelp(sub)), 0);
  const arity = REGISTRY_SUBCOMMANDS[sub].args;
  if (positionals.length !== arity.length) {
    throw new UserError(
      `cairn registry ${sub} takes ${arity.join(' ') || 'no arguments'}${positionals.length > arity.length ? `; unexpected "${positionals[arity.length]}"` : ''}. Run \`cairn registry ${sub} --help\` for its usage.`,
    );
  }
  if (sub === 'parse-tag') {
    const [tag] = positionals;
    io.stdout(`${JSON.stringify(parseTag(tagFromRef(tag) ?? tag))}\n`);
    return 0;
  }
  const repoDir = resolve(io.cwd, values.repo ?? '.');
  const git = { env: io.env };
  await checkRepository(repoDir, git);
  const config = await readRepoConfig(
    values.config ? resolve(io.cwd, values.config) : join(repoDir, '.github', 'cairn.yml'),
    values.config !== undefined,
  );
  const configuredStages = Object.keys(config?.stages ?? {});
  const state = registryState(await readAnnotatedTags(repoDir, git));
  if (sub === 'show') {
    const view = registryView(state, { configuredStages, deprecated: values.deprecated });
    if (values.json) {
      const models = Object.fromEntries(
        view.rows.map(({ name }) => [name, (({ history: _history, ...model }) => model)(state.models[name])]),
      );
      io.stdout(`${JSON.stringify({ stages: view.stages, models }, null, 2)}\n`);
    } else io.stdout(formatTable(view, repoDir));
    return 0;
  }

  const identity = await gitIdentity(repoDir, git);
  const context: PlanContext = {
    state,
    tagNames: await listTagNames(repoDir, git),
    by: `${identity.name} <${identity.email}>`,
    why: values.message,
  };
  const planned = await planChange(sub, positionals, values, context, configuredStages, (ref) =>
    resolveCommit(repoDir, ref, git),
  );
  const remote = values.remote ?? 'origin';
  await applyPlannedTags(repoDir, planned, { ...git, push: values.push, remote });
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ tags: planned.map(({ tag, sha, event }) => ({ tag, sha, ...event })), pushed: values.push === true }, null, 2)}\n`,
    );
    return 0;
  }
  for (const { tag, sha, event } of planned)
    io.stdout(`Created tag ${tag}: ${describe(event)} at ${sha.slice(0, 7)}\n`);
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
  const versionRef = async () => ({
    version: values.version,
    sha: values.ref === undefined ? undefined : await commitOf(values.ref),
  });
  switch (sub) {
    case 'register': {
      const bump = values.bump === undefined ? undefined : parseChoice('bump', values.bump, BUMP_PARTS, 'patch');
      return planRegistration(context, {
        name,
        sha: await commitOf(values.ref ?? 'HEAD'),
        version: values.version,
        bump,
      });
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

/** A plain table like `gto show`'s (name, latest, one `#stage` column per stage; `-` where nothing is), then the deprecated models it leaves out. */
function formatTable(view: RegistryView, repoDir: string): string {
  // GTO hides deprecated models; saying "no registry tags" after a deprecation would be wrong.
  const hidden =
    view.hiddenDeprecated.length === 0
      ? ''
      : `Deprecated: ${view.hiddenDeprecated.join(', ')} (\`cairn registry show --deprecated\` lists ${view.hiddenDeprecated.length === 1 ? 'it' : 'them'}).\n`;
  if (view.rows.length === 0)
    return hidden
      ? `No active models in the registry of ${repoDir}.\n${hidden}`
      : `No models in the registry of ${repoDir} (no registry tags).\n`;
  return plainTable(view) + hidden;
}

function plainTable(view: RegistryView): string {
  const header = ['name', 'latest', ...view.stages.map((stage) => `#${stage}`)];
  const rows = view.rows.map((row) => [
    row.deprecated ? `${row.name} (deprecated)` : row.name,
    row.latest ?? '-',
    ...view.stages.map((stage) => row.stages[stage] ?? '-'),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  return (
    [header, ...rows]
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
