import { dirname, relative, resolve } from 'node:path';
import { formatBytes } from '../../core/byte-size.ts';
import { UserError } from '../../core/errors.ts';
import { checkOutputPaths } from '../../core/output-paths.ts';
import type { Logger } from '../../core/logger.ts';
import {
  checkTrackInGit,
  isDvcPointerPath,
  type ObjectStore,
  openStore,
  pushModelArtifact,
  pushPath,
  pushPointerFile,
  type PushResult,
  type ResolvedRemote,
  resolveRemote,
  trackInGit,
} from '../../core/store/index.ts';
import { parseCommandArgs, parsePositiveInt, verbosityOf } from '../args.ts';
import { cliLogger, type CliIO } from '../io.ts';
import { progressDisplay, type ProgressDisplay, type TransferSnapshot } from '../progress.ts';

const DEFAULT_PUSH_JOBS = 16;

export const pushHelp = `Usage: cairn push PATH... [options]
       cairn push FILE --model NAME --version vX.Y.Z [--remote REMOTE]

Stores data in a remote in DVC's layout (what \`dvc add\` + \`dvc push\` do). PATH is:
  a file or folder   hashed, uploaded, and recorded in PATH.dvc beside it (written only once every
                     object is on the remote); commit the .dvc file, and \`cairn pull\` or \`dvc pull\`
                     brings the data back
  a .dvc or dvc.lock the data it names is uploaded from the workspace, after checking it still
                     matches the recorded md5s
Objects already on the remote are not uploaded again.

In a git repository, as \`dvc add\` and \`dvc remote add -d\` do: \`/PATH\` is added to the .gitignore
beside the .dvc file, and a --remote URL or folder becomes the default remote "cairn" in .dvc/config
(with DVC's .dvc/.gitignore) when the repository has none, so a clone runs \`cairn pull data.dvc\`
(or \`dvc pull\`) as is. An existing default remote is left alone; a URL holding credentials is not
written (the file is committed).

With --model, FILE is a model artifact stored by its sha256 under models/NAME/, and the version
NAME@vX.Y.Z points at it. Versions are immutable: pushing other bytes for an existing version fails.

Options:
  --remote REMOTE      s3://bucket/prefix, file:///folder, a folder, or the name of a remote in
                       .dvc/config (default: the DVC default remote, \`dvc remote add -d\`)
  --jobs N             files uploaded in parallel (default ${DEFAULT_PUSH_JOBS})
  --model NAME         push FILE as a version of this model
  --version vX.Y.Z     the model version (semver with a v)
  --json               print the result as JSON
  -q, --quiet / -v, --verbose

Exit codes: 0 ok, 2 bad usage or bad input.
`;

interface PushedPath extends PushResult {
  /** What the user named, absolute. */
  path: string;
  remote: string;
  /** .gitignore and .dvc files written so git tracks the pointer, not the data, and a clone finds the remote. */
  gitFiles: string[];
}

