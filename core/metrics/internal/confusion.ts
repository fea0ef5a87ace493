/**
 * Label-based classification metrics from one confusion matrix, as scikit-learn 1.2's
 * precision_recall_fscore_support, accuracy_score and balanced_accuracy_score.
 *
 * zero_division follows sklearn's default ('warn'): a ratio whose denominator is 0 is 0.0.
 * Macro averages run over the labels present in y_true or y_pred (sklearn's `unique_labels`), so
 * a class in neither is left out, while a class predicted but never true counts with recall 0.
 */
import type { ClassMetrics, ConfusionMatrix } from '../types.ts';
import { numpySum } from './numpy-sum.ts';

/** Row i = true class i, column j = predicted class j; counts as float64 to pass 2^31 rows. */
export function confusionCounts(yTrue: Int32Array, yPred: Int32Array, classes: number): Float64Array {
  const counts = new Float64Array(classes * classes);
  for (let i = 0; i < yTrue.length; i++) counts[yTrue[i] * classes + yPred[i]]++;
  return counts;
}

export function confusionMatrix(counts: Float64Array, labels: readonly string[]): ConfusionMatrix {
  const k = labels.length;
  const matrix = Array.from({ length: k }, (_, i) => Array.from(counts.subarray(i * k, (i + 1) * k)));
  return { labels: [...labels], matrix };
}

interface ClassScores {
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  support: Float64Array;
  /** True where the class occurs in y_true or y_pred. */
  present: boolean[];
}

function classScores(counts: Float64Array, k: number): ClassScores {
  const scores: ClassScores = {
    precision: new Float64Array(k),
    recall: new Float64Array(k),
    f1: new Float64Array(k),
    support: new Float64Array(k),
    present: [],
  };
  for (let c = 0; c < k; c++) {
    let trueSum = 0;
    let predSum = 0;
    for (let j = 0; j < k; j++) {
      trueSum += counts[c * k + j];
      predSum += counts[j * k + c];
    }
    const tp = counts[c * k + c];
    const precision = predSum === 0 ? 0 : tp / predSum;
    const recall = trueSum === 0 ? 0 : tp / trueSum;
    const denominator = precision + recall;
    scores.precision[c] = precision;
    scores.recall[c] = recall;
    // sklearn: (1 + beta^2) * precision * recall / denom, with denom 0 replaced by 1
    scores.f1[c] = (2 * precision * recall) / (denominator === 0 ? 1 : denominator);
    scores.support[c] = trueSum;
    scores.present.push(trueSum > 0 || predSum > 0);
  }
  return scores;
}

/** Per-class precision / recall / f1 / support for every class (labels=range(C)). */
export function perClassMetrics(counts: Float64Array, labels: readonly string[]): ClassMetrics[] {
  const s = classScores(counts, labels.length);
  return labels.map((label, c) => ({
    label,
    precision: s.precision[c],
    recall: s.recall[c],
    f1: s.f1[c],
    support: s.support[c],
  }));
}

function mean(values: Float64Array, keep: boolean[]): number {
  const kept = values.filter((_, i) => keep[i]);
  return numpySum(kept) / kept.length;
}

function accuracy(counts: Float64Array, k: number): number | null {
  let correct = 0;
  let total = 0;
  for (let i = 0; i < k * k; i++) total += counts[i];
  for (let c = 0; c < k; c++) correct += counts[c * k + c];
  return total === 0 ? null : correct / total;
}

/** accuracy, balanced_accuracy, precision, recall, f1 for positive class 1 (average='binary'). */
export function binaryLabelMetrics(counts: Float64Array): Record<string, number | null> {
  const s = classScores(counts, 2);
  const hasRows = s.present.some(Boolean);
  // balanced_accuracy: mean recall over the classes that occur in y_true (sklearn drops the NaN
  // recall of a class that is only predicted, with a warning).
  const inTrue = Array.from(s.support, (support) => support > 0);
  return {
    accuracy: accuracy(counts, 2),
    balanced_accuracy: hasRows ? mean(s.recall, inTrue) : null,
    precision: hasRows ? s.precision[1] : null,
    recall: hasRows ? s.recall[1] : null,
    f1: hasRows ? s.f1[1] : null,
  };
}

/** accuracy and the macro / weighted averages over the labels present. */
export function multiclassLabelMetrics(counts: Float64Array, k: number): Record<string, number | null> {
  const s = classScores(counts, k);
  if (!s.present.some(Boolean)) {
    return { accuracy: null, f1_macro: null, f1_weighted: null, precision_macro: null, recall_macro: null };
  }
  // np.average(f1, weights=true_sum): sum(f1 * w) / sum(w) over the labels present
  const present = (_: number, c: number) => s.present[c];
  const weighted = s.f1.map((f1, c) => f1 * s.support[c]).filter(present);
  return {
    accuracy: accuracy(counts, k),
    f1_macro: mean(s.f1, s.present),
    f1_weighted: numpySum(weighted) / numpySum(s.support.filter(present)),
    precision_macro: mean(s.precision, s.present),
    recall_macro: mean(s.recall, s.present),
  };
}
