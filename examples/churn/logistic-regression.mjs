// Logistic regression by full-batch gradient descent on standardised features.
// No randomness anywhere (zero init, fixed row order), so the same data and flags give the same
// model bytes on every machine: a PR's metric deltas come from its change, not from luck.

/** Column means and population standard deviations; a constant column gets std 1 (it carries no signal). */
export function fitStandardiser(rows, width) {
  const mean = new Float64Array(width);
  const std = new Float64Array(width);
  for (const row of rows) for (let j = 0; j < width; j += 1) mean[j] += row[j];
  for (let j = 0; j < width; j += 1) mean[j] /= rows.length;
  for (const row of rows) for (let j = 0; j < width; j += 1) std[j] += (row[j] - mean[j]) ** 2;
  for (let j = 0; j < width; j += 1) {
    std[j] = Math.sqrt(std[j] / rows.length);
    if (!(std[j] > 1e-12)) std[j] = 1;
  }
  return { mean, std };
}

const sigmoid = (z) => 1 / (1 + Math.exp(-z));

/**
 * Minimises mean log loss + (l2 / 2) * ||w||^2 (the bias is not penalised, as in scikit-learn).
 * Returns weights in the standardised space plus the training log loss per logged epoch.
 */
export function trainLogisticRegression(rows, labels, { epochs, lr, l2, onEpoch }) {
  const width = rows[0].length;
  const { mean, std } = fitStandardiser(rows, width);
  // Standardise once into one flat buffer: the inner loop then touches contiguous memory only.
  const n = rows.length;
  const x = new Float64Array(n * width);
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j += 1) x[i * width + j] = (row[j] - mean[j]) / std[j];
  });

  const weights = new Float64Array(width);
  let bias = 0;
  const grad = new Float64Array(width);
  for (let epoch = 1; epoch <= epochs; epoch += 1) {
    grad.fill(0);
    let gradBias = 0;
    let loss = 0;
    for (let i = 0; i < n; i += 1) {
      let z = bias;
      for (let j = 0; j < width; j += 1) z += weights[j] * x[i * width + j];
      const p = sigmoid(z);
      const error = p - labels[i];
      for (let j = 0; j < width; j += 1) grad[j] += error * x[i * width + j];
      gradBias += error;
      // log(1 + e^-|z|) form: no overflow for large |z|.
      loss += Math.max(z, 0) - z * labels[i] + Math.log1p(Math.exp(-Math.abs(z)));
    }
    for (let j = 0; j < width; j += 1) weights[j] -= lr * (grad[j] / n + l2 * weights[j]);
    bias -= lr * (gradBias / n);
    onEpoch?.(epoch, loss / n);
  }
  return { mean, std, weights, bias };
}

/** P(class 1) for raw (unstandardised) rows: the same arithmetic the ONNX graph performs. */
export function predictProba(model, rows) {
  return rows.map((row) => {
    let z = model.bias;
    for (let j = 0; j < row.length; j += 1) z += model.weights[j] * ((row[j] - model.mean[j]) / model.std[j]);
    return sigmoid(z);
  });
}
