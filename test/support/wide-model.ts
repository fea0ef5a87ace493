import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededRandom } from './seeded-random.ts';

/** The parts of examples/churn/onnx-writer.mjs (plain JavaScript, no types) used here. */
interface OnnxWriter {
  DataType: { FLOAT: number };
  tensor(name: string, dataType: number, dims: number[], values: number[]): unknown;
  tensorValueInfo(name: string, elemType: number, shape: Array<number | string>): unknown;
  node(opType: string, inputs: string[], outputs: string[], options?: { attributes?: Record<string, number> }): unknown;
  graph(parts: {
    name: string;
    nodes: unknown[];
    initializers: unknown[];
    inputs: unknown[];
    outputs: unknown[];
  }): unknown;
  encodeModel(parts: { irVersion: number; opsetVersion: number; producerName: string; graph: unknown }): Buffer;
}

export interface WideModel {
  /** One float input `[N, width]`. */
  matrixModel: string;
  /** One `[N, 1]` input per feature, named after its column. */
  perColumnModel: string;
  /** The feature names in the models' input order. */
  features: string[];
  /** CSV whose columns are the features in REVERSE order, then `label`. */
  data: string;
}

/**
 * A logistic model over `width` features, written at test time (no large fixture in git). Weights
 * alternate +1/-1 by input position and the label is the sign of the score, so a run that feeds the
 * columns in the model's order scores accuracy 1; the data file holds them reversed, which (for an
 * even width) negates every weight: file order scores accuracy 0.
 */
export async function writeWideModel(dir: string, width: number, rows = 40): Promise<WideModel> {
  const writer = (await import(pathToFileURL(resolve('examples/churn/onnx-writer.mjs')).href)) as OnnxWriter;
  const { DataType, tensor, tensorValueInfo, node, graph, encodeModel } = writer;
  const features = Array.from({ length: width }, (_, i) => `feature_with_a_long_name_${String(i).padStart(5, '0')}`);
  const weights = features.map((_, i) => (i % 2 === 0 ? 1 : -1));

  const write = (file: string, inputs: unknown[], concat: boolean) => {
    const nodes = [
      ...(concat ? [node('Concat', features, ['X'], { attributes: { axis: 1 } })] : []),
      node('MatMul', ['X', 'W'], ['score']),
      node('Sigmoid', ['score'], ['probability']),
    ];
    const model = graph({
      name: 'wide',
      nodes,
      initializers: [tensor('W', DataType.FLOAT, [width, 1], weights)],
      inputs,
      outputs: [tensorValueInfo('probability', DataType.FLOAT, ['N', 1])],
    });
    writeFileSync(
      join(dir, file),
      encodeModel({ irVersion: 8, opsetVersion: 13, producerName: 'cairn-test', graph: model }),
    );
    return join(dir, file);
  };
  const matrixModel = write('wide.onnx', [tensorValueInfo('X', DataType.FLOAT, ['N', width])], false);
  const perColumnModel = write(
    'wide-per-column.onnx',
    features.map((name) => tensorValueInfo(name, DataType.FLOAT, ['N', 1])),
    true,
  );

  const random = seededRandom(width);
  const lines = [[...features].reverse().concat('label').join(',')];
  for (let r = 0; r < rows; r++) {
    const x = features.map(() => Math.round(random() * 100) / 100);
    // Odd rows are positive, even rows negative, with a score of at least 1 (float32 cannot flip it):
    // feature 0 has weight +1, feature 1 weight -1.
    const score = x.reduce((sum, value, i) => sum + weights[i] * value, 0);
    if (r % 2 === 1) x[0] += Math.ceil(Math.max(0, 1 - score));
    else x[1] += Math.ceil(Math.max(0, 1 + score));
    lines.push(
      [...x]
        .reverse()
        .concat(r % 2)
        .join(','),
    );
  }
  const data = join(dir, 'wide.csv');
  writeFileSync(data, `${lines.join('\n')}\n`);
  return { matrixModel, perColumnModel, features, data };
}
