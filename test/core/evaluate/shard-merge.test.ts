/**
 * Sharded evaluation's promise: `cairn evaluate --shard I/N` for every I, then `cairn evaluate
 * merge`, gives the metrics of one run over all rows (1e-12 relative), for every number in
 * metrics, per_class, confusion_matrix, curves and the bootstrap intervals.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { evaluateModel } from '../../../core/evaluate/evaluate-model.ts';
import { mergePartials } from '../../../core/evaluate/merge.ts';
import { evaluateShard, shardRange } from '../../../core/evaluate/shard.ts';
import { silentLogger } from '../../../core/logger.ts';
import { parseMetricsPartial } from '../../../core/metrics/metrics-partial.ts';
import type { MetricsReport } from '../../../core/metrics/types.ts';
import { expected, fixture } from './fixture-paths.ts';

const BOOTSTRAP = { resamples: 50, seed: 3 };
const COMPARED = ['metrics', 'per_class', 'confusion_matrix', 'curves', 'intervals', 'bootstrap'] as const;

/** Every number within 1e-12 relative, everything else equal; `path` names the first difference. */
function assertSameNumbers(actual: unknown, want: unknown, path: string): void {
  if (typeof want === 'number' && typeof actual === 'number') {
    const ok = actual === want || Math.abs(actual - want) <= 1e-12 * Math.max(Math.abs(actual), Math.abs(want));
    assert.ok(ok, `${path}: merged ${actual}, one run ${want}`);
    return;
  }
  if (Array.isArray(want) || (want !== null && typeof want === 'object')) {
    assert.equal(typeof actual, 'object', path);
    assert.deepEqual(Object.keys(actual as object), Object.keys(want as object), `${path}: keys`);
    for (const [key, value] of Object.entries(want as object))
      assertSameNumbers((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    return;
  }
  assert.equal(actual, want, path);
}

function assertSameEvaluation(merged: MetricsReport, whole: MetricsReport): void {
  assert.equal(merged.task, whole.task);
  assert.equal(merged.rows, whole.rows);
  for (const key of COMPARED) assertSameNumbers(merged[key], whole[key], key);
  assert.deepEqual(merged.model, whole.model);
  assert.deepEqual(merged.decision, whole.decision);
  assert.equal(merged.latency, undefined, 'a merge has no latency: the shards ran on different machines');
}

async function shardsOf(name: string, model: string, data: string, target: string, count: number) {
  const partials = [];
  for (let index = 1; index <= count; index++) {
    const state = await evaluateShard({
      modelPath: model,
      dataPath: data,
      target,
      task: 'auto',
      device: 'cpu',
      batchSize: 16,
      name,
      logger: silentLogger,
      shard: { index, count },
    });
    // Through JSON text, as a partial travels between machines.
    partials.push(parseMetricsPartial(JSON.parse(JSON.stringify(state)), `${name}-${index}-of-${count}.json`));
  }
  return partials;
}

describe('shardRange splits rows as numpy.array_split does', () => {
  test('the first rows % N shards hold one row more; shards are contiguous and cover every row once', () => {
    // numpy.array_split(range(10), 3) -> sizes 4, 3, 3
    assert.deepEqual(
      [1, 2, 3].map((index) => shardRange(10, { index, count: 3 })),
      [
        { start: 0, end: 4 },
        { start: 4, end: 7 },
        { start: 7, end: 10 },
      ],
    );
    for (const rows of [1, 7, 300, 301]) {
      for (const count of [1, 2, 7]) {
        let next = 0;
        for (let index = 1; index <= count; index++) {
          const { start, end } = shardRange(rows, { index, count });
          assert.equal(start, next);
          const size = end - start;
          assert.ok(size === Math.floor(rows / count) || size === Math.ceil(rows / count));
          next = end;
        }
        assert.equal(next, rows);
      }
    }
  });
});

for (const name of ['binary', 'multiclass', 'regression']) {
  describe(`${name}: merging N shards equals one run over all rows`, () => {
    const want = expected(name);
    const model = fixture(want.model);
    const data = fixture(want.data);
    let whole: MetricsReport;
    const oneRun = async () =>
      (whole ??= await evaluateModel({
        modelPath: model,
        dataPath: data,
        target: want.target,
        task: 'auto',
        device: 'cpu',
        batchSize: 64,
        name,
        bootstrap: BOOTSTRAP,
        logger: silentLogger,
      }));

    for (const count of [1, 2, 7]) {
      test(`N = ${count}`, async () => {
        const partials = await shardsOf(name, model, data, want.target, count);
        assert.deepEqual(
          partials.map((p) => p.accumulator.rows),
          Array.from({ length: count }, (_, i) => {
            const { start, end } = shardRange(want.rows, { index: i + 1, count });
            return end - start;
          }),
        );
        // Given in any order: the merge puts each file's shards in order.
        const merged = mergePartials([...partials].reverse(), { bootstrap: BOOTSTRAP });
        assertSameEvaluation(merged, await oneRun());
        assert.equal(merged.name, name);
        const whole = await oneRun();
        assert.deepEqual(merged.data, {
          rows: want.rows,
          parts: partials.map((p, i) => ({
            path: data,
            sha256: (whole.data as { sha256: string }).sha256,
            rows: p.accumulator.rows,
            shard: `${i + 1}/${count}`,
          })),
          target: want.target,
          features: whole.data!.features,
        });
      });
    }

    test('partials of two data files equal one run over the files one after the other', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cairn-shards-'));
      const [header, ...lines] = readFileSync(data, 'utf8').trimEnd().split('\n');
      const cut = 123;
      const first = join(dir, 'first.csv');
      const second = join(dir, 'second.csv');
      writeFileSync(first, `${header}\n${lines.slice(0, cut).join('\n')}\n`);
      writeFileSync(second, `${header}\n${lines.slice(cut).join('\n')}\n`);
      const partials = [
        ...(await shardsOf(name, model, second, want.target, 3)),
        ...(await shardsOf(name, model, first, want.target, 2)),
      ];
      // The first file named comes first: name `first.csv`'s shards first to get the original row order.
      const merged = mergePartials([partials[4], ...partials.slice(0, 4)], { bootstrap: BOOTSTRAP });
      assertSameEvaluation(merged, await oneRun());
      assert.deepEqual(
        (merged.data as { parts: Array<{ path: string; shard: string }> }).parts.map((p) => `${p.path} ${p.shard}`),
        [`${first} 1/2`, `${first} 2/2`, `${second} 1/3`, `${second} 2/3`, `${second} 3/3`],
      );
    });
  });
}

describe('a shard reads only its rows', () => {
  test('cells outside the shard are never parsed: a bad value there fails one run but not the shard', async () => {
    const want = expected('binary');
    const [header, ...lines] = readFileSync(fixture(want.data), 'utf8').trimEnd().split('\n');
    const broken = (line: string) => line.replace(/^[^,]*/, 'oops');
    lines[0] = broken(lines[0]);
    lines[lines.length - 1] = broken(lines[lines.length - 1]);
    const data = join(mkdtempSync(join(tmpdir(), 'cairn-shards-')), 'broken.csv');
    writeFileSync(data, `${header}\n${lines.join('\n')}\n`);
    const options = {
      modelPath: fixture(want.model),
      dataPath: data,
      target: want.target,
      task: 'auto' as const,
      device: 'cpu' as const,
      batchSize: 16,
      logger: silentLogger,
    };
    await assert.rejects(evaluateModel(options), /row 1, column "tenure": "oops" is not a number/);
    const state = await evaluateShard({ ...options, shard: { index: 2, count: 3 } });
    assert.equal(state.rows, 100);
    assert.deepEqual(state.data?.shard, { index: 2, count: 3, first_row: 101, last_row: 200 });
  });
});
