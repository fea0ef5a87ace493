// Machines the fake nvidia-smi plays. Names, memory sizes, compute capabilities and driver/CUDA
// pairs are those real drivers report for these boards.
const h100 = (index) => ({
  name: 'NVIDIA H100 80GB HBM3',
  uuid: `GPU-8c1b7f2e-3d5a-4c6b-9e8f-0a1b2c3d4e${index}f`,
  busId: `00000000:${(0x18 + 0x10 * index).toString(16).toUpperCase().padStart(2, '0')}:00.0`,
  memoryTotal: 81559,
  computeCap: '9.0',
  powerCap: 700,
});
const t4 = (index) => ({
  name: 'Tesla T4',
  uuid: `GPU-5d4b0f28-9a3c-11ee-b9d1-0242ac12000${index}`,
  busId: `00000000:00:${(0x1e + index).toString(16).toUpperCase()}.0`,
  memoryTotal: 15360,
  computeCap: '7.5',
  powerCap: 70,
});
const a100 = {
  name: 'NVIDIA A100-SXM4-40GB',
  uuid: 'GPU-f3a9c2d1-7b64-4e0a-8c55-19d2e6b7a034',
  busId: '00000000:00:20.0',
  memoryTotal: 40960,
  computeCap: '8.0',
  powerCap: 400,
};
const v100 = {
  name: 'Tesla V100-SXM2-16GB',
  uuid: 'GPU-1e0b5c7a-2f93-4d8e-b6a1-7c9d0e3f4a52',
  busId: '00000000:00:1E.0',
  memoryTotal: 16160,
  computeCap: '7.0',
  powerCap: 300,
};

export const scenarios = {
  one: { driver: '550.54.15', cuda: '12.4', gpus: [h100(0)] },
  eight: { driver: '550.54.15', cuda: '12.4', gpus: Array.from({ length: 8 }, (_, i) => h100(i)) },
  mixed: { driver: '535.183.01', cuda: '12.2', gpus: [t4(0), t4(1), a100] },
  // Driver 470 predates the compute_cap query field (510): the probe must retry without it.
  'old-driver': { driver: '470.182.03', cuda: '11.4', gpus: [v100], noComputeCap: true },
  // A wrapper (or an old build) that ignores noheader/nounits: the CSV comes with its header and units.
  'header-units': { driver: '550.54.15', cuda: '12.4', gpus: [h100(0)], forceHeaderUnits: true },
  // A default table without the CUDA Version in its header (a wrapper, an unknown layout): -q says it.
  'table-without-cuda': { driver: '535.183.01', cuda: '12.2', gpus: [t4(0)], tableWithoutCuda: true },
  // The kernel module is not loaded (after a kernel update, in a container without the device).
  broken: { broken: true },
  'no-devices': { driver: '550.54.15', cuda: '12.4', gpus: [] },
  // Answers without end (a wrapper gone wrong): the probe's output bound must stop it.
  flood: { flood: true },
  // Never answers: the probe's timeout must end it.
  hang: { hang: true },
};
