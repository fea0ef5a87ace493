import { resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import type { RunnerScope } from '../../core/github/index.ts';
import { probeGpus } from '../../core/gpu/index.ts';
import { runnerClient } from '../../runner/github-client.ts';
import { installRunner } from '../../runner/install.ts';
import { parseLabels } from '../../runner/labels.ts';
import { startRunners } from '../../runner/start.ts';
import { parseCommandArgs, requireOption, verbosityOf } from '../args.ts';
import { cliLogger, type CliIO } from '../io.ts';
import { runnerHelp, runnerInstallHelp, runnerStartHelp } from './runner-help.ts';

const startOptions = {
  repo: { type: 'string' },
  org: { type: 'string' },
  'runner-dir': { type: 'string' },
  labels: { type: 'string', multiple: true },
  'per-gpu': { type: 'boolean' },
  'idle-timeout': { type: 'string' },
  name: { type: 'string' },
  'runner-group': { type: 'string' },
  'token-file': { type: 'string' },
} as const;

const installOptions = {
  dir: { type: 'string' },
  version: { type: 'string' },
  sha256: { type: 'string' },
} as const;

function scopeOf(repo: string | undefined, org: string | undefined): RunnerScope {
  if ((repo === undefined) === (org === undefined))
    throw new UserError('cairn runner start takes one of --repo OWNER/NAME or --org ORG');
  if (org !== undefined) return { kind: 'org', org };
  const [owner, name, ...more] = repo!.split('/');
  if (!owner || !name || more.length > 0) throw new UserError(`--repo must be OWNER/NAME, not "${repo}"`);
  return { kind: 'repo', owner, repo: name };
}

function secondsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UserError(`--idle-timeout must be a number of seconds above 0; got "${value}"`);
  return seconds * 1000;
}

async function start(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs('runner start', args, startOptions);
  if (values.help) return (io.stdout(runnerStartHelp), 0);
  const scope = scopeOf(values.repo, values.org);
  if (values['runner-group'] !== undefined && scope.kind === 'repo')
    throw new UserError("--runner-group is an organisation's: a repository's runners join its default group");
  const runnerDir = resolve(io.cwd, requireOption('runner start', 'runner-dir', values['runner-dir']));
  const idleTimeoutMs = secondsOf(values['idle-timeout']);
  const logger = cliLogger(io, verbosityOf(values));
  const tokenFile = values['token-file'] === undefined ? undefined : resolve(io.cwd, values['token-file']);
  const client = await runnerClient({ env: io.env, scope, tokenFile, logger });
  return startRunners({
    scope,
    client,
    runnerDir,
    perGpu: values['per-gpu'],
    labels: parseLabels(values.labels ?? []),
    name: values.name,
    runnerGroup: values['runner-group'],
    idleTimeoutMs,
    probe: () => probeGpus({ env: io.env }),
    env: io.env,
    logger,
    signals: process,
  });
}

async function install(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs('runner install', args, installOptions);
  if (values.help) return (io.stdout(runnerInstallHelp), 0);
  const dir = resolve(io.cwd, requireOption('runner install', 'dir', values.dir));
  const logger = cliLogger(io, verbosityOf(values));
  const installed = await installRunner({ dir, version: values.version, sha256: values.sha256, env: io.env, logger });
  io.stdout(`${JSON.stringify(installed)}\n`);
  return 0;
}

/** `cairn runner start|install`: this machine as self-hosted runners (runner/). */
export async function runnerCommand(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help')
    return (io.stdout(runnerHelp), sub === undefined ? 2 : 0);
  if (sub === 'start') return start(rest, io);
  if (sub === 'install') return install(rest, io);
  throw new UserError(`unknown runner command "${sub}"; use start or install. Run \`cairn runner --help\`.`);
}
