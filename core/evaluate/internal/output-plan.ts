/**
 * Which model outputs hold what (DESIGN.md "Model conventions") and which task that implies.
 *
 * Task auto-detection, in order:
 * 1. a float output `[N, C]` with C >= 2 (or symbolic) holds class probabilities: binary when C
 *    (or the model's class labels) counts 2 classes, multiclass when more;
 * 2. a label output (int or string `[N]`) without probabilities: classification, by class count;
 * 3. a single float output `[N]` / `[N, 1]` is a binary probability when a Sigmoid writes it,
 *    otherwise a regression value. Any other model needs --task.
 */
import { UserError } from '../../errors.ts';
import type { Task } from '../../metrics/index.ts';
import { fixedDim, type ValueInfo } from './model-session.ts';
import { quoteList } from './input-mapping.ts';

export type OutputPlan =
  /** Class probabilities [N, C], with the predicted label output when the model has one. */
  | { kind: 'probabilities'; probabilities: string; label?: string; width?: number }
  /** Only predicted labels: metrics that need probabilities come out null. */
  | { kind: 'labels'; label: string }
  /** One probability of the positive class (classes[1]) per row. */
  | { kind: 'positive-probability'; output: string }
  | { kind: 'value'; output: string };

export interface PlannedOutputs {
  plan: OutputPlan;
  /** Undefined when only the first batch can tell (symbolic class count, no class labels). */
  task?: Task;
  /** Why this task, for the log. */
  reason: string;
}

const FLOAT_TYPES = new Set(['float32', 'float64']);
const LABEL_TYPES = new Set(['int64', 'int32', 'string']);

export function planOutputs(
  outputs: readonly ValueInfo[],
  model: { classLabels?: string[]; outputProducers: ReadonlyMap<string, string> },
  requested: 'auto' | Task,
  modelPath: string,
): PlannedOutputs {
  const nonTensor = outputs.find((output) => !output.isTensor);
  if (nonTensor) {
    const zipMap =
      model.outputProducers.get(nonTensor.name) === 'ZipMap'
        ? 'a ZipMap (a list of {class: probability} maps)'
        : 'a sequence or map, not a tensor';
    throw new UserError(
      `${modelPath} output "${nonTensor.name}" is ${zipMap}. Cairn reads class probabilities from a [N, classes] tensor: ` +
        `re-export the classifier with skl2onnx option zipmap=False, e.g. convert_sklearn(model, initial_types=..., options={id(model): {'zipmap': False}}) ` +
        `(or to_onnx(model, X, options={'zipmap': False})).`,
    );
  }
  const rank = (output: ValueInfo) => output.shape?.length ?? 0;
  const isFloat = (output: ValueInfo) => FLOAT_TYPES.has(output.type ?? '');
  const single = (output: ValueInfo) => rank(output) === 1 || (rank(output) === 2 && fixedDim(output, 1) === 1);
  const probabilityTensors = outputs.filter((o) => isFloat(o) && rank(o) === 2 && fixedDim(o, 1) !== 1);
  const labels = outputs.filter((o) => LABEL_TYPES.has(o.type ?? '') && single(o));
  const values = outputs.filter((o) => isFloat(o) && single(o));
  const names = quoteList(outputs.map((o) => o.name));

  const probabilities = pickOne(probabilityTensors, /prob/i, modelPath, 'probability');
  if (probabilities) {
    if (requested === 'regression')
      throw new UserError(
        (option) =>
          `${modelPath} is a classifier (outputs ${names}) but ${option('task')} regression was given; use ${option('task')} auto.`,
      );
    const width = fixedDim(probabilities, 1) ?? model.classLabels?.length;
    const plan: OutputPlan = {
      kind: 'probabilities',
      probabilities: probabilities.name,
      label: pickOne(labels, /label/i, modelPath, 'label')?.name,
      width,
    };
    const task =
      requested !== 'auto' ? requested : width === undefined ? undefined : width === 2 ? 'binary' : 'multiclass';
    if (task === 'binary' && width !== undefined && width !== 2) {
      throw new UserError(
        (option) =>
          `${modelPath} output "${probabilities.name}" has ${width} probability columns; ${option('task')} binary needs 2. Use ${option('task')} multiclass or auto.`,
      );
    }
    return { plan, task, reason: `output "${probabilities.name}" holds class probabilities [N, ${width ?? 'C'}]` };
  }
  const label = pickOne(labels, /label/i, modelPath, 'label');
  if (label && values.length === 0) {
    if (requested === 'regression')
      throw new UserError(
        (option) =>
          `${modelPath} outputs class labels ("${label.name}") only; ${option('task')} regression needs a numeric output.`,
      );
    const count = model.classLabels?.length;
    const task =
      requested !== 'auto' ? requested : count === undefined ? undefined : count === 2 ? 'binary' : 'multiclass';
    if (task === undefined)
      throw new UserError(
        (option) =>
          `${modelPath} outputs labels only and carries no class list; pass ${option('task')} binary or ${option('task')} multiclass.`,
      );
    return {
      plan: { kind: 'labels', label: label.name },
      task,
      reason: `output "${label.name}" holds predicted labels (no probabilities)`,
    };
  }
  if (values.length === 1 && outputs.length === 1) {
    const output = values[0];
    if (requested === 'multiclass')
      throw new UserError(
        (option) =>
          `${modelPath} has one value per row ("${output.name}"); ${option('task')} multiclass needs a [N, classes] probability output.`,
      );
    const sigmoid = model.outputProducers.get(output.name) === 'Sigmoid';
    const task: Task = requested !== 'auto' ? requested : sigmoid ? 'binary' : 'regression';
    return task === 'binary'
      ? {
          plan: { kind: 'positive-probability', output: output.name },
          task,
          reason: `output "${output.name}" is one probability per row${sigmoid ? ' (written by a Sigmoid)' : ''}`,
        }
      : { plan: { kind: 'value', output: output.name }, task, reason: `output "${output.name}" is one value per row` };
  }
  throw new UserError(
    `${modelPath} outputs ${names}, which Cairn cannot read: a classifier needs a float [N, classes] probability output ` +
      `(optionally with a label output), a regressor or binary scorer exactly one [N] or [N, 1] output.`,
  );
}

function pickOne(candidates: ValueInfo[], preferred: RegExp, modelPath: string, what: string): ValueInfo | undefined {
  if (candidates.length <= 1) return candidates[0];
  const named = candidates.filter((c) => preferred.test(c.name));
  if (named.length === 1) return named[0];
  throw new UserError(
    `${modelPath} has several possible ${what} outputs (${quoteList(candidates.map((c) => c.name))}); keep one in the exported model.`,
  );
}

/** The task once the first batch showed a symbolic class count. */
export function taskFromWidth(width: number): Task {
  return width === 2 ? 'binary' : 'multiclass';
}
