/**
 * CUDA_VISIBLE_DEVICES as CUDA reads it: a comma list of indexes or UUIDs (`cairn runner --per-gpu`
 * sets one UUID per runner). nvidia-smi ignores it and lists the whole machine, so a job on one GPU
 * of eight would record eight; `-i <list>` (indexes and UUIDs alike) restricts it to those GPUs.
 */

/** undefined: unset, every GPU; []: none visible (empty, `-1`, `NoDevFiles`); else the listed ids. */
export function visibleDevices(env: NodeJS.ProcessEnv | undefined): string[] | undefined {
  const value = env?.CUDA_VISIBLE_DEVICES;
  if (value === undefined) return undefined;
  const ids: string[] = [];
  for (const raw of value.split(',')) {
    const id = raw.trim();
    // CUDA stops at the first invalid entry: `0,-1,1` shows GPU 0 only.
    if (id === '' || id === '-1' || id === 'NoDevFiles') break;
    ids.push(id);
  }
  return ids;
}

/** nvidia-smi's arguments that keep to the visible GPUs; none when every GPU is visible. */
export function visibleArgs(visible: readonly string[] | undefined): string[] {
  return visible === undefined ? [] : ['-i', visible.join(',')];
}

/** Whether a GPU listed by index or UUID is one of the visible ones. */
export function isVisible(visible: readonly string[] | undefined, gpu: { index: number; uuid: string }): boolean {
  return (
    visible === undefined || visible.includes(String(gpu.index)) || (gpu.uuid !== '' && visible.includes(gpu.uuid))
  );
}
