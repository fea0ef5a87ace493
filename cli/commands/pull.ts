import { relative, resolve } from 'node:path';
import { formatBytes, formatDuration } from '../../core/byte-size.ts';
import { UserError } from '../../core/errors.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import { DEFAULT_PULL_JOBS, defaultCacheDir, planPull, pullPlan, type PullResult } from '../../core/store/index.ts';
import { parseCommandArgs, parsePositiveInt, verbosityOf } from '../args.ts';
import { cliLogger, type CliIO } from '../io.ts';
import { progressDisplay } from '../progress.ts';

export const pullHelp = `Usage: cairn pull TARGET... [options]
       cairn pull --training-data NAME#STAGE --out DIR [--repo DIR] [options]

Puts the data that DVC pointer files name into the workspace, from a remote in DVC's layout (what
\`dvc pull\` does, without Python or DVC). TARGET is a .dvc file or a dvc.lock (or the path a .dvc
file tracks: \`data\` for data.dvc); the data lands beside it. Every file is verified against its md5
before it takes its name, and files already in place are left alone. Every target is checked first:
nothing is written when a path is one git refuses (\`.git\` in any case or form, \`..\`, absolute) or
when the outputs of the targets overlap (\`data\` and \`data/x\`), nor when a file in the way holds
bytes Cairn does not know (edited here: not the pointer's version, not one a pull put there, not in
the cache), as \`dvc pull\` refuses; --force replaces those.

With --training-data, the data a registry model was trained on lands in DIR instead: the version
holding the stage in the registry's tags (or NAME@vX.Y.Z), its training record beside its bytes in
the store (\`cairn train --push\` puts it there), and the data versions that record names (its
\`data\` md5s), each at its recorded path under DIR: the reference data for \`cairn drift\`.

Options:
  --training-data REF  NAME#STAGE or NAME@vX.Y.Z: pull that model's training data instead of TARGETs
  --out DIR            with --training-data: the folder its data is put in
  --record-out PATH    with --training-data: also write the model's training record here
  --repo DIR           with --training-data: the git repository whose tags are the registry
                       (default: the current folder's)
  --remote REMOTE      s3://bucket/prefix, file:///folder, a folder, or the name of a remote in
                       .dvc/config (default: the DVC default remote, \`dvc remote add -d\`)
  --jobs N             files transferred in parallel (default ${DEFAULT_PULL_JOBS})
  --cache DIR          local cache of pulled objects, shared by every pull on this machine
                       (default: $CAIRN_CACHE_DIR, else $XDG_CACHE_HOME/cairn, else ~/.cache/cairn)
  --no-cache           no local cache: every file not already in place is downloaded (and a file
                       an earlier pull put there is known only by its bytes: see --force)
  --force              replace workspace files that were changed here (their edits are lost)
  --json               print the result as JSON (outputs, totals, manifestHash)
  -q, --quiet / -v, --verbose

S3: credentials, region and endpoint come from the usual AWS variables (AWS_PROFILE,
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL for an S3-compatible server).

Exit codes: 0 ok, 2 bad usage or bad input (nothing half-written: a file is renamed into place
only once verified).
`;

export async function pullCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'pull',
    args,
    {
      remote: { type: 'string' },
      jobs: { type: 'string' },
      cache: { type: 'string' },
      'no-cache': { type: 'boolean' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      'training-data': { type: 'string' },
      out: { type: 'string' },
      'record-out': { type: 'string' },
      repo: { type: 'string' },
    },
    true,
  );
  if (values.help) return (io.stdout(pullHelp), 0);
  const trainingData = values['training-data'];
  if (trainingData !== undefined && positionals.length > 0)
    throw new UserError(
      `--training-data pulls a model's training data, not TARGETs; drop ${positionals[0]}, or pull it in another command.`,
    );
  if (trainingData === undefined) {
    const stray = (['out', 'record-out', 'repo'] as const).find((option) => values[option] !== undefined);
    if (stray) throw new UserError(`--${stray} goes with --training-data NAME#STAGE.`);
  }
  if (trainingData === undefined && positionals.length === 0)
    throw new UserError(
      'name what to pull: cairn pull data.dvc (a .dvc file or a dvc.lock). Run `cairn pull --help` for the options.',
    );
  if (values.cache !== undefined && values['no-cache'])
    throw new UserError('--cache and --no-cache contradict each other; pass one.');
  const jobs = parsePositiveInt('jobs', values.jobs, DEFAULT_PULL_JOBS);
  const cacheDir = values['no-cache']
    ? undefined
    : values.cache !== undefined
      ? resolve(io.cwd, values.cache)
      : defaultCacheDir(io.env, io.cwd);

  if (cacheDir !== undefined)
    await checkOutputPaths([
      {
        path: cacheDir,
        option: values.cache === undefined ? undefined : '--cache',
        shown: values.cache ?? cacheDir,
        kind: 'folder',
      },
    ]);

  const verbosity = verbosityOf(values);
  const progress = progressDisplay(io, { verb: 'pull', enabled: verbosity !== 'quiet' });
  const logger = cliLogger({ ...io, stderr: progress.stderr }, verbosity);
  let result: PullResult;
  let model: object | undefined;
  try {
    if (trainingData !== undefined) {
      const { pullTrainingDataCommand } = await import('./pull-training-data.ts');
      const pulled = await pullTrainingDataCommand(
        {
          reference: trainingData,
          out: values.out,
          recordOut: values['record-out'],
          repo: values.repo,
          remote: values.remote,
          jobs,
          cacheDir,
          force: values.force === true,
        },
        io,
        logger,
        progress,
      );
      ({ result, model } = pulled);
    } else {
      const plan = await planPull(positionals, { remote: values.remote, remoteLabel: '--remote', cwd: io.cwd });
      result = await pullPlan(plan, {
        env: io.env,
        cwd: io.cwd,
        logger,
        jobs,
        cacheDir,
        onProgress: progress.update,
        force: values.force === true,
      });
    }
  } catch (error) {
    progress.finish();
    throw error;
  }
  progress.finish({
    filesDone: result.files,
    filesTotal: result.files,
    bytesDone: result.bytes,
    bytesTotal: result.bytes,
    bytesDownloaded: result.downloaded.bytes,
    elapsedMs: result.elapsedMs,
  });
  io.stdout(
    values.json
      ? `${JSON.stringify(model ? { model, ...result } : result, null, 2)}\n`
      : `${formatPullSummary(result, io.cwd)}\n`,
  );
  return 0;
}

/** `Pulled data, model.bin: 12 files (2.67 MiB); 10 downloaded (2.00 MiB), 1 from the cache, 1 unchanged, in 1.2 s.` */
export function formatPullSummary(result: PullResult, cwd: string): string {
  const names = result.outputs.map((output) => relative(cwd, output.path) || '.');
  const shown = names.length > 4 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  const parts = [`${result.downloaded.files} downloaded (${formatBytes(result.downloaded.bytes)})`];
  if (result.fromCache.files > 0) parts.push(`${result.fromCache.files} from the cache`);
  if (result.unchanged.files > 0) parts.push(`${result.unchanged.files} unchanged`);
  const count = `${result.files} ${result.files === 1 ? 'file' : 'files'} (${formatBytes(result.bytes)})`;
  return `Pulled ${shown || 'nothing'}: ${count}; ${parts.join(', ')}, in ${formatDuration(result.elapsedMs)}.`;
}
