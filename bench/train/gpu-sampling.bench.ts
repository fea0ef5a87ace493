/**
 * bench/train/gpu-sampling: what `cairn train`'s telemetry costs per sample (core/gpu/telemetry.ts).
 *   - one RSS sample of a 9-process tree through /proc/<pid>/task/<tid>/children, and through the
 *     ppid scan of every /proc/<pid>/stat that kernels without children files fall back to;
 *   - one GPU sample by starting nvidia-smi each time, vs one from a running `nvidia-smi -lms` loop
 *     (the design's choice), steady state;
 *   - startTelemetry itself (RSS + reading the loop's lines), Cairn's own CPU per sample.
 *
 *   npx tsx bench/train/gpu-sampling.bench.ts [--nvidia-smi fake|path] [--samples N] [--spawns N] [--loop-seconds S]
 *
 * `fake` (default) is test/support/fake-nvidia-smi playing eight H100s: its start-up is Node's, not
 * NVML's, so the nvidia-smi rows say what the code around nvidia-smi costs, not what a driver does.
 * `path` takes the nvidia-smi on PATH: run it where a GPU is lent. Rewrites the `gpu-sampling`
 * section of bench/RESULTS.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTelemetry } from '../../core/gpu/index.ts';
import { scanParents, treeRssKib } from '../../core/gpu/internal/process-tree.ts';
import { fakeGpuEnv } from '../../test/support/fake-nvidia-smi.ts';
import { replaceSection } from '../measure.ts';

const { values } = parseArgs({
  options: {
    'nvidia-smi': { type: 'string', default: 'fake' },
    samples: { type: 'string', default: '500' },
    spawns: { type: 'string', default: '30' },
    'loop-seconds': { type: 'string', default: '6' },
  },
});
const real = values['nvidia-smi'] === 'path';
const env = real ? process.env : fakeGpuEnv('eight');
const SAMPLES = Number(values.samples);
const SPAWNS = Number(values.spawns);
const LOOP_SECONDS = Number(values['loop-seconds']);
const TICK_MS = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
const QUERY = ['--query-gpu=index,utilization.gpu,memory.used', '--format=csv,noheader,nounits'];

/** This process's own CPU (user + system), in ms. */
const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
/** utime+stime (or, with children, cutime+cstime: waited-for children) from /proc/<pid>/stat, in ms. */
function statCpuMs(pid: number | 'self', children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the comm: state is field 0, utime 11, stime 12, cutime 13, cstime 14.
  const [a, b] = children ? [13, 14] : [11, 12];
  return (Number(fields[a]) + Number(fields[b])) * TICK_MS;
}

// A training command's shape: a launcher with eight data-loader workers.
const worker = 'setInterval(() => {}, 1000)';
const launcher = `for (let i = 0; i < 8; i++) require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(worker)}], { stdio: 'ignore' }); setInterval(() => {}, 1000);`;
const tree = spawn(process.execPath, ['-e', launcher], { stdio: 'ignore', detached: true });
await sleep(1500);

async function perSample(work: () => Promise<unknown>, n: number) {
  const cpu = ownCpuMs();
  const wall = performance.now();
  for (let i = 0; i < n; i++) await work();
  return { cpuMs: (ownCpuMs() - cpu) / n, wallMs: (performance.now() - wall) / n };
}
const viaChildren = await perSample(async () => treeRssKib(tree.pid!), SAMPLES);
const procCount = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).length;
const viaScan = await perSample(async () => scanParents(tree.pid!), Math.max(20, SAMPLES / 10));

// nvidia-smi started for each sample: its CPU (waited-for children) plus ours to start it.
const spawnCpu = { own: ownCpuMs(), children: statCpuMs('self', true) };
const spawnWall = performance.now();
for (let i = 0; i < SPAWNS; i++) spawnSync('nvidia-smi', QUERY, { env, encoding: 'utf8' });
const perSpawn = {
  cpuMs: (ownCpuMs() - spawnCpu.own + statCpuMs('self', true) - spawnCpu.children) / SPAWNS,
  wallMs: (performance.now() - spawnWall) / SPAWNS,
};

