import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { PullResult } from '../../core/store/index.ts';
import { startS3Server } from '../../test/support/s3-server.ts';
import { measure, median, type Measurement } from '../measure.ts';
import { pushForBench, writeRandomFile, writeRandomFolder } from './make-data.ts';

const DATA = 'bench/.data/pull';
const RUNS = 3;
const BUCKET = 'cairn-bench';

export interface PullBenchOptions {
  /** Scenario (a): this many files of `fileBytes` each; (c) pulls them again. */
  files: number;
  fileBytes: number;
  /** Scenario (b): one file of this many bytes. */
  largeBytes: number;
  /** Passed to `cairn pull --jobs` when set; else its default. */
  jobs?: number;
}

export interface PullBench {
  markdown: string;
  ok: boolean;
}

/** `cairnNoCache` is not part of the targets: it shows what filling the cache costs a cold pull. */
type Contender = 'cairn' | 'aws' | 'cairnNoCache';
const CONTENDERS: readonly Contender[] = ['cairn', 'aws', 'cairnNoCache'];
type Runs = Record<Contender, Measurement[]>;

interface Scenario {
  name: string;
  /** The `.dvc` pointer pushPath wrote; each Cairn run pulls a copy of it in a fresh folder. */
  pointer: string;
  /** The remote prefix the data was pushed under. */
  remote: string;
  files: number;
  isDir: boolean;
  /** Also time a second pull into the folder the first one filled. */
  rerun: boolean;
}

/**
 * bench/pull: `cairn pull` vs `aws s3 sync`, both against one s3rver in the same run, each into a
 * fresh folder: (a) many small files, (b) one large file, (c) (a) again when nothing changed.
 */
export async function benchPull(options: PullBenchOptions): Promise<PullBench> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // this process seeds the remote through the SDK
  rmSync(DATA, { recursive: true, force: true });
  mkdirSync(DATA, { recursive: true });
  const server = await startS3Server({ bucket: BUCKET });
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...server.env,
      AWS_DEFAULT_REGION: server.env.AWS_REGION, // the AWS CLI's name for it
      AWS_EC2_METADATA_DISABLED: 'true',
      // Both contenders on their default settings, whatever ~/.aws holds.
      AWS_CONFIG_FILE: resolve(DATA, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: resolve(DATA, 'no-aws-credentials'),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      NODE_OPTIONS: '',
    };
    const aws = awsExecutable();

    const folder = join(DATA, 'small', 'data');
    await writeRandomFolder(folder, options.files, options.fileBytes);
    const smallRemote = `s3://${BUCKET}/small`;
    const small = await runScenario(
      {
        name: 'small',
        pointer: await pushForBench(folder, smallRemote, env),
        remote: smallRemote,
        files: options.files,
        isDir: true,
        rerun: true,
      },
      options,
      env,
      aws,
    );
    rmSync(join(DATA, 'small'), { recursive: true });

    // The large file's source goes as soon as it is pushed, and each pull's copy once measured, so
    // the disk holds at most s3rver's copy and two pulled ones.
    mkdirSync(join(DATA, 'large'));
    const file = join(DATA, 'large', 'model.bin');
    await writeRandomFile(file, options.largeBytes);
    const largeRemote = `s3://${BUCKET}/large`;
    const largePointer = await pushForBench(file, largeRemote, env);
    rmSync(file);
    const large = await runScenario(
      { name: 'large', pointer: largePointer, remote: largeRemote, files: 1, isDir: false, rerun: false },
      options,
      env,
      aws,
    );

    return report(options, small, large, awsVersion(aws, env));
  } finally {
    await server.close();
    rmSync(DATA, { recursive: true, force: true });
  }
}

/** RUNS cold pulls per contender, each into a fresh folder (and Cairn with a fresh cache), checked afterwards. */
async function runScenario(
  scenario: Scenario,
  options: PullBenchOptions,
  env: NodeJS.ProcessEnv,
  aws: string,
): Promise<{ cold: Runs; rerun: Runs }> {
  const cold: Runs = { cairn: [], aws: [], cairnNoCache: [] };
  const rerun: Runs = { cairn: [], aws: [], cairnNoCache: [] };
  for (let run = 1; run <= RUNS; run++) {
    // Rotates who goes first, so no one always meets the page cache or writeback another left.
    for (const who of CONTENDERS.map((_, at) => CONTENDERS[(at + run - 1) % CONTENDERS.length])) {
      const dir = join(DATA, 'runs', `${who}-${scenario.name}-${run}`);
      const cache = `${dir}.cache`;
      mkdirSync(dir, { recursive: true });
      let command: string[];
      if (who === 'aws') {
        command = [aws, 's3', 'sync', `${scenario.remote}/files/md5`, dir, '--only-show-errors', '--no-progress'];
      } else {
        const pointer = join(dir, basename(scenario.pointer));
        copyFileSync(scenario.pointer, pointer);
        command = cairnPull(
          pointer,
          scenario.remote,
          who === 'cairn' ? ['--cache', cache] : ['--no-cache'],
          options.jobs,
        );
      }

      cold[who].push(timed(command, env));
      if (who === 'aws')
        expectFileCount(dir, scenario.files + (scenario.isDir ? 1 : 0)); // + the folder's .dir manifest
      else expectPulled(cold[who].at(-1), 'downloaded', scenario.files);

      if (scenario.rerun && who !== 'cairnNoCache') {
        rerun[who].push(timed(command, env));
        if (who === 'cairn') expectPulled(rerun.cairn.at(-1), 'unchanged', scenario.files);
        else if (run === 1) expectNothingToSync(command, env);
      }
      rmSync(dir, { recursive: true });
      rmSync(cache, { recursive: true, force: true });
    }
  }
  return { cold, rerun };
}

