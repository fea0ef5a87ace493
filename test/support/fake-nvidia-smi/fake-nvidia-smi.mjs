// A fake nvidia-smi answering in the real formats: --query-gpu CSV (any field list; header and
// units unless noheader/nounits), the default table, -q, -L, loops (-l SEC, -lms MS), the
// unknown-field error (exit 2), "No devices were found" (exit 6) and the broken driver (exit 9).
// `-i`/`--id` LIST keeps the GPUs whose index or UUID is listed, each keeping its machine index.
// FAKE_NVIDIA_SMI_SCENARIO names the machine (scenarios.mjs); default `one`.
import { setInterval } from 'node:timers';
import { scenarios } from './scenarios.mjs';
import { csvAnswer, defaultTable, detailedQuery, listGpus } from './formats.mjs';

const name = process.env.FAKE_NVIDIA_SMI_SCENARIO ?? 'one';
const scenario = scenarios[name];
if (!scenario) {
  process.stdout.write(`fake nvidia-smi: unknown scenario ${name}\n`);
  process.exit(1);
}
const args = process.argv.slice(2);
const option = (flag) => {
  const found = args.find((arg) => arg === flag || arg.startsWith(`${flag}=`));
  if (!found) return undefined;
  return found.includes('=') ? found.slice(flag.length + 1) : (args[args.indexOf(found) + 1] ?? '');
};

const only = option('-i') ?? option('--id');
if (only !== undefined && scenario.gpus) {
  const ids = only.split(',').map((id) => id.trim());
  const kept = scenario.gpus
    .map((gpu, index) => ({ ...gpu, index }))
    .filter((gpu) => ids.includes(String(gpu.index)) || ids.includes(gpu.uuid));
  if (kept.length === 0) {
    process.stdout.write('No devices were found\n');
    process.exit(6);
  }
  scenario.gpus = kept;
}

if (scenario.hang) setInterval(() => undefined, 1000);
else if (scenario.flood) process.stdout.write(`${'0, Tesla T4, GPU-0, 15360, 7.5, 535.183.01\n'.repeat(100_000)}`);
else if (scenario.broken) {
  process.stdout.write(
    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n",
  );
  process.exit(9);
} else if (scenario.gpus.length === 0) {
  process.stdout.write('No devices were found\n');
  process.exit(6);
} else answer();

function answer() {
  if (args.includes('-L') || args.includes('--list-gpus')) return void process.stdout.write(listGpus(scenario));
  if (args.includes('-q') || args.includes('--query')) return void process.stdout.write(detailedQuery(scenario));
  const query = option('--query-gpu');
  if (query === undefined) return void process.stdout.write(defaultTable(scenario));
  const fields = query.split(',');
  const unknown = fields.find((field) => !knownField(field));
  if (unknown) {
    process.stdout.write(`Field "${unknown}" is not a valid field to query.\n\n`);
    process.exit(2);
  }
  const format = (option('--format') ?? 'csv').split(',');
  const header = scenario.forceHeaderUnits || !format.includes('noheader');
  const units = scenario.forceHeaderUnits || !format.includes('nounits');
  const loopMs =
    option('-lms') !== undefined
      ? Number(option('-lms'))
      : option('-l') !== undefined
        ? 1000 * Number(option('-l') || 5)
        : null;
  let round = 0;
  const print = () =>
    process.stdout.write(csvAnswer(scenario, fields, { header: header && round === 0, units, round: round++ }));
  print();
  if (loopMs !== null) setInterval(print, loopMs);
}

function knownField(field) {
  const known = [
    'index',
    'name',
    'gpu_name',
    'uuid',
    'gpu_uuid',
    'memory.total',
    'memory.used',
    'utilization.gpu',
    'driver_version',
    'count',
    'pci.bus_id',
  ];
  return known.includes(field) || (field === 'compute_cap' && !scenario.noComputeCap);
}
