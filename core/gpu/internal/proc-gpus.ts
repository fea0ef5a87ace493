/**
 * What the NVIDIA kernel driver lists under /proc/driver/nvidia/gpus/<bus id>/information, for
 * machines whose image lacks nvidia-smi (slim containers with the device passed through):
 *   Model:           Tesla T4
 *   GPU UUID:        GPU-5d4b0f28-...
 *   Bus Location:    0000:00:1e.0
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProcGpu {
  busId: string;
  model: string | null;
  uuid: string | null;
}

/** The bus ids listed, in bus order (nvidia-smi's default index order); [] when the folder is missing. */
export async function listProcGpus(procRoot: string): Promise<ProcGpu[]> {
  const folder = join(procRoot, 'gpus');
  let busIds: string[];
  try {
    busIds = (await readdir(folder)).sort();
  } catch {
    return [];
  }
  return Promise.all(busIds.map(async (busId) => ({ busId, ...(await readInformation(join(folder, busId))) })));
}

async function readInformation(dir: string): Promise<Omit<ProcGpu, 'busId'>> {
  let text = '';
  try {
    text = (await readFile(join(dir, 'information'), 'utf8')).slice(0, 64 * 1024);
  } catch {
    // Listed without an information file (permissions, an odd kernel): the GPU still counts.
  }
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+?)\\s*$`, 'm').exec(text)?.[1] ?? null;
  return { model: field('Model'), uuid: field('GPU UUID') };
}
