/**
 * The one GPU probe: `cairn gpu`, `--device auto|cuda` (core/evaluate/device.ts), the setup action's
 * CUDA provider, `cairn train --gpu` and `cairn runner`'s labels all ask it. nvidia-smi in query
 * mode (CSV) gives the devices; its default table's header gives the driver's CUDA version. Imports
 * nothing native, so the setup action can bundle it without loading onnxruntime-node.
 */
import { gpuLabels } from './labels.ts';
import { listProcGpus, type ProcGpu } from './internal/proc-gpus.ts';
import { cudaVersionIn, leadingNumber, parseQueryCsv, type CsvRow } from './internal/query-csv.ts';
import { rejectsField, runNvidiaSmi, type SmiOptions, type SmiResult } from './internal/nvidia-smi.ts';
import { isVisible, visibleArgs, visibleDevices } from './internal/visible-devices.ts';

export interface GpuDevice {
  index: number;
  name: string;
  uuid: string;
  /** 0 when unknown: the driver's /proc entries, read when nvidia-smi is missing, do not say. */
  memory_total_mib: number;
  compute_capability: string | null;
}

export interface GpuProbe {
  count: number;
  driver_version: string | null;
  cuda_version: string | null;
  devices: GpuDevice[];
  labels: string[];
  /** Why there is no GPU, or what could not be read; absent when nvidia-smi answered fully. */
  reason?: string;
}

export interface ProbeOptions {
  /** Its PATH finds nvidia-smi, its CUDA_VISIBLE_DEVICES keeps to those GPUs; default, this process's environment (PATH only). */
  env?: NodeJS.ProcessEnv;
  /** Default /proc/driver/nvidia. */
  procRoot?: string;
  /** Per nvidia-smi call; default 10 s. */
  timeoutMs?: number;
  /** Aborted: nvidia-smi is killed and the probe answers no GPU at once. */
  signal?: AbortSignal;
}

/** What `--device` and the setup action ask: is there a GPU, and what was found or is missing, in words. */
export interface ProbeResult {
  ok: boolean;
  detail: string;
}

const FIELDS = ['index', 'name', 'uuid', 'memory.total', 'compute_cap', 'driver_version'] as const;
/** compute_cap arrived in driver 510; older ones answer `Field "compute_cap" is not a valid field to query.` */
const FIELDS_WITHOUT_COMPUTE_CAP = FIELDS.filter((field) => field !== 'compute_cap');

/** Never throws: a failure is count 0 and a reason. Sees only the GPUs CUDA_VISIBLE_DEVICES shows. */
export async function probeGpus(options: ProbeOptions = {}): Promise<GpuProbe> {
  const visible = visibleDevices(options.env);
  if (visible?.length === 0)
    return noGpu(`CUDA_VISIBLE_DEVICES=${JSON.stringify(options.env?.CUDA_VISIBLE_DEVICES)} shows no GPU`);
  const smi: SmiOptions = {
    env: options.env,
    timeoutMs: options.timeoutMs,
    only: visibleArgs(visible),
    signal: options.signal,
  };
  const procRoot = options.procRoot ?? '/proc/driver/nvidia';
  try {
    const [query, table] = await Promise.all([queryDevices(smi), runNvidiaSmi([], smi)]);
    if (!query.result.ok) return await withoutNvidiaSmi(query.result, procRoot, visible);
    const devices = query.rows.map(toDevice);
    const cudaVersion = (table.ok ? cudaVersionIn(table.stdout) : null) ?? (await cudaVersionFromQuery(smi));
    const probe: GpuProbe = {
      count: devices.length,
      driver_version: query.rows[0]?.driver_version ?? null,
      cuda_version: cudaVersion,
      devices,
      labels: gpuLabels(devices, cudaVersion),
    };
    if (devices.length === 0) probe.reason = 'nvidia-smi lists no GPU';
    else if (cudaVersion === null) probe.reason = "nvidia-smi did not say the driver's CUDA version";
    return probe;
  } catch (error) {
    // A bug of ours (an unreadable answer) must not stop an evaluation that would run on the CPU.
    return noGpu(`the GPU probe failed: ${(error as Error).message}`);
  }
}

async function queryDevices(smi: SmiOptions): Promise<{ result: SmiResult; rows: CsvRow[] }> {
  const query = (fields: readonly string[]) =>
    runNvidiaSmi([`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits'], smi);
  let result = await query(FIELDS);
  let fields: readonly string[] = FIELDS;
  if (rejectsField(result, 'compute_cap')) {
    fields = FIELDS_WITHOUT_COMPUTE_CAP;
    result = await query(fields);
  }
  return { result, rows: result.ok ? parseQueryCsv(result.stdout, fields) : [] };
}

function toDevice(row: CsvRow, position: number): GpuDevice {
  return {
    index: leadingNumber(row.index ?? null) ?? position,
    name: row.name ?? 'unknown NVIDIA GPU',
    uuid: row.uuid ?? '',
    memory_total_mib: leadingNumber(row['memory.total'] ?? null) ?? 0,
    compute_capability: row.compute_cap ?? null,
  };
}

/** The table had no header line we know (a wrapper, a future layout): `-q` says it too. */
async function cudaVersionFromQuery(smi: SmiOptions): Promise<string | null> {
  const details = await runNvidiaSmi(['-q'], smi);
  return details.ok ? cudaVersionIn(details.stdout) : null;
}

async function withoutNvidiaSmi(
  failure: Extract<SmiResult, { ok: false }>,
  procRoot: string,
  visible: string[] | undefined,
): Promise<GpuProbe> {
  const listed = (await listProcGpus(procRoot)).filter((gpu, index) =>
    isVisible(visible, { index, uuid: gpu.uuid ?? '' }),
  );
  const where = `${procRoot}/gpus`;
  if (!failure.missing) {
    // nvidia-smi is there but cannot use the driver: CUDA could not either, whatever /proc lists.
    const seen = listed.length > 0 ? `; ${where} lists ${listed.length} GPU(s) the driver cannot serve` : '';
    return noGpu(`${failure.message}${seen}`);
  }
  if (listed.length === 0) return noGpu(`nvidia-smi is not on PATH and ${where} lists no GPU`);
  const devices = listed.map(fromProc);
  return {
    count: devices.length,
    driver_version: null,
    cuda_version: null,
    devices,
    labels: gpuLabels(devices, null),
    reason: `nvidia-smi is not on PATH: the NVIDIA driver lists ${devices.length} GPU(s) in ${where} (their memory, compute capability and CUDA version are unknown without it)`,
  };
}

function fromProc(gpu: ProcGpu, index: number): GpuDevice {
  return {
    index,
    name: gpu.model ?? `NVIDIA GPU at ${gpu.busId}`,
    uuid: gpu.uuid ?? '',
    memory_total_mib: 0,
    compute_capability: null,
  };
}

function noGpu(reason: string): GpuProbe {
  return { count: 0, driver_version: null, cuda_version: null, devices: [], labels: [], reason };
}

/** The probe in the words `--device auto|cuda` and the setup action have always logged. */
export function gpuPresence(probe: GpuProbe): ProbeResult {
  if (probe.count === 0)
    return { ok: false, detail: `no NVIDIA GPU found (${probe.reason ?? 'nvidia-smi lists none'})` };
  const first = probe.devices[0]!;
  if (probe.driver_version === null && probe.reason) return { ok: true, detail: probe.reason };
  const more = probe.count > 1 ? ` and ${probe.count - 1} more` : '';
  return { ok: true, detail: `nvidia-smi found GPU ${first.index}: ${first.name} (UUID: ${first.uuid})${more}` };
}
