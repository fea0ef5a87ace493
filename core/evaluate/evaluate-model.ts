/**
 * `cairn evaluate`: streams a table through an ONNX model in batches and scores the predictions
 * with scikit-learn's metrics. Memory stays bounded by the batch size (plus what the metrics keep
 * per row for ranking metrics).
 */
import { basename, extname } from 'node:path';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { inspectTable, readTable, sha256File, type TableSchema } from '../data/index.ts';
import {
  BOOTSTRAP_DEFAULTS,
  type BootstrapSettings,
  type Decision,
  METRICS_SCHEMA,
  MetricsAccumulator,
  type MetricsReport,
  scoreAccumulator,
  type Task,
  type TensorInfo,
} from '../metrics/index.ts';
import type { DeviceProbes, DeviceRequest } from './device.ts';
import { resolveClasses, targetKind, type TargetEncoder } from './internal/class-labels.ts';
import { buildFeeds } from './internal/input-feeds.ts';
import { columnsToRead, planInputs, quoteList } from './internal/input-mapping.ts';
import { summarizeLatency } from './internal/latency.ts';
import { openModel, toTensorInfo, type SessionFactory } from './internal/model-session.ts';
import { planOutputs, taskFromWidth } from './internal/output-plan.ts';
import { outputWidth, readPredictions } from './internal/read-predictions.ts';
import { checkThreshold, decisionOf, startScoring } from './internal/start-scoring.ts';

export interface EvaluateOptions {
  modelPath: string;
  dataPath: string;
  target: string;
  features?: string[];
  /** How messages name where `features` came from (default `--features`). */
  featuresFrom?: string;
  task: 'auto' | Task;
  device: DeviceRequest;
  batchSize: number;
  /** Model name in the report; defaults to the model file's stem. */
  name?: string;
  logger: Logger;
  /**
   * A binary model's decision threshold (`models.<m>.threshold`): the positive class when its
   * probability is >= value. `key` names the setting in errors.
   */
  threshold?: { value: number; key: string };
  /** The seeded row bootstrap behind `intervals` (core/metrics/bootstrap.ts); default 200 resamples, seed 0, 95%. */
  bootstrap?: Partial<BootstrapSettings>;
  /**
   * Receives the scored rows once every batch is in, before the report is built: a champion vs
   * challenger comparison resamples both models' rows with the same draws (core/evaluate/challenge.ts).
   */
  onScored?: (accumulator: MetricsAccumulator) => void;
  /** Tests inject these; by default the real machine is probed and onnxruntime creates the session. */
  probes?: DeviceProbes;
  createSession?: SessionFactory;
}

export async function evaluateModel(options: EvaluateOptions): Promise<MetricsReport> {
  const { modelPath, dataPath, logger, batchSize } = options;
  const predicted = await predictRows(options, await inspectData(options));
  const { accumulator, rows, model } = predicted;
  const bootstrap = { ...BOOTSTRAP_DEFAULTS, ...options.bootstrap };
  const { bootstrapMs, ...scored } = scoreAccumulator(accumulator, bootstrap);
  if (bootstrap.resamples > 0)
    logger.info(`bootstrap: ${bootstrap.resamples} resamples of ${rows} rows in ${(bootstrapMs / 1000).toFixed(1)} s`);
  return {
    schema: METRICS_SCHEMA,
    name: options.name ?? basename(modelPath, extname(modelPath)),
    task: predicted.task,
    rows,
    ...scored,
    latency: summarizeLatency(predicted.batchMs, rows, batchSize),
    runtime: model.runtime,
    model: { path: modelPath, sha256: model.sha256, inputs: model.inputs, outputs: model.outputs },
    // Hashed after the loop: hashing alongside would interleave with the timed runs.
    data: {
      path: dataPath,
      sha256: await sha256File(dataPath),
      rows,
      target: options.target,
      features: predicted.features,
    },
    ...(predicted.decision && { decision: predicted.decision }),
    created_at: new Date().toISOString(),
  };
}

