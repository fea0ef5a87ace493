/** Loads the scikit-learn fixtures written by test/fixtures/generate_metrics.py. */
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { Task } from '../../../core/metrics/types.ts';
import type { MetricsBatch } from '../../../core/metrics/metrics-accumulator.ts';

export interface FixtureCase {
  name: string;
  description: string;
  task: Task;
  classes?: string[];
  proba_dtype?: 'float32' | 'float64';
  y_true: number[];
  y_pred: number[];
  proba?: number[];
  expected: {
    metrics: Record<string, number | null>;
    per_class?: Array<{ precision: number; recall: number; f1: number; support: number }>;
    confusion_matrix?: number[][];
    roc_curve?: { x: number[]; y: number[] };
    pr_curve?: { x: number[]; y: number[] };
  };
}

export function loadCases(task: Task): FixtureCase[] {
  const url = new URL(`../../fixtures/metrics/${task}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: FixtureCase[] }).cases;
}

export function loadJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/metrics/${name}`, import.meta.url), 'utf8')) as T;
}

/** The case's arrays in the typed form an evaluation hands the accumulator. */
export function batchOf(c: FixtureCase): MetricsBatch {
  if (c.task === 'regression') return { yTrue: Float64Array.from(c.y_true), yPred: Float64Array.from(c.y_pred) };
  const proba = c.proba && (c.proba_dtype === 'float32' ? Float32Array.from(c.proba) : Float64Array.from(c.proba));
  return { yTrue: Int32Array.from(c.y_true), yPred: Int32Array.from(c.y_pred), ...(proba ? { proba } : {}) };
}

/** Rows [start, end) of a batch (probabilities sliced by row, whatever their column count). */
export function sliceBatch(batch: MetricsBatch, start: number, end: number): MetricsBatch {
  const rows = batch.yTrue.length;
  const part: MetricsBatch = { yTrue: batch.yTrue.slice(start, end), yPred: batch.yPred.slice(start, end) };
  if (batch.proba) {
    const columns = batch.proba.length / rows;
    part.proba = batch.proba.slice(start * columns, end * columns);
  }
  return part;
}

/** 1e-9, relative for values above 1 (r2 can be -3e29 in sklearn); null must match null. */
export function assertClose(actual: number | null | undefined, expected: number | null, what: string): void {
  if (expected === null) {
    assert.equal(actual, null, `${what}: expected null (sklearn raises or returns NaN), got ${actual}`);
    return;
  }
  assert.equal(typeof actual, 'number', `${what}: expected ${expected}, got ${actual}`);
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs((actual as number) - expected) <= tolerance, `${what}: expected ${expected}, got ${actual}`);
}
