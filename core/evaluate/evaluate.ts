/** core/evaluate's public API: what front doors (CLI, actions) import. */
export { evaluateModel, type EvaluateOptions } from './evaluate-model.ts';
export { chooseExecutionProvider, systemProbes, type DeviceProbes, type DeviceRequest, type ProbeResult } from './device.ts';