/** Flushes the last run's writes first, so their writeback is not timed as part of this one. */
function timed(command: string[], env: NodeJS.ProcessEnv): Measurement {
  spawnSync('sync');
  return measure(command, env);
}

/** `cairn pull` from the build (`npm run bench` builds first), JSON out so each run can be checked. */
function cairnPull(pointer: string, remote: string, cacheArgs: string[], jobs: number | undefined): string[] {
  return [
    process.execPath,
    'dist/cli.js',
    'pull',
    pointer,
    '--remote',
    remote,
    ...cacheArgs,
    '--json',
    ...(jobs === undefined ? [] : ['--jobs', String(jobs)]),
  ];
}

/** The AWS CLI itself rather than pyenv's shim, which would add a bash start-up to every run. */
function awsExecutable(): string {
  const found = spawnSync('pyenv', ['which', 'aws'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '' ? found.stdout.trim() : 'aws';
}

function awsVersion(aws: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync(aws, ['--version'], { encoding: 'utf8', env });
  return `${result.stdout}${result.stderr}`.trim().replace(/\s+Linux\/\S+/, '');
}

function expectPulled(measurement: Measurement | undefined, outcome: 'downloaded' | 'unchanged', files: number): void {
  const result = JSON.parse(measurement?.stdout ?? '{}') as Partial<PullResult>;
  if (result[outcome]?.files !== files)
    throw new Error(`cairn pull: expected ${files} files ${outcome}, got ${JSON.stringify(result)}`);
}

function expectFileCount(dir: string, files: number): void {
  const found = readdirSync(dir, { recursive: true }).filter((name) =>
    statSync(join(dir, String(name))).isFile(),
  ).length;
  if (found !== files) throw new Error(`aws s3 sync: expected ${files} files in ${dir}, found ${found}`);
}

/** The peer's re-run is only a fair comparison if it transferred nothing: ask it what it would do. */
function expectNothingToSync(command: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command[0], [...command.slice(1), '--dryrun'], { encoding: 'utf8', env });
  if (result.status !== 0 || result.stdout.trim() !== '')
    throw new Error(
      `aws s3 sync would transfer files on a re-run:\n${result.stdout.slice(0, 2000)}${result.stderr.slice(-2000)}`,
    );
}

function report(
  options: PullBenchOptions,
  small: { cold: Runs; rerun: Runs },
  large: { cold: Runs },
  awsVersionText: string,
): PullBench {
  const wall = (runs: Measurement[]) => median(runs.map((m) => m.wallSeconds));
  const rss = (runs: Measurement[]) => Math.max(...runs.map((m) => m.peakRssMb));
  const rows = [
    {
      name: `(a) ${options.files.toLocaleString('en')} files x ${formatBytes(options.fileBytes)}, cold`,
      runs: small.cold,
      target: '<= 0.5x (2x faster)',
      met: (ratio: number) => ratio <= 0.5,
    },
    {
      name: `(b) one ${formatBytes(options.largeBytes)} file, cold`,
      runs: large.cold,
      target: '<= 1.0x',
      met: (ratio: number) => ratio <= 1,
    },
    {
      name: '(c) (a) again, nothing changed',
      runs: small.rerun,
      target: 'cairn < 1 s',
      met: () => wall(small.rerun.cairn) < 1,
    },
  ];
  const lines = rows.map(({ name, runs, target, met }) => {
    const ratio = wall(runs.cairn) / wall(runs.aws);
    return {
      ok: met(ratio),
      text: `| ${name} | ${wall(runs.cairn).toFixed(2)} | ${wall(runs.aws).toFixed(2)} | ${ratio.toFixed(2)}x | ${target} | ${met(ratio) ? 'met' : 'NOT met'} | ${rss(runs.cairn).toFixed(0)} / ${rss(runs.aws).toFixed(0)} |`,
    };
  });
  const jobs = options.jobs === undefined ? 'default `--jobs`' : `\`--jobs ${options.jobs}\``;
  const noCache = (runs: Runs) =>
    `${wall(runs.cairnNoCache).toFixed(2)} s (${(wall(runs.cairnNoCache) / wall(runs.aws)).toFixed(2)}x)`;
  const markdown = [
    `### bench/pull — \`cairn pull\` vs \`aws s3 sync\` against one s3rver, median of ${RUNS} runs`,
    '',
    '| scenario | cairn s | aws s | cairn / aws | target | result | peak RSS MB cairn / aws |',
    '| --- | ---: | ---: | ---: | --- | --- | ---: |',
    ...lines.map((line) => line.text),
    '',
    `Cairn: \`node dist/cli.js pull data.dvc --remote s3://${BUCKET}/small --cache <fresh dir> --json\` (${jobs}); a cold run also fills its fresh cache, on the workspace's filesystem (hard links to the verified downloads).`,
    `For scale, not a target: with \`--no-cache\` (nothing kept for a re-pull) Cairn took (a) ${noCache(small.cold)}, (b) ${noCache(large.cold)}.`,
    `Peer: ${awsVersionText}, \`aws s3 sync s3://${BUCKET}/small/files/md5 <fresh dir> --only-show-errors --no-progress\` on default settings (it also fetches the folder's .dir manifest, as Cairn does).`,
    `(c) runs each contender again on the folder its cold run filled, Cairn with the same cache; the peer's re-run is checked to transfer nothing (\`--dryrun\`).`,
    'Both talk to one s3rver on 127.0.0.1 (a Node process on the same cores); every run starts after `sync`.',
  ].join('\n');
  return { markdown, ok: lines.every((line) => line.ok) };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30 && bytes % (1 << 30) === 0) return `${bytes / (1 << 30)} GiB`;
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  return bytes % 1000 === 0 ? `${bytes / 1000} KB` : `${bytes} B`;
}
