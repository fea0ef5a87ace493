/**
 * Runner labels from the probe, the rules: `gpu`; one `gpu-<model>` per distinct model;
 * `cuda-<major>` of the driver's CUDA version; `gpus-<count>`; none of them without a GPU. One step
 * beyond them, documented in README.md and runner/README.md: a model label is trimmed of `-`.
 */

/** `NVIDIA H100 80GB HBM3` -> `gpu-h100-80gb-hbm3`, `Tesla T4` -> `gpu-tesla-t4`. */
export function modelLabel(name: string): string {
  const model = name
    .toLowerCase()
    .replace(/^nvidia /, '')
    .replace(/[^a-z0-9]+/g, '-')
    // A name ending in punctuation ("... (TM)") would otherwise give a label ending in "-".
    .replace(/^-+|-+$/g, '');
  return `gpu-${model}`;
}

export function gpuLabels(devices: readonly { name: string }[], cudaVersion: string | null): string[] {
  if (devices.length === 0) return [];
  const models = [...new Set(devices.map((device) => modelLabel(device.name)))];
  const major = cudaVersion === null ? null : /^(\d+)/.exec(cudaVersion)?.[1];
  return ['gpu', ...models, ...(major ? [`cuda-${major}`] : []), `gpus-${devices.length}`];
}
