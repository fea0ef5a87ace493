import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnBatch, TableSchema } from '../../../core/data/types.ts';
import { buildFeeds } from '../../../core/evaluate/internal/input-feeds.ts';
import { columnsToRead, planInputs } from '../../../core/evaluate/internal/input-mapping.ts';
import type { ValueInfo } from '../../../core/evaluate/internal/model-session.ts';
import { userError } from '../../support/assertions.ts';

const schema = (columns: string[]): TableSchema => ({
  format: 'csv',
  columns,
  kinds: Object.fromEntries(columns.map((c) => [c, c === 'plan' ? 'string' : 'number'])),
});
const churn = schema(['tenure', 'churned', 'charges', 'calls']);
const context = { modelPath: 'churn.onnx', dataPath: 'churn.csv', target: 'churned' };
const matrix = (features: number | string, type = 'float32'): ValueInfo => ({
  name: 'float_input',
  isTensor: true,
  type,
  shape: ['', features],
});

describe('planInputs: one [N, F] input', () => {
  test('takes every column but the target, in file order', () => {
    const plan = planInputs([matrix(3)], churn, context);
    assert.deepEqual(plan, {
      kind: 'matrix',
      input: 'float_input',
      dtype: 'float32',
      features: ['tenure', 'charges', 'calls'],
    });
    assert.deepEqual(columnsToRead(plan), { numeric: ['tenure', 'charges', 'calls'], text: [] });
  });

  test('--features picks columns and their order', () => {
    const plan = planInputs([matrix(2)], churn, { ...context, features: ['calls', 'tenure'] });
    assert.equal(plan.kind, 'matrix');
    assert.deepEqual(plan.kind === 'matrix' && plan.features, ['calls', 'tenure']);
  });

  test('a symbolic feature dimension accepts the columns given', () => {
    const plan = planInputs([matrix('features', 'float64')], churn, context);
    assert.deepEqual(plan.kind === 'matrix' && [plan.dtype, plan.features.length], ['float64', 3]);
  });

  test('a wide file is named by its first 20 columns and a count, not every column', () => {
    const wide = schema(['churned', ...Array.from({ length: 100_000 }, (_, i) => `c${i}`)]);
    let message = '';
    try {
      planInputs([matrix(8)], wide, context);
    } catch (error) {
      message = (error as Error).message;
    }
    assert.match(message, /but 100000 were given .*"c0", "c1", .*"c19" and 99980 more\. Pass --features/);
    assert.ok(message.length < 1_000, `${message.length} characters`);
  });

  test('wrong feature count names expected vs got and the columns used', () => {
    assert.throws(
      () => planInputs([matrix(6)], churn, context),
      userError(
        /churn\.onnx input "float_input" expects 6 features \(\[N, 6\]\), but 3 were given \(every column of churn\.csv except the target "churned"\): "tenure", "charges", "calls"\. Pass --features/,
      ),
    );
    assert.throws(
      () => planInputs([matrix(3)], churn, { ...context, features: ['tenure'] }),
      userError(/expects 3 features .* but 1 was given \(from --features\): "tenure"/),
    );
  });

  test('--features naming unknown columns lists the available ones', () => {
    assert.throws(
      () => planInputs([matrix(2)], churn, { ...context, features: ['tenure', 'age'] }),
      userError(
        /--features names "age", not columns of churn\.csv\. Available columns: "tenure", "churned", "charges", "calls"/,
      ),
    );
    assert.throws(
      () => planInputs([matrix(2)], churn, { ...context, features: ['tenure', 'churned'] }),
      userError(/includes the target column "churned"/),
    );
  });

  test('an input that is not a float matrix is explained', () => {
    assert.throws(
      () => planInputs([{ name: 'ids', isTensor: true, type: 'int64', shape: ['', 3] }], churn, context),
      userError(/input "ids" is int64 \[N, 3\]/),
    );
  });
});

describe('planInputs: one input per column', () => {
  const inputs: ValueInfo[] = [
    { name: 'charges', isTensor: true, type: 'float32', shape: ['', 1] },
    { name: 'calls', isTensor: true, type: 'int64', shape: ['', 1] },
    { name: 'plan', isTensor: true, type: 'string', shape: [''] },
  ];
  const data = schema(['plan', 'churned', 'calls', 'tenure', 'charges']);

  test('inputs are fed by name with their own dtype; other columns are ignored', () => {
    const plan = planInputs(inputs, data, context);
    assert.deepEqual(plan, {
      kind: 'by-name',
      inputs: [
        { name: 'charges', dtype: 'float32', dims: 2 },
        { name: 'calls', dtype: 'int64', dims: 2 },
        { name: 'plan', dtype: 'string', dims: 1 },
      ],
    });
    assert.deepEqual(columnsToRead(plan), { numeric: ['charges', 'calls'], text: ['plan'] });
  });

  test('an input without a matching column lists the available columns', () => {
    assert.throws(
      () => planInputs(inputs, schema(['churned', 'calls', 'charges']), context),
      userError(
        /takes one input per column, fed by name, but churn\.csv has no column named "plan"\. Available columns: "churned", "calls", "charges"/,
      ),
    );
  });
});

describe('buildFeeds', () => {
  const batch = (numeric: Record<string, number[]>, text: Record<string, string[]> = {}): ColumnBatch => ({
    firstRow: 101,
    length: Object.values(numeric)[0]?.length ?? Object.values(text)[0].length,
    numeric: new Map(Object.entries(numeric).map(([k, v]) => [k, Float64Array.from(v)])),
    text: new Map(Object.entries(text)),
  });

  test('a matrix input is row-major [N, F] in feature order', () => {
    const feeds = buildFeeds(
      { kind: 'matrix', input: 'x', dtype: 'float32', features: ['b', 'a'] },
      batch({ a: [1, 2], b: [10, 20] }),
      'd.csv',
    );
    assert.deepEqual(feeds.x.dims, [2, 2]);
    assert.equal(feeds.x.type, 'float32');
    assert.deepEqual([...(feeds.x.data as Float32Array)], [10, 1, 20, 2]);
  });

  test('per-column inputs get their dtype and shape', () => {
    const plan = {
      kind: 'by-name' as const,
      inputs: [
        { name: 'n', dtype: 'int64' as const, dims: 2 as const },
        { name: 's', dtype: 'string' as const, dims: 1 as const },
      ],
    };
    const feeds = buildFeeds(plan, batch({ n: [3, 4] }, { s: ['x', 'y'] }), 'd.csv');
    assert.deepEqual([feeds.n.type, feeds.n.dims], ['int64', [2, 1]]);
    assert.deepEqual([...(feeds.n.data as BigInt64Array)], [3n, 4n]);
    assert.deepEqual([feeds.s.type, feeds.s.dims, feeds.s.data], ['string', [2], ['x', 'y']]);
  });

  test('a fraction in an int64 column names the file, row and column', () => {
    const plan = { kind: 'by-name' as const, inputs: [{ name: 'visits', dtype: 'int64' as const, dims: 2 as const }] };
    assert.throws(
      () => buildFeeds(plan, batch({ visits: [3, 4.5] }), 'd.csv'),
      userError(/d\.csv row 102, column "visits": 4\.5 is not an integer/),
    );
  });
});
