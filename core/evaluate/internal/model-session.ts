/**
 * Opens an ONNX model: reads and hashes the file, summarises its graph, picks the execution
 * provider and creates the onnxruntime session.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InferenceSession, env } from 'onnxruntime-node';
import { UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { TensorInfo } from '../../metrics/index.ts';
import {
  chooseExecutionProvider,
  systemProbes,
  type DeviceProbes,
  type DeviceRequest,
  type ExecutionProvider,
} from '../device.ts';
import { summarizeModelGraph, type ModelGraphSummary } from './model-file.ts';

/** A model input or output as onnxruntime describes it (types as onnxruntime names them: `float32`, `int64`...). */
export interface ValueInfo {
  name: string;
  isTensor: boolean;
  type?: string;
  /** Numbers for fixed dimensions, names (possibly '') for symbolic ones such as the batch. */
  shape?: ReadonlyArray<number | string>;
}

export interface OpenedModel {
  session: InferenceSession;
  provider: ExecutionProvider;
  /** onnxruntime's name for the provider, as its Python API reports it. */
  providerName: 'CPUExecutionProvider' | 'CUDAExecutionProvider';
  onnxruntimeVersion: string;
  sha256: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  graph: ModelGraphSummary;
}

export type SessionFactory = (modelPath: string, providers: ExecutionProvider[]) => Promise<InferenceSession>;

const createOrtSession: SessionFactory = (modelPath, providers) =>
  // logSeverityLevel 3: onnxruntime's own warnings go to stderr, not through our Logger.
  InferenceSession.create(modelPath, { executionProviders: providers, logSeverityLevel: 3 });

export interface OpenModelOptions {
  modelPath: string;
  device: DeviceRequest;
  logger: Logger;
  probes?: DeviceProbes;
  createSession?: SessionFactory;
}

export async function openModel(options: OpenModelOptions): Promise<OpenedModel> {
  const { modelPath, logger } = options;
  const bytes = await readModelFile(modelPath);
  const graph = summarizeModelGraph(bytes, modelPath);
  const choice = await chooseExecutionProvider(options.device, options.probes ?? systemProbes, logger);
  const create = options.createSession ?? createOrtSession;

  let provider = choice.provider;
  let session: InferenceSession;
  try {
    session = await create(modelPath, [provider]);
  } catch (error) {
    if (provider !== 'cuda') throw modelLoadError(modelPath, error);
    // The GPU and provider library are there but CUDA/cuDNN failed to start (driver or library mismatch).
    const why = (error as Error).message;
    if (options.device === 'cuda') {
      throw new UserError(
        (option) =>
          `${option('device')} cuda: onnxruntime could not start its CUDA execution provider: ${why}. Check the CUDA 12 / cuDNN 9 installation, or use ${option('device')} cpu.`,
        { cause: error },
      );
    }
    logger.warn(`execution provider: CUDA failed to start (${why}); using the CPU`);
    provider = 'cpu';
    session = await create(modelPath, ['cpu']).catch((cpuError: unknown) => {
      throw modelLoadError(modelPath, cpuError);
    });
  }

  return {
    session,
    provider,
    providerName: provider === 'cuda' ? 'CUDAExecutionProvider' : 'CPUExecutionProvider',
    onnxruntimeVersion: env.versions.node ?? env.versions.common,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    inputs: session.inputMetadata.map(toValueInfo),
    outputs: session.outputMetadata.map(toValueInfo),
    graph,
  };
}

async function readModelFile(modelPath: string): Promise<Uint8Array> {
  try {
    return await readFile(modelPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UserError(
        (option) => `model file not found: ${modelPath}. Pass ${option('model')} the path of an .onnx file.`,
        { cause: error },
      );
    if (code === 'EISDIR')
      throw new UserError(
        (option) => `${option('model')} ${modelPath} is a directory; pass the .onnx file inside it.`,
        { cause: error },
      );
    throw new UserError(`cannot read model file ${modelPath}: ${(error as Error).message}`, { cause: error });
  }
}

function modelLoadError(modelPath: string, error: unknown): UserError {
  return new UserError(`onnxruntime cannot load ${modelPath}: ${(error as Error).message}`, { cause: error });
}

function toValueInfo(meta: InferenceSession.ValueMetadata): ValueInfo {
  return meta.isTensor
    ? { name: meta.name, isTensor: true, type: meta.type, shape: meta.shape }
    : { name: meta.name, isTensor: false };
}

/** The metrics.json form: symbolic dimensions keep their name, unnamed ones are null. */
export function toTensorInfo(value: ValueInfo): TensorInfo {
  if (!value.isTensor) return { name: value.name, type: 'non-tensor (sequence or map)', shape: [] };
  return {
    name: value.name,
    type: value.type ?? 'unknown',
    shape: (value.shape ?? []).map((dim) => (dim === '' ? null : dim)),
  };
}

/** Fixed size of a dimension, or undefined when it is symbolic. */
export function fixedDim(value: ValueInfo, axis: number): number | undefined {
  const dim = value.shape?.[axis];
  return typeof dim === 'number' ? dim : undefined;
}
