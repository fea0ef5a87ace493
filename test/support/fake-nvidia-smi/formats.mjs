// nvidia-smi's output formats, laid out as driver 535-550 prints them.

/** What a GPU reads in loop round `round`: memory climbs, utilisation moves, so telemetry has a shape. */
export function reading(gpu, index, round) {
  return {
    used: Math.min(gpu.memoryTotal, 1024 + 2048 * round + 100 * index),
    utilization: (30 * round + 7 * index) % 101,
  };
}

const columns = {
  index: ['index', null, (gpu, i) => String(gpu.index ?? i)],
  name: ['name', null, (gpu) => gpu.name],
  gpu_name: ['name', null, (gpu) => gpu.name],
  uuid: ['uuid', null, (gpu) => gpu.uuid],
  gpu_uuid: ['uuid', null, (gpu) => gpu.uuid],
  'pci.bus_id': ['pci.bus_id', null, (gpu) => gpu.busId],
  'memory.total': ['memory.total [MiB]', 'MiB', (gpu) => String(gpu.memoryTotal)],
  'memory.used': ['memory.used [MiB]', 'MiB', (gpu, i, round) => String(reading(gpu, i, round).used)],
  'utilization.gpu': ['utilization.gpu [%]', '%', (gpu, i, round) => String(reading(gpu, i, round).utilization)],
  compute_cap: ['compute_cap', null, (gpu) => gpu.computeCap],
};

export function csvAnswer(scenario, fields, { header, units, round }) {
  const column = (field) =>
    columns[field] ??
    {
      driver_version: ['driver_version', null, () => scenario.driver],
      count: ['count', null, () => String(scenario.gpus.length)],
    }[field];
  const lines = header ? [fields.map((field) => column(field)[0]).join(', ')] : [];
  scenario.gpus.forEach((gpu, position) => {
    const i = gpu.index ?? position;
    const cells = fields.map((field) => {
      const [, unit, value] = column(field);
      return units && unit ? `${value(gpu, i, round)} ${unit}` : value(gpu, i, round);
    });
    lines.push(cells.join(', '));
  });
  return `${lines.join('\n')}\n`;
}

export function listGpus(scenario) {
  return scenario.gpus.map((gpu, i) => `GPU ${gpu.index ?? i}: ${gpu.name} (UUID: ${gpu.uuid})\n`).join('');
}

const pad = (text, width) => text.padEnd(width).slice(0, width);
const padLeft = (text, width) => text.padStart(width).slice(-width);
const rule = '+-----------------------------------------+------------------------+----------------------+';

export function defaultTable(scenario) {
  const head = `NVIDIA-SMI ${scenario.driver}`;
  const lines = [
    'Mon Dec  7 13:08:33 2026       ',
    '+-----------------------------------------------------------------------------------------+',
    scenario.tableWithoutCuda
      ? `| ${pad(head, 34)}Driver Version: ${pad(scenario.driver, 38)}|`
      : `| ${pad(head, 34)}Driver Version: ${pad(scenario.driver, 15)}CUDA Version: ${pad(scenario.cuda, 9)}|`,
    '|-----------------------------------------+------------------------+----------------------+',
    '| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |',
    '| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |',
    '|                                         |                        |               MIG M. |',
    '|=========================================+========================+======================|',
  ];
  scenario.gpus.forEach((gpu, position) => {
    const i = gpu.index ?? position;
    lines.push(
      `| ${padLeft(String(i), 3)}  ${pad(gpu.name, 26)}     On  | ${padLeft(gpu.busId, 18)} Off |                    0 |`,
    );
    lines.push(
      `| N/A   27C    P0  ${padLeft(`69W /  ${gpu.powerCap}W`, 22)} | ${padLeft(`0MiB /  ${gpu.memoryTotal}MiB`, 22)} |      0%      Default |`,
    );
    lines.push('|                                         |                        |             Disabled |');
    lines.push(rule);
  });
  lines.push('', '+-----------------------------------------------------------------------------------------+');
  lines.push('| Processes:                                                                              |');
  lines.push('|  GPU   GI   CI        PID   Type   Process name                              GPU Memory |');
  lines.push('|        ID   ID                                                               Usage      |');
  lines.push('|=========================================================================================|');
  lines.push('|  No running processes found                                                             |');
  lines.push('+-----------------------------------------------------------------------------------------+');
  return `${lines.join('\n')}\n`;
}

export function detailedQuery(scenario) {
  const field = (name, value, indent = 4) => `${' '.repeat(indent)}${name.padEnd(42 - indent)}: ${value}`;
  const lines = [
    '',
    '==============NVSMI LOG==============',
    '',
    field('Timestamp', 'Mon Dec  7 13:08:33 2026', 0),
    field('Driver Version', scenario.driver, 0),
    field('CUDA Version', scenario.cuda, 0),
    '',
    field('Attached GPUs', String(scenario.gpus.length), 0),
  ];
  for (const gpu of scenario.gpus) {
    lines.push(`GPU ${gpu.busId}`);
    lines.push(field('Product Name', gpu.name), field('Product Brand', 'NVIDIA'), field('GPU UUID', gpu.uuid));
    lines.push('    FB Memory Usage', field('Total', `${gpu.memoryTotal} MiB`, 8), field('Used', '0 MiB', 8));
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
