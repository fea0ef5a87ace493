/**
 * bench/train: what `cairn train` costs around a command. (1) Start-up: `cairn train -- true` vs the
 * bare `true`, interleaved in one run (target: under 150 ms more). (2) Sampling: the CPU time (user +
 * sys of cairn and everything it reaped, nvidia-smi's loop included) of `cairn train -- sleep S` with
 * telemetry off, at 1 s and at 0.1 s; the difference over the samples taken is the cost of one. GPU
 * sampling is measured only where nvidia-smi answers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from '../measure.ts';

const CLI = resolve('dist/cli.js');
const START_UP_TARGET_MS = 150;

function wallMs(command: string[]): number {
  const started = performance.now();
  const result = spawnSync(command[0], command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed (exit ${result.status}): ${result.stderr}`);
  return ms;
}

/** CPU seconds (user + sys) of the command and the children it reaped, from GNU time. */
function cpuSeconds(command: string[]): number {
  const result = spawnSync('/usr/bin/time', ['-f', 'CAIRN_CPU %U %S', ...command], { encoding: 'utf8' });
  const line = result.stderr.split('\n').find((text) => text.startsWith('CAIRN_CPU '));
  if (result.status !== 0 || !line)
    throw new Error(`${command.join(' ')} failed (exit ${result.status}): ${result.stderr}`);
  const [, user, sys] = line.split(' ');
  return Number(user) + Number(sys);
}

function hasGpu(): boolean {
  return spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8' }).stdout?.includes('GPU ') ?? false;
}

export async function benchTrain(options: {
  rounds: number;
  sleepS: number;
}): Promise<{ markdown: string; ok: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-train-'));
  const record = join(dir, 'record.json');
  const train = (...args: string[]) => [process.execPath, CLI, 'train', '--record', record, '-q', ...args];

  // (1) start-up, interleaved so all see the same machine; one warm-up round. Node's own start-up
  // and `cairn --version` are there to tell what the train command adds from what any CLI pays.
  const contenders = {
    bare: ['true'],
    node: [process.execPath, '-e', '0'],
    version: [process.execPath, CLI, '--version'],
    train: train('--', 'true'),
    trainNoProbe: train('--gpu', 'none', '--', 'true'),
  };
  const wall: Record<keyof typeof contenders, number[]> = {
    bare: [],
    node: [],
    version: [],
    train: [],
    trainNoProbe: [],
  };
  const cpu: Record<keyof typeof contenders, number[]> = {
    bare: [],
    node: [],
    version: [],
    train: [],
    trainNoProbe: [],
  };
  for (let round = -1; round < options.rounds; round++) {
    for (const [name, command] of Object.entries(contenders) as Array<[keyof typeof contenders, string[]]>) {
      const ms = wallMs(command);
      const cpuMs = cpuSeconds(command) * 1000;
      if (round < 0) continue;
      wall[name].push(ms);
      cpu[name].push(cpuMs);
    }
  }
  const overhead = median(wall.train) - median(wall.bare);
  const overheadNoProbe = median(wall.trainNoProbe) - median(wall.bare);
  const startRow = (label: string, name: keyof typeof contenders) =>
    `| ${label} | ${median(wall[name]).toFixed(1)} | ${median(cpu[name]).toFixed(0)} |`;

  // (2) sampling cost: RSS of the tree from /proc (and GPUs where there are some).
  const sleep = String(options.sleepS);
  const samplesOf = () =>
    (JSON.parse(readFileSync(record, 'utf8')) as { telemetry: { samples: number } }).telemetry.samples;
  const sampled = (gpu: 'none' | 'optional', interval: string) => {
    const cpu = cpuSeconds(train('--gpu', gpu, '--telemetry-interval', interval, '--', 'sleep', sleep));
    return { cpu, samples: samplesOf() };
  };
  const off = sampled('none', '0');
  const runs = [
    { label: 'telemetry off', ...off },
    { label: 'RSS every 1 s (the default)', ...sampled('none', '1') },
    { label: 'RSS every 0.1 s', ...sampled('none', '0.1') },
  ];
  const gpu = hasGpu();
  if (gpu) runs.push({ label: 'RSS + GPUs (one nvidia-smi loop) every 1 s', ...sampled('optional', '1') });
  const rows = runs.map((run) => `| ${run.label} | ${run.cpu.toFixed(2)} | ${run.samples} |`);
  // GNU time counts in 10 ms steps: the 0.1 s run takes enough samples to show what one costs.
  const fast = runs[2];
  const perSampleMs = (Math.max(0, fast.cpu - off.cpu) / Math.max(1, fast.samples)) * 1000;
  const gpuRun = gpu ? runs[3] : undefined;
  const gpuPerSampleMs = gpuRun ? (Math.max(0, gpuRun.cpu - runs[1].cpu) / Math.max(1, gpuRun.samples)) * 1000 : 0;
  const processes = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
  const ok = overhead < START_UP_TARGET_MS;
  const markdown = [
    `### bench/train — \`cairn train\` around a command, median of ${options.rounds} interleaved runs of each`,
    '',
    '| contender | wall ms | CPU ms (user + sys) |',
    '| --- | ---: | ---: |',
    startRow('`true`', 'bare'),
    startRow('`node -e 0` (Node start-up alone)', 'node'),
    startRow('`cairn --version`', 'version'),
    startRow('`cairn train -- true` (default: --gpu optional, probe + sampling at 1 s)', 'train'),
    startRow('`cairn train --gpu none -- true` (no probe)', 'trainNoProbe'),
    '',
    `Start-up overhead: **${overhead.toFixed(0)} ms** (target < ${START_UP_TARGET_MS} ms): ${ok ? 'met' : 'NOT met'}; without the GPU probe ${overheadNoProbe.toFixed(0)} ms. Wall times move with the machine's load (${loadavg()[0].toFixed(1)} at the end, on ${cpus().length} cores); CPU ms do not.`,
    '',
    `Sampling cost: CPU seconds (user + sys, cairn and what it reaped) of \`cairn train -- sleep ${sleep}\`; per sample = the difference to "off" over the samples taken. ${processes} processes on the machine (the RSS sampler walks the command's tree in /proc).`,
    '',
    '| telemetry | CPU s | samples |',
    '| --- | ---: | ---: |',
    ...rows,
    '',
    `One RSS sample costs **${perSampleMs.toFixed(2)} ms** of CPU (from the 0.1 s run): ${(perSampleMs / 10).toFixed(2)} % of one core at the default 1 s.`,
    gpu
      ? `GPU sampling adds ${gpuPerSampleMs.toFixed(2)} ms of CPU per sample (nvidia-smi's loop included).`
      : 'No GPU on this machine: GPU sampling not measured here.',
  ].join('\n');
  return { markdown, ok };
}