// One loop at 100 ms: its CPU between the first second (start-up done) and the end, per answer.
const loop = spawn('nvidia-smi', [...QUERY, '-lms', '100'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
let lines = 0;
loop.stdout.on('data', (chunk: Buffer) => (lines += chunk.toString().split('\n').length - 1));
await sleep(1000);
const loopStart = { cpu: statCpuMs(loop.pid!), lines };
await sleep((LOOP_SECONDS - 1) * 1000);
const gpuCount = real
  ? Math.max(1, Number(spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).length))
  : 8;
const answers = (lines - loopStart.lines) / gpuCount;
const perLoopAnswer = (statCpuMs(loop.pid!) - loopStart.cpu) / answers;
loop.kill();

// startTelemetry as `cairn train` runs it, at 100 ms to get many samples: Cairn's CPU per sample.
const before = ownCpuMs();
const telemetry = startTelemetry({ rootPid: tree.pid!, intervalS: 0.1, gpus: true, env });
await sleep(LOOP_SECONDS * 1000);
const summary = await telemetry.stop();
const telemetryCpu = (ownCpuMs() - before) / summary.samples;
process.kill(-tree.pid!, 'SIGKILL');

const ms = (value: number) => (value < 1 ? value.toFixed(3) : value.toFixed(1));
const share = (cpuMs: number) => `${((cpuMs / 1000) * 100).toFixed(cpuMs < 1 ? 3 : 1)}%`;
const source = real ? 'the nvidia-smi on PATH' : 'the fake nvidia-smi (Node, eight H100s)';
const markdown = `### bench/train/gpu-sampling — the CPU cost of one telemetry sample

| sample | CPU ms per sample | wall ms | CPU share at the default 1 s interval |
| --- | ---: | ---: | ---: |
| RSS of a 9-process tree, children files (what telemetry does) | ${ms(viaChildren.cpuMs)} | ${ms(viaChildren.wallMs)} | ${share(viaChildren.cpuMs)} |
| RSS of the same tree, ppid scan of ${procCount} /proc entries (fallback) | ${ms(viaScan.cpuMs)} | ${ms(viaScan.wallMs)} | ${share(viaScan.cpuMs)} |
| GPUs: start nvidia-smi for each sample (${source}) | ${ms(perSpawn.cpuMs)} | ${ms(perSpawn.wallMs)} | ${share(perSpawn.cpuMs)} |
| GPUs: one answer of a running \`nvidia-smi -lms\` loop (${source}), steady state | ${ms(perLoopAnswer)} | — | ${share(perLoopAnswer)} |
| startTelemetry, Cairn's own CPU per sample (RSS + the loop's lines; ${summary.samples} samples) | ${ms(telemetryCpu)} | — | ${share(telemetryCpu)} |

CPU is user + system: this process's from \`process.cpuUsage()\`, nvidia-smi's from /proc (clock ticks of ${TICK_MS} ms, so the per-spawn and loop rows are averages over ${SPAWNS} spawns and ${Math.round(answers)} answers). Telemetry reads GPUs from one long-running \`nvidia-smi --query-gpu=index,utilization.gpu,memory.used -lms N\` because a fresh nvidia-smi per sample pays its start-up every time (here Node's; on a real machine NVML's initialisation and opening every GPU, larger still without persistence mode).
${real ? '' : '\nThese nvidia-smi figures are against the fake, on a machine without a GPU: the real nvidia-smi cost is still to be measured where a GPU is lent (`--nvidia-smi path`).\n'}
Command: \`npx tsx bench/train/gpu-sampling.bench.ts${real ? ' --nvidia-smi path' : ''}\`.

Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version} (${new Date().toISOString().slice(0, 10)}).`;

console.log(markdown);
writeFileSync('bench/RESULTS.md', replaceSection(readFileSync('bench/RESULTS.md', 'utf8'), 'gpu-sampling', markdown));
