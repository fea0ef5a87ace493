#!/usr/bin/env node
// Trains the churn classifier and writes model.onnx. Node only, no dependencies, deterministic.
//   node train.mjs [--data data/train.csv] [--out model.onnx] [--epochs 300] [--lr 0.5] [--l2 0.001] [--target churned]
// Defaults are relative to this folder. Change a flag in a PR and Cairn's comment shows what it did to the metrics.
//
// The graph follows Cairn's classifier convention: one float input `float_input` [N, F] (feature columns in
// file order), outputs `label` int64 [N] and `probabilities` float [N, 2] (column 1 = P(churned = 1)).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { predictProba, trainLogisticRegression } from './logistic-regression.mjs';
import { DataType, encodeModel, graph, node, tensor, tensorValueInfo } from './onnx-writer.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function fail(message) {
  console.error(`train.mjs: ${message}`);
  process.exit(2);
}

function number(flag, text, { min = -Infinity } = {}) {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) fail(`--${flag} must be a number >= ${min}, got "${text}"`);
  return value;
}

/** Reads a numeric CSV (no quoting needed for this data set): features in file order, then the target. */
function readTable(path, target) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail(`cannot read --data ${path}: ${error.message}`);
  }
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const header = lines[0].split(',');
  const targetIndex = header.indexOf(target);
  if (targetIndex < 0) fail(`${path} has no column "${target}" (columns: ${header.join(', ')}); pass --target`);
  const features = header.filter((_, j) => j !== targetIndex);
  const rows = [];
  const labels = [];
  for (let i = 1; i < lines.length; i += 1) {
    const cells = lines[i].split(',').map(Number);
    const bad = cells.findIndex((v) => !Number.isFinite(v));
    if (cells.length !== header.length || bad >= 0) {
      fail(`${path} line ${i + 1}: expected ${header.length} numbers, got "${lines[i]}"`);
    }
    labels.push(cells[targetIndex]);
    rows.push(cells.filter((_, j) => j !== targetIndex));
  }
  if (labels.some((y) => y !== 0 && y !== 1)) fail(`${path}: column "${target}" must hold 0 or 1`);
  return { features, rows, labels, sha256: createHash('sha256').update(text).digest('hex') };
}

/** The ONNX graph: standardise -> MatMul + Add -> Sigmoid -> [1 - p, p] -> ArgMax. Standard ai.onnx ops, opset 13. */
function toOnnx(model, { features, metadata }) {
  const width = features.length;
  const nodes = [
    node('Sub', ['float_input', 'feature_mean'], ['centered']),
    node('Div', ['centered', 'feature_std'], ['standardized']),
    node('MatMul', ['standardized', 'coefficients'], ['logit_no_bias']),
    node('Add', ['logit_no_bias', 'intercept'], ['logit']),
    node('Sigmoid', ['logit'], ['p_churn']),
    node('Sub', ['one', 'p_churn'], ['p_stay']),
    node('Concat', ['p_stay', 'p_churn'], ['probabilities'], { attributes: { axis: 1 } }),
    // Ties (p = 0.5) go to class 0, as scikit-learn's predict does (decision_function > 0 -> class 1).
    node('ArgMax', ['probabilities'], ['label'], { attributes: { axis: 1, keepdims: 0 } }),
  ];
  const initializers = [
    tensor('feature_mean', DataType.FLOAT, [width], [...model.mean]),
    tensor('feature_std', DataType.FLOAT, [width], [...model.std]),
    tensor('coefficients', DataType.FLOAT, [width, 1], [...model.weights]),
    tensor('intercept', DataType.FLOAT, [1], [model.bias]),
    tensor('one', DataType.FLOAT, [1], [1]),
  ];
  const g = graph({
    name: 'churn_logistic_regression',
    nodes,
    initializers,
    inputs: [
      tensorValueInfo('float_input', DataType.FLOAT, ['N', width], `features in this order: ${features.join(', ')}`),
    ],
    outputs: [
      tensorValueInfo('label', DataType.INT64, ['N'], 'predicted class: 1 = churned'),
      tensorValueInfo('probabilities', DataType.FLOAT, ['N', 2], 'P(class 0), P(class 1)'),
    ],
  });
  return encodeModel({
    irVersion: 7, // the IR version that goes with opset 13; every onnxruntime since 1.6 loads it
    opsetVersion: 13,
    producerName: 'cairn-examples-churn',
    producerVersion: '1.0.0',
    docString: 'Customer churn classifier: logistic regression on standardised features.',
    graph: g,
    metadata,
  });
}

const { values: flags } = parseArgs({
  options: {
    data: { type: 'string', default: join(here, 'data', 'train.csv') },
    out: { type: 'string', default: join(here, 'model.onnx') },
    target: { type: 'string', default: 'churned' },
    epochs: { type: 'string', default: '300' },
    lr: { type: 'string', default: '0.5' },
    l2: { type: 'string', default: '0.001' },
    quiet: { type: 'boolean', default: false },
  },
});
const epochs = Math.round(number('epochs', flags.epochs, { min: 1 }));
const lr = number('lr', flags.lr, { min: 0 });
const l2 = number('l2', flags.l2, { min: 0 });
const log = flags.quiet ? () => {} : (message) => console.log(message);

const table = readTable(resolve(flags.data), flags.target);
let finalLoss = NaN;
const model = trainLogisticRegression(table.rows, table.labels, {
  epochs,
  lr,
  l2,
  onEpoch: (epoch, loss) => {
    finalLoss = loss;
    if (epoch === 1 || epoch % 100 === 0 || epoch === epochs) log(`epoch ${epoch}: train log loss ${loss.toFixed(4)}`);
  },
});
const trainAccuracy =
  predictProba(model, table.rows).filter((p, i) => (p > 0.5 ? 1 : 0) === table.labels[i]).length / table.rows.length;

const bytes = toOnnx(model, {
  features: table.features,
  // Kept in the model file so a model card can say how the model was made.
  metadata: {
    features: table.features.join(','),
    target: flags.target,
    classes: '0,1',
    algorithm: 'logistic regression (full-batch gradient descent, standardised features)',
    epochs,
    lr,
    l2,
    train_rows: table.rows.length,
    train_data_sha256: table.sha256,
    train_log_loss: finalLoss.toFixed(6),
  },
});
const out = resolve(flags.out);
writeFileSync(out, bytes);
log(`train accuracy ${trainAccuracy.toFixed(4)}; wrote ${out} (${bytes.length} bytes)`);