export async function pushCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'push',
    args,
    {
      remote: { type: 'string' },
      jobs: { type: 'string' },
      model: { type: 'string' },
      version: { type: 'string' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (values.help) return (io.stdout(pushHelp), 0);
  if (positionals.length === 0)
    throw new UserError(
      'name what to push: cairn push data (a file or folder), or a .dvc file. Run `cairn push --help` for the options.',
    );
  const jobs = parsePositiveInt('jobs', values.jobs, DEFAULT_PUSH_JOBS);
  const verbosity = verbosityOf(values);
  const progress = progressDisplay(io, { verb: 'push', enabled: verbosity !== 'quiet' });
  const logger = cliLogger({ ...io, stderr: progress.stderr }, verbosity);
  const paths = positionals.map((path) => resolve(io.cwd, path));

  // Every remote chosen before anything is uploaded.
  const remotes: ResolvedRemote[] = [];
  for (const path of paths)
    remotes.push(await resolveRemote({ remote: values.remote, label: '--remote', from: dirname(path), cwd: io.cwd }));
  const stores = new Map<string, ObjectStore>();
  const storeFor = (remote: ResolvedRemote) => {
    const key = `${remote.uri}\n${remote.endpoint ?? ''}`;
    let store = stores.get(key);
    if (!store) {
      store = openStore(remote.uri, {
        env: io.env,
        logger,
        cwd: io.cwd,
        endpoint: remote.endpoint,
        maxSockets: Math.max(64, jobs),
      });
      stores.set(key, store);
    }
    return store;
  };

  try {
    if (values.model !== undefined || values.version !== undefined) {
      return await pushModel(io, logger, {
        paths,
        model: values.model,
        version: values.version,
        store: storeFor(remotes[0]),
        json: values.json === true,
      });
    }
    const pushed = await pushPaths(paths, remotes, storeFor, {
      logger,
      jobs,
      progress,
      remoteNamed: values.remote !== undefined,
      cwd: io.cwd,
    });
    const uploaded = sumCounts(pushed.map((result) => result.uploaded));
    const skipped = sumCounts(pushed.map((result) => result.skipped));
    if (values.json) io.stdout(`${JSON.stringify({ pushed, uploaded, skipped }, null, 2)}\n`);
    else for (const result of pushed) io.stdout(`${formatPushSummary(result, io.cwd)}\n`);
    return 0;
  } finally {
    for (const store of stores.values()) store.close();
  }
}

async function pushPaths(
  paths: string[],
  remotes: ResolvedRemote[],
  storeFor: (remote: ResolvedRemote) => ObjectStore,
  options: { logger: Logger; jobs: number; progress: ProgressDisplay; remoteNamed: boolean; cwd: string },
): Promise<PushedPath[]> {
  const started = performance.now();
  const before: TransferSnapshot = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, elapsedMs: 0 };
  const pushed: PushedPath[] = [];
  // A remote the user named as a URL or folder (not one from .dvc/config) is recorded for clones.
  const recorded = (index: number) =>
    options.remoteNamed && remotes[index].source === '--remote' ? remotes[index] : undefined;
  // The pointer files and what git tracking will write are checked before the first upload.
  const pointers = paths
    .filter((path) => !isDvcPointerPath(path))
    .map((path) => ({ path: `${path}.dvc`, shown: `the pointer file ${relative(options.cwd, path) || '.'}.dvc` }));
  await checkOutputPaths(pointers);
  for (const [index, path] of paths.entries()) {
    const pointer = isDvcPointerPath(path) ? { pointerPath: path } : { pointerPath: `${path}.dvc`, outputPath: path };
    await checkTrackInGit({ ...pointer, remote: recorded(index) });
  }
  try {
    for (const [index, path] of paths.entries()) {
      const store = storeFor(remotes[index]);
      options.logger.debug(`pushing ${path} to ${store.uri} (${remotes[index].source})`);
      const push = isDvcPointerPath(path) ? pushPointerFile : pushPath;
      const result = await push(path, {
        store,
        logger: options.logger,
        jobs: options.jobs,
        onProgress: (progress) =>
          options.progress.update({
            filesDone: before.filesDone + progress.filesDone,
            filesTotal: before.filesTotal + progress.filesTotal,
            bytesDone: before.bytesDone + progress.bytesDone,
            bytesTotal: before.bytesTotal + progress.bytesTotal,
            elapsedMs: performance.now() - started,
          }),
      });
      const pointerPath = result.pointerPath ?? path;
      const gitFiles = await trackInGit({
        pointerPath,
        outputPath: result.pointerPath ? path : undefined,
        remote: recorded(index),
        logger: options.logger,
      });
      pushed.push({ path, remote: store.uri, ...result, gitFiles });
      const files = result.uploaded.files + result.skipped.files;
      const bytes = result.uploaded.bytes + result.skipped.bytes;
      Object.assign(before, {
        filesDone: before.filesDone + files,
        filesTotal: before.filesTotal + files,
        bytesDone: before.bytesDone + bytes,
        bytesTotal: before.bytesTotal + bytes,
      });
    }
  } catch (error) {
    options.progress.finish();
    throw error;
  }
  options.progress.finish({ ...before, elapsedMs: performance.now() - started });
  return pushed;
}

async function pushModel(
  io: CliIO,
  logger: Logger,
  options: { paths: string[]; model?: string; version?: string; store: ObjectStore; json: boolean },
): Promise<number> {
  if (!options.model || !options.version)
    throw new UserError('--model and --version go together: cairn push model.onnx --model churn --version v1.2.0.');
  if (options.paths.length !== 1) throw new UserError(`--model pushes one file; got ${options.paths.length} paths.`);
  const { pointer, uploaded } = await pushModelArtifact(options.store, {
    name: options.model,
    version: options.version,
    file: options.paths[0],
    logger,
  });
  if (options.json) {
    io.stdout(`${JSON.stringify({ pointer, uploaded, remote: options.store.uri }, null, 2)}\n`);
  } else {
    const bytes = uploaded
      ? `uploaded ${formatBytes(pointer.size)}`
      : `the bytes were already there (${formatBytes(pointer.size)})`;
    io.stdout(
      `Pushed ${pointer.name}@${pointer.version} (${pointer.filename}, sha256 ${pointer.sha256.slice(0, 12)}) to ${options.store.uri}: ${bytes}.\n`,
    );
  }
  return 0;
}

function sumCounts(counts: ReadonlyArray<{ files: number; bytes: number }>) {
  return {
    files: counts.reduce((sum, count) => sum + count.files, 0),
    bytes: counts.reduce((sum, count) => sum + count.bytes, 0),
  };
}

/** `Pushed data: 2 files (123 KiB); 2 uploaded (123 KiB), 0 already on the remote. Wrote data.dvc.` */
export function formatPushSummary(result: PushedPath, cwd: string): string {
  const files = result.uploaded.files + result.skipped.files;
  const bytes = result.uploaded.bytes + result.skipped.bytes;
  const head =
    `Pushed ${relative(cwd, result.path) || '.'} to ${result.remote}: ${files} ${files === 1 ? 'file' : 'files'} (${formatBytes(bytes)}); ` +
    `${result.uploaded.files} uploaded (${formatBytes(result.uploaded.bytes)}), ${result.skipped.files} already there.`;
  const written = [...(result.pointerPath ? [result.pointerPath] : []), ...result.gitFiles].map((file) =>
    relative(cwd, file),
  );
  if (written.length === 0) return head;
  return `${head} Wrote ${written.join(', ')}; commit ${written.length === 1 ? 'it' : 'them'}.`;
}
