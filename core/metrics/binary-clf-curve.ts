/**
 * True / false positive counts at each distinct score threshold, as scikit-learn's
 * `_binary_clf_curve`: thresholds in decreasing order, tied scores merged into one threshold.
 * ROC AUC, average precision and both curves are computed from this.
 *
 * Instead of an argsort (a comparator call per pair, objects per row), the positive and the
 * negative scores are copied into two typed arrays and sorted natively, then walked from the top
 * together: O(n log n) with no per-row allocation, fast enough for millions of rows.
 */

export interface ThresholdCounts {
  /** Positives with score >= thresholds[i]; increasing. */
  tps: Float64Array;
  /** Negatives with score >= thresholds[i]; increasing. */
  fps: Float64Array;
  /** Distinct scores, decreasing. */
  thresholds: Float64Array;
  positives: number;
  negatives: number;
}

/**
 * Row i has class `labels[i]` and score `scores[start + i * stride]` for `positiveClass` (so a
 * column of a row-major probability matrix is read in place). Scores must be finite: scikit-learn
 * rejects NaN and infinity, and callers check first.
 */
export function thresholdCounts(
  labels: Int32Array,
  positiveClass: number,
  scores: ArrayLike<number>,
  start = 0,
  stride = 1,
): ThresholdCounts {
  const rows = labels.length;
  let positives = 0;
  for (let i = 0; i < rows; i++) if (labels[i] === positiveClass) positives++;
  const negatives = rows - positives;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < rows; i++) {
    const score = scores[start + i * stride];
    if (labels[i] === positiveClass) pos[p++] = score;
    else neg[q++] = score;
  }
  pos.sort();
  neg.sort();

  const tps = new Float64Array(rows);
  const fps = new Float64Array(rows);
  const thresholds = new Float64Array(rows);
  let distinct = 0;
  let p = positives - 1;
  let q = negatives - 1;
  let tp = 0;
  let fp = 0;
  while (p >= 0 || q >= 0) {
    // The highest remaining score; -0 and +0 compare equal, as in numpy's np.diff test.
    const threshold = p < 0 ? neg[q] : q < 0 ? pos[p] : Math.max(pos[p], neg[q]);
    while (p >= 0 && pos[p] === threshold) {
      tp++;
      p--;
    }
    while (q >= 0 && neg[q] === threshold) {
      fp++;
      q--;
    }
    tps[distinct] = tp;
    fps[distinct] = fp;
    thresholds[distinct] = threshold;
    distinct++;
  }
  return {
    tps: tps.subarray(0, distinct),
    fps: fps.subarray(0, distinct),
    thresholds: thresholds.subarray(0, distinct),
    positives,
    negatives,
  };
}

/** Rows by decreasing score (`scores[start + row * stride]`), sorted once for many weighted walks. */
export function scoreOrder(scores: ArrayLike<number>, rows: number, start = 0, stride = 1): Int32Array {
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  return order.sort((a, b) => scores[start + b * stride] - scores[start + a * stride]);
}

/**
 * `thresholdCounts` of a resample given as a count per original row (`weights[row]` copies of
 * it), walking `order` (scoreOrder) instead of sorting the resample: the same distinct thresholds
 * and counts as sorting the drawn rows, in O(n). This is what keeps a bootstrap of ROC AUC and
 * average precision cheap.
 */
export function weightedThresholdCounts(
  order: Int32Array,
  weights: Int32Array,
  labels: Int32Array,
  positiveClass: number,
  scores: ArrayLike<number>,
  start = 0,
  stride = 1,
): ThresholdCounts {
  const rows = order.length;
  const tps = new Float64Array(rows);
  const fps = new Float64Array(rows);
  const thresholds = new Float64Array(rows);
  let distinct = 0;
  let tp = 0;
  let fp = 0;
  let i = 0;
  while (i < rows) {
    // One group of equal scores (-0 and +0 included), emitted when the resample holds any of it.
    const threshold = scores[start + order[i] * stride];
    let drawn = false;
    for (; i < rows && scores[start + order[i] * stride] === threshold; i++) {
      const row = order[i];
      const weight = weights[row];
      if (weight === 0) continue;
      drawn = true;
      if (labels[row] === positiveClass) tp += weight;
      else fp += weight;
    }
    if (!drawn) continue;
    tps[distinct] = tp;
    fps[distinct] = fp;
    thresholds[distinct] = threshold;
    distinct++;
  }
  return {
    tps: tps.subarray(0, distinct),
    fps: fps.subarray(0, distinct),
    thresholds: thresholds.subarray(0, distinct),
    positives: tp,
    negatives: fp,
  };
}
