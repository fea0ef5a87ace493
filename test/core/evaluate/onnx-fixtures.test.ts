/**
 * The fixture graphs were built by hand (no skl2onnx here), so first prove each one computes what
 * its sklearn model computes: onnxruntime's outputs against sklearn's predict / predict_proba on
 * every row. The metric comparisons in evaluate-model.test.ts rest on this.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { expected, fixture } from './fixture-paths.ts';

/** The fixture CSVs are plain (no quotes), so a split is enough here. */
function readCsv(name: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = readFileSync(fixture(name), 'utf8').trimEnd().split('\n');
  return { header: head.split(','), rows: lines.map((line) => line.split(',')) };
}

async function run(model: string, feeds: Record<string, Tensor>) {
  const session = await InferenceSession.create(fixture(model));
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function matrixFeed(name: string) {
  const want = expected(name);
  const { header, rows } = readCsv(want.data);
  const columns = header.map((_, j) => j).filter((j) => header[j] !== want.target);
  const x = Float32Array.from(rows.flatMap((row) => columns.map((j) => Number(row[j]))));
  return { want, feeds: { float_input: new Tensor('float32', x, [rows.length, columns.length]) } };
}

function maxDifference(actual: ArrayLike<number>, wanted: number[]): number {
  assert.equal(actual.length, wanted.length);
  return wanted.reduce((worst, value, i) => Math.max(worst, Math.abs(actual[i] - value)), 0);
}

for (const name of ['binary', 'multiclass']) {
  test(`${name}.onnx reproduces sklearn's predict and predict_proba on every row`, async () => {
    const { want, feeds } = matrixFeed(name);
    const out = await run(`${name}.onnx`, feeds);
    assert.deepEqual(Array.from(out.label.data as ArrayLike<unknown>, String), want.sklearn_predicted);
    assert.ok(maxDifference(out.probabilities.data as Float32Array, want.sklearn_proba!.flat()) < 1e-6);
  });
}

test("binary_sigmoid.onnx's single output is sklearn's predict_proba[:, 1]", async () => {
  const { want, feeds } = matrixFeed('binary_sigmoid');
  const out = await run('binary_sigmoid.onnx', feeds);
  assert.deepEqual(out.probability.dims, [want.rows, 1]);
  assert.ok(
    maxDifference(
      out.probability.data as Float32Array,
      want.sklearn_proba!.map((row) => row[1]),
    ) < 1e-6,
  );
});

test("regression.onnx reproduces sklearn's predict", async () => {
  const { want, feeds } = matrixFeed('regression');
  const out = await run('regression.onnx', feeds);
  assert.deepEqual(out.variable.dims, [want.rows, 1]);
  assert.ok(maxDifference(out.variable.data as Float32Array, want.sklearn_predicted as number[]) < 1e-6);
});

test('per_column.onnx takes age (float), visits (int64) and income (float) by name', async () => {
  const want = expected('per_column');
  const { header, rows } = readCsv(want.data);
  const column = (name: string) => rows.map((row) => Number(row[header.indexOf(name)]));
  const out = await run('per_column.onnx', {
    age: new Tensor('float32', Float32Array.from(column('age')), [rows.length, 1]),
    visits: new Tensor('int64', BigInt64Array.from(column('visits'), BigInt), [rows.length, 1]),
    income: new Tensor('float32', Float32Array.from(column('income')), [rows.length, 1]),
  });
  assert.deepEqual(Array.from(out.label.data as BigInt64Array, String), want.sklearn_predicted);
  assert.ok(maxDifference(out.probabilities.data as Float32Array, want.sklearn_proba!.flat()) < 1e-6);
});
