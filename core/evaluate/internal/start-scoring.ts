/** How predictions start being scored: the accumulator for the task, the target's encoder, the decision rule. */
import { UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { type Decision, MetricsAccumulator, type Task } from '../../metrics/index.ts';
import { classificationTarget, regressionTarget, type ClassList } from './class-labels.ts';
import type { OutputPlan } from './output-plan.ts';

export function startScoring(
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
export function decisionOf(plan: OutputPlan, threshold: number | undefined): Decision {
  if (threshold !== undefined) return { rule: 'threshold', threshold };
  return plan.kind === 'labels' || (plan.kind === 'probabilities' && plan.label)
    ? { rule: 'label-output' }
    : { rule: 'argmax' };
}

export function checkThreshold(
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
