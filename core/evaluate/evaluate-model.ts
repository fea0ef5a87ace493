/**
 * `cairn evaluate`: streams a table through an ONNX model in batches and scores the predictions
 * with scikit-learn's metrics. Memory stays bounded by the batch size (plus what the metrics keep
 * per row for ranking metrics).
 */
import { basename, extname } from 'node:path';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { inspectTable, readTable, sha256File } from '../data/index.ts';
import {
  BOOTSTRAP_DEFAULTS,
  bootstrapIntervals,
  type BootstrapSettings,
  classF1Key,
  type Decision,
  METRICS_SCHEMA,
  MetricsAccumulator,
  type MetricsReport,
  type Task,
} from '../metrics/index.ts';
import type { DeviceProbes, DeviceRequest } from './device.ts';
import {
  classificationTarget,
  regressionTarget,
  resolveClasses,
  targetKind,
  type ClassList,
  type TargetEncoder,
} from './internal/class-labels.ts';
import { buildFeeds } from './internal/input-feeds.ts';
import { columnsToRead, planInputs, quoteList } from './internal/input-mapping.ts';
import { summarizeLatency } from './internal/latency.ts';
import { openModel, toTensorInfo, type SessionFactory } from './internal/model-session.ts';
import { planOutputs, taskFromWidth, type OutputPlan } from './internal/output-plan.ts';
import { outputWidth, readPredictions } from './internal/read-predictions.ts';

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
  const { modelPath, dataPath, target, logger, batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new UserError(`batch size must be a whole number of rows >= 1, got ${batchSize}.`);

  const schema = await inspectTable(dataPath);
  if (!schema.columns.includes(target)) {
    throw new UserError(
      (option) =>
        `target column "${target}" is not in ${dataPath}. Available columns: ${quoteList(schema.columns)}. Pass ${option('target')} one of them.`,
    );
  }
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

    const result = accumulator.result();
    const bootstrap = { ...BOOTSTRAP_DEFAULTS, ...options.bootstrap };
    const started = performance.now();
    const drawn = bootstrapIntervals(rows, accumulator.resampleScorer(), bootstrap);
    const perClass = result.per_class?.map((item, i) => {
      const f1 = drawn[classF1Key(i)];
      return f1 ? { ...item, f1_interval: f1 } : item;
    });
    const intervals = Object.fromEntries(
      Object.keys(result.metrics)
        .filter((name) => drawn[name])
        .map((name) => [name, drawn[name]]),
    );
    if (bootstrap.resamples > 0)
      logger.info(
        `bootstrap: ${bootstrap.resamples} resamples of ${rows} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    return {
      schema: METRICS_SCHEMA,
      name: options.name ?? basename(modelPath, extname(modelPath)),
      task: task!,
      rows,
      metrics: result.metrics,
      ...(bootstrap.resamples > 0 && { intervals, bootstrap }),
      ...(perClass && { per_class: perClass }),
      ...(result.confusion_matrix && { confusion_matrix: result.confusion_matrix }),
      ...(result.curves && { curves: result.curves }),
      latency: summarizeLatency(batchMs, rows, batchSize),
      runtime: { onnxruntime: model.onnxruntimeVersion, execution_provider: model.providerName },
      model: {
        path: modelPath,
        sha256: model.sha256,
        inputs: model.inputs.map(toTensorInfo),
        outputs: model.outputs.map(toTensorInfo),
      },
      // Hashed after the loop: hashing alongside would interleave with the timed runs.
      data: { path: dataPath, sha256: await sha256File(dataPath), rows, target, features: inputColumns },
      ...(task !== 'regression' && { decision: decisionOf(planned.plan, options.threshold?.value) }),
      created_at: new Date().toISOString(),
    };
  } finally {
    await model.session.release();
  }
}

function startScoring(
  task: Task,
  classList: ClassList | undefined,
  target: string,
  dataPath: string,
  kind: 'numeric' | 'text',
  logger: Logger,
  reason: string,
) {
  logger.info(`task: ${task} (${reason})`);
  if (task === 'regression')
    return { encoder: regressionTarget(target, dataPath), accumulator: new MetricsAccumulator('regression') };
  // Classification always has a list here: from the model, or from the output width.
  const list = classList!;
  if (task === 'binary' && list.classes.length !== 2) {
    throw new UserError(
      (option) =>
        `${option('task')} binary needs a model with 2 classes; this one has ${list.classes.length} (${list.classes.join(', ')}). Use ${option('task')} multiclass or auto.`,
    );
  }
  logger.info(
    `classes (${list.source === 'model' ? "from the model's class labels" : 'probability column index'}): ${list.classes.join(', ')}`,
  );
  return {
    encoder: classificationTarget(kind, target, list, dataPath),
    accumulator: new MetricsAccumulator(task, list.classes),
  };
}

/** How a class was chosen for each row: the configured threshold, the model's label output, or argmax. */
function decisionOf(plan: OutputPlan, threshold: number | undefined): Decision {
  if (threshold !== undefined) return { rule: 'threshold', threshold };
  return plan.kind === 'labels' || (plan.kind === 'probabilities' && plan.label)
    ? { rule: 'label-output' }
    : { rule: 'argmax' };
}

function checkThreshold(
  threshold: { value: number; key: string },
  task: Task,
  plan: OutputPlan,
  modelPath: string,
): void {
  if (task !== 'binary')
    throw new UserError(
      `${threshold.key} applies to binary models; ${modelPath} was evaluated as ${task}. Remove ${threshold.key}.`,
    );
  if (plan.kind === 'labels')
    throw new UserError(
      `${threshold.key} needs class probabilities, but ${modelPath} outputs labels only; export it with its probability output or remove ${threshold.key}.`,
    );
}
