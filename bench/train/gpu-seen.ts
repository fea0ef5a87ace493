/**
 * bench/train/gpu-seen: what the probe and telemetry see on a real NVIDIA GPU, for the record the
 * issue asks of a lent machine. Refuses (exit 1, nothing written) where the probe finds no GPU.
 *
 *   npx tsx bench/train/gpu-seen.ts && npx tsx bench/train/gpu-sampling.bench.ts --nvidia-smi path
 *
 * Rewrites the `gpu-seen` section of bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { probeGpus, startTelemetry } from '../../core/gpu/index.ts';
import { replaceSection } from '../measure.ts';

const probeStarted = performance.now();
const probe = await probeGpus({ env: process.env });
const probeMs = performance.now() - probeStarted;
if (probe.count === 0) {
  console.error(`no GPU: ${probe.reason}`);
  process.exit(1);
}

// A command holding ~200 MiB for three seconds; GPUs are sampled idle (no CUDA library is assumed here).
const command = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(200 << 20, 1); setTimeout(() => b[0], 3000)']);
const telemetry = startTelemetry({ rootPid: command.pid!, intervalS: 0.5, gpus: true, env: process.env });
await sleep(3500);
const { series, ...summary } = await telemetry.stop();

const markdown = `### bench/train/gpu-seen — the probe and telemetry on a real GPU

Probe (${probeMs.toFixed(0)} ms, nvidia-smi's query and default table in parallel):

\`\`\`json
${JSON.stringify(probe, null, 2)}
\`\`\`

Telemetry of a 3 s command holding 200 MiB, sampled every 0.5 s (${series.length} points in the series):

\`\`\`json
${JSON.stringify(summary, null, 2)}
\`\`\`

Command: \`npx tsx bench/train/gpu-seen.ts\` (${new Date().toISOString().slice(0, 10)}).`;
console.log(markdown);
writeFileSync('bench/RESULTS.md', replaceSection(readFileSync('bench/RESULTS.md', 'utf8'), 'gpu-seen', markdown));