/** The data file's columns, checked (with the batch size) before a model is loaded. */
export async function inspectData(
  options: Pick<EvaluateOptions, 'dataPath' | 'target' | 'batchSize'>,
): Promise<TableSchema> {
  const { dataPath, target, batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new UserError(`batch size must be a whole number of rows >= 1, got ${batchSize}.`);
  const schema = await inspectTable(dataPath);
  if (!schema.columns.includes(target)) {
    throw new UserError(
      (option) =>
        `target column "${target}" is not in ${dataPath}. Available columns: ${quoteList(schema.columns)}. Pass ${option('target')} one of them.`,
    );
  }
  return schema;
}

export interface PredictedRows {
  accumulator: MetricsAccumulator;
  task: Task;
  rows: number;
  /** Milliseconds of each timed batch. */
  batchMs: number[];
  /** The columns fed to the model, in input order. */
  features: string[];
  decision?: Decision;
  model: {
    sha256: string;
    inputs: TensorInfo[];
    outputs: TensorInfo[];
    runtime: { onnxruntime: string; execution_provider: string };
  };
}

/**
 * Runs the model over the data's rows (only `rows.start` up to `rows.end` when given: a shard) and
 * collects true values and predictions in an accumulator.
 */
export async function predictRows(
  options: EvaluateOptions,
  schema: TableSchema,
  range?: { start: number; end: number },
): Promise<PredictedRows> {
  const { modelPath, dataPath, target, logger, batchSize } = options;
  const model = await openModel({
    modelPath,
    device: options.device,
    logger,
    probes: options.probes,
    createSession: options.createSession,
  });
  try {
    const inputPlan = planInputs(model.inputs, schema, {
      modelPath,
      dataPath,
      target,
      features: options.features,
      featuresFrom: options.featuresFrom,
    });
    const planned = planOutputs(model.outputs, model.graph, options.task, modelPath);
    const inputColumns = inputPlan.kind === 'matrix' ? inputPlan.features : inputPlan.inputs.map((input) => input.name);
    logger.info(`model inputs <- ${dataPath} columns ${quoteList(inputColumns)}; target "${target}"`);
    const width =
      planned.plan.kind === 'probabilities'
        ? planned.plan.width
        : planned.plan.kind === 'positive-probability'
          ? 2
          : undefined;
    let classList =
      planned.task === 'regression' ? undefined : resolveClasses(model.graph.classLabels, width, modelPath);
    if (planned.plan.kind === 'labels' && !classList) {
      throw new UserError(
        `${modelPath} outputs labels only and carries no class list; export it with its probability output.`,
      );
    }

    // The target's read mode must be known before the first batch; a class list that only the first
    // batch reveals is "0".."C-1", numeric, like a known one.
    const kind = planned.task === 'regression' ? 'numeric' : targetKind(schema, target, classList?.classes ?? ['0']);
    const columns = columnsToRead(inputPlan);
    const read = {
      batchSize,
      rows: range,
      numeric: kind === 'numeric' ? [...columns.numeric, target] : columns.numeric,
      text: kind === 'text' ? [...columns.text, target] : columns.text,
    };

    let task = planned.task;
    let encoder: TargetEncoder | undefined;
    let accumulator: MetricsAccumulator | undefined;
    const batchMs: number[] = [];
    let rows = 0;
    for await (const batch of readTable(dataPath, schema, read)) {
      if (batch.length === 0) continue;
      const feeds = buildFeeds(inputPlan, batch, dataPath);
      // The first run pays for lazy initialisation (allocations, kernel selection); keep it out of the latency figures.
      if (batchMs.length === 0) await model.session.run(feeds);
      const started = performance.now();
      const results = await model.session.run(feeds);
      batchMs.push(performance.now() - started);

      if (!accumulator) {
        if (planned.plan.kind === 'probabilities' && (task === undefined || classList === undefined)) {
          const seen = outputWidth(results[planned.plan.probabilities]);
          task ??= taskFromWidth(seen);
          classList ??= resolveClasses(model.graph.classLabels, seen, modelPath);
        }
        ({ encoder, accumulator } = startScoring(task!, classList, target, dataPath, kind, logger, planned.reason));
        if (options.threshold) checkThreshold(options.threshold, task!, planned.plan, modelPath);
      }
      const predictions = readPredictions(
        planned.plan,
        results,
        batch,
        classList?.classes ?? [],
        modelPath,
        options.threshold?.value,
      );
      accumulator.add({ yTrue: encoder!.encode(batch), ...predictions });
      rows += batch.length;
    }
    if (!accumulator || rows === 0) throw new UserError(`${dataPath} has no data rows to evaluate.`);
    options.onScored?.(accumulator);
    return {
      accumulator,
      task: task!,
      rows,
      batchMs,
      features: inputColumns,
      ...(task !== 'regression' && { decision: decisionOf(planned.plan, options.threshold?.value) }),
      model: {
        sha256: model.sha256,
        inputs: model.inputs.map(toTensorInfo),
        outputs: model.outputs.map(toTensorInfo),
        runtime: { onnxruntime: model.onnxruntimeVersion, execution_provider: model.providerName },
      },
    };
  } finally {
    await model.session.release();
  }
}
