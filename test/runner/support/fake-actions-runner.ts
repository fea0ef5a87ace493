/**
 * A stand-in for an unpacked actions/runner: its run.sh takes `--jitconfig` or
 * `ACTIONS_RUNNER_INPUT_JITCONFIG`, prints the lines the
 * real runner prints ("√ Connected to GitHub", "Listening for Jobs", "Running job: ...", "Job ...
 * completed with result: ..."), runs one job and exits, as a JIT (ephemeral) runner does.
 *
 * The test plays GitHub's job queue through a folder: `queueJob(name)` drops `<name>.job`, which
 * one listening runner claims (an atomic rename, so eight runners never take the same job);
 * the job runs until `finishJob(name)`. Every start, job and exit is logged as a JSON line.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUN_SH = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const jobs = process.env.FAKE_RUNNER_JOBS;
const log = (entry) => fs.appendFileSync(process.env.FAKE_RUNNER_LOG, JSON.stringify({ pid: process.pid, ...entry }) + '\\n');
const at = () => new Date().toISOString().replace('T', ' ').replace(/\\.\\d+Z$/, 'Z');
// As actions/runner's CommandSettings: ACTIONS_RUNNER_INPUT_<ARG> stands for --<arg>, and is
// removed from the environment its jobs get.
const flag = process.argv.indexOf('--jitconfig');
const encoded = flag >= 0 ? process.argv[flag + 1] : process.env.ACTIONS_RUNNER_INPUT_JITCONFIG;
delete process.env.ACTIONS_RUNNER_INPUT_JITCONFIG;
if (!encoded) {
  console.error('Missing --jitconfig');
  process.exit(1);
}
const jit = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
log({
  event: 'start',
  runnerId: jit.runner_id,
  dir: process.cwd(),
  cuda: process.env.CUDA_VISIBLE_DEVICES ?? null,
  labels: process.env.CAIRN_RUNNER_LABELS ?? null,
  credentials: ['GITHUB_TOKEN', 'GH_TOKEN', 'PRIVATE_KEY', 'APP_ID'].filter((name) => name in process.env),
});
if (process.env.FAKE_RUNNER_CRASH) {
  console.error('An error occurred: ' + process.env.FAKE_RUNNER_CRASH);
  log({ event: 'exit', runnerId: jit.runner_id, signal: null, job: null });
  process.exit(1);
}
let job;
process.on('SIGTERM', () => {
  if (job) console.log(at() + ': Job ' + job + ' completed with result: Canceled');
  log({ event: 'exit', runnerId: jit.runner_id, signal: 'SIGTERM', job: job ?? null });
  process.exit(0);
});
console.log('');
console.log('\\u221a Connected to GitHub');
console.log('');
console.log("Current runner version: '2.321.0'");
console.log(at() + ': Listening for Jobs');
const poll = setInterval(() => {
  if (job) {
    if (!fs.existsSync(path.join(jobs, job + '.finish'))) return;
    clearInterval(poll);
    console.log(at() + ': Job ' + job + ' completed with result: Succeeded');
    log({ event: 'exit', runnerId: jit.runner_id, signal: null, job, finished: true });
    process.exit(0);
  }
  for (const file of fs.readdirSync(jobs).filter((f) => f.endsWith('.job'))) {
    const name = file.slice(0, -4);
    try {
      fs.renameSync(path.join(jobs, file), path.join(jobs, name + '.taken-by-' + jit.runner_id));
    } catch {
      continue; // another runner took it
    }
    job = name;
    // A job writes its workspace and tool cache under _work; a job that finds one's was not isolated.
    const planted = path.join(process.cwd(), '_work', '_tool', 'python', 'planted');
    const leftover = fs.existsSync(planted) ? fs.readFileSync(planted, 'utf8') : null;
    fs.mkdirSync(path.dirname(planted), { recursive: true });
    fs.writeFileSync(planted, name);
    log({ event: 'job', runnerId: jit.runner_id, job, leftover });
    console.log(at() + ': Running job: ' + name);
    return;
  }
}, 20);
`;

export interface FakeRunnerLogEntry {
  event: 'start' | 'job' | 'exit';
  pid: number;
  runnerId: number;
  dir?: string;
  cuda?: string | null;
  labels?: string | null;
  credentials?: string[];
  job?: string | null;
  /** The job whose file this job found under `_work`; null when its folder was clean. */
  leftover?: string | null;
  signal?: string | null;
  finished?: boolean;
}

export interface FakeActionsRunner {
  runnerDir: string;
  /** What run.sh needs in its environment: where the job queue and the log are. */
  env: NodeJS.ProcessEnv;
  queueJob(name: string): void;
  finishJob(name: string): void;
  log(): FakeRunnerLogEntry[];
}

export function fakeActionsRunner(): FakeActionsRunner {
  const root = mkdtempSync(join(tmpdir(), 'cairn-fake-runner-'));
  const runnerDir = join(root, 'actions-runner');
  const jobs = join(root, 'jobs');
  const logFile = join(root, 'runner.log');
  mkdirSync(join(runnerDir, 'bin'), { recursive: true });
  mkdirSync(jobs);
  writeFileSync(join(runnerDir, 'run.sh'), RUN_SH);
  chmodSync(join(runnerDir, 'run.sh'), 0o755);
  writeFileSync(join(runnerDir, 'bin', 'Runner.Listener'), 'the real runner keeps its binaries here\n');
  writeFileSync(logFile, '');
  return {
    runnerDir,
    env: { PATH: process.env.PATH, FAKE_RUNNER_JOBS: jobs, FAKE_RUNNER_LOG: logFile },
    queueJob: (name) => writeFileSync(join(jobs, `${name}.job`), ''),
    finishJob: (name) => writeFileSync(join(jobs, `${name}.finish`), ''),
    log: () =>
      existsSync(logFile)
        ? readFileSync(logFile, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as FakeRunnerLogEntry)
        : [],
  };
}

/** The JIT config the fake GitHub hands out and the fake run.sh reads back: which runner it is. */
export function encodeJitConfig(runnerId: number): string {
  return Buffer.from(JSON.stringify({ runner_id: runnerId })).toString('base64');
}
