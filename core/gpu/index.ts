/**
 * GPUs on this machine: the probe (nvidia-smi in query mode, the driver's /proc entries when it is
 * missing), the runner labels it implies, and the telemetry sampler `cairn train` runs beside a command.
 */
export {
  probeGpus,
  gpuPresence,
  type GpuDevice,
  type GpuProbe,
  type ProbeOptions,
  type ProbeResult,
} from './nvidia.ts';
export { gpuLabels, modelLabel } from './labels.ts';
export { startTelemetry, type TelemetryOptions, type TelemetrySample, type TelemetrySummary } from './telemetry.ts';
