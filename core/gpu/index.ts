/** The GPU probe: what the driver and nvidia-smi report, without loading onnxruntime-node. */
export { probeNvidiaGpu, type ProbeResult } from './nvidia.ts';
