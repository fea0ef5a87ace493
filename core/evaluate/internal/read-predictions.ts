/** Turns one batch of model outputs into what the metrics accumulator takes: class indices or values, and probabilities. */
import type { Tensor } from 'onnxruntime-node';
import { UserError } from '../../errors.ts';
import type { OutputPlan } from './output-plan.ts';

export interface BatchPredictions {
  yPred: Int32Array | Float64Array;
  /** N x C row-major, in the model's own dtype (log_loss clipping depends on it). */
  proba?: Float32Array | Float64Array;
}

export type Results = Record<string, Tensor>;

/**
 * @param classes the class list numbering probability columns; unused for regression.
 * @param batch the batch's size and its first data row (1-based, header not counted), for messages.
 */
export function readPredictions(
  plan: OutputPlan,
  results: Results,
  batch: { length: number; firstRow: number },
  classes: readonly string[],
  modelPath: string,
  /** Binary tasks: classes[1] when P(classes[1]) >= threshold, instead of the model's own decision. */
  threshold?: number,
): BatchPredictions {
  const rows = batch.length;
  switch (plan.kind) {
    case 'value':
      return { yPred: Float64Array.from(floatData(results[plan.output], rows, 1, modelPath)) };
    case 'positive-probability': {
      const read = positiveProbability(results[plan.output], batch, modelPath);
      return threshold === undefined ? read : { ...read, yPred: atThreshold(read.proba!, rows, threshold) };
    }
    case 'labels':
      return { yPred: labelIndices(results[plan.label], rows, classes, modelPath) };
    case 'probabilities': {
      const proba = floatData(results[plan.probabilities], rows, classes.length, modelPath);
      if (threshold !== undefined) return { yPred: atThreshold(proba, rows, threshold), proba };
      const yPred = plan.label
        ? labelIndices(results[plan.label], rows, classes, modelPath)
        : argmaxRows(proba, rows, classes.length);
      return { yPred, proba };
    }
  }
}

/** scikit-learn's FixedThresholdClassifier: the positive class when its probability is >= threshold. */
function atThreshold(proba: Float32Array | Float64Array, rows: number, threshold: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = proba[2 * i + 1] >= threshold ? 1 : 0;
  return out;
}

/** The width of a probability output as the first batch shows it. */
export function outputWidth(tensor: Tensor): number {
  return tensor.dims.length === 2 ? tensor.dims[1] : 1;
}

function floatData(tensor: Tensor, rows: number, width: number, modelPath: string): Float32Array | Float64Array {
  const size = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.dims[0] !== rows || size !== rows * width) {
    throw new UserError(
      `${modelPath} output has shape [${tensor.dims.join(', ')}] for a batch of ${rows} rows; expected [${rows}${width === 1 ? '' : `, ${width}`}].`,
    );
  }
  if (tensor.type !== 'float32' && tensor.type !== 'float64')
    throw new UserError(`${modelPath} output is ${tensor.type}; Cairn reads float or double outputs.`);
  return tensor.data as Float32Array | Float64Array;
}

/** sklearn's predict for a logistic model: class 1 when p > 0.5 (decision_function > 0). */
function positiveProbability(
  tensor: Tensor,
  { length: rows, firstRow }: { length: number; firstRow: number },
  modelPath: string,
): BatchPredictions {
  const p = floatData(tensor, rows, 1, modelPath);
  const proba = p instanceof Float32Array ? new Float32Array(rows * 2) : new Float64Array(rows * 2);
  const yPred = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const value = p[i];
    if (!(value >= 0 && value <= 1)) {
      throw new UserError(
        (option) =>
          `${modelPath} output is not a probability: ${value} for data row ${firstRow + i}. Export the model with its sigmoid, or pass ${option('task')} regression if it predicts values.`,
      );
    }
    proba[2 * i] = 1 - value;
    proba[2 * i + 1] = value;
    yPred[i] = value > 0.5 ? 1 : 0;
  }
  return { yPred, proba };
}

function labelIndices(tensor: Tensor, rows: number, classes: readonly string[], modelPath: string): Int32Array {
  const index = new Map(classes.map((label, i) => [label, i]));
  const data = tensor.data as ArrayLike<string | number | bigint>;
  if (data.length !== rows)
    throw new UserError(`${modelPath} label output has ${data.length} values for a batch of ${rows} rows.`);
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const found = index.get(String(data[i]));
    if (found === undefined)
      throw new UserError(
        `${modelPath} predicted label "${String(data[i])}", which is not among its classes (${classes.join(', ')}).`,
      );
    out[i] = found;
  }
  return out;
}

/** numpy's argmax: the first column holding the row's maximum. */
function argmaxRows(proba: Float32Array | Float64Array, rows: number, width: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let j = 1; j < width; j++) if (proba[i * width + j] > proba[i * width + best]) best = j;
    out[i] = best;
  }
  return out;
}
