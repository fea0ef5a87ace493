import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downsampleCurve, MAX_CURVE_POINTS } from '../../../core/metrics/internal/downsample-curve.ts';

/** A ROC-like curve: up the left edge to (0, 0.9), then gently across to (1, 1). */
function stepCurve(n: number) {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    x.push(t < 0.5 ? 0 : (t - 0.5) * 2);
    y.push(t < 0.5 ? t * 1.8 : 0.9 + (t - 0.5) * 0.2);
  }
  return { x, y };
}

test('a curve with at most 200 points is returned whole', () => {
  const curve = stepCurve(MAX_CURVE_POINTS);
  assert.deepEqual(downsampleCurve(curve), curve);
});

test('a long curve keeps 200 of its own points, in order, both ends and the corner', () => {
  const curve = stepCurve(10_001);
  const small = downsampleCurve(curve);
  assert.equal(small.x.length, MAX_CURVE_POINTS);
  assert.deepEqual([small.x[0], small.y[0]], [0, 0]);
  assert.deepEqual([small.x.at(-1), small.y.at(-1)], [1, 1]);
  let from = -1;
  small.x.forEach((x, i) => {
    const at = curve.x.findIndex((cx, j) => j > from && cx === x && curve.y[j] === small.y[i]);
    assert.ok(at > from, `point ${i} is an input point after the previous one`);
    from = at;
  });
  // The corner where the curve turns: within one input step of (0, 0.9).
  assert.ok(
    small.x.some((x, i) => x <= 2 / 10_000 && Math.abs(small.y[i] - 0.9) <= 2e-4),
    'corner kept',
  );
});

test('a smaller budget is honoured', () => {
  assert.equal(downsampleCurve(stepCurve(1000), 10).x.length, 10);
  assert.throws(() => downsampleCurve(stepCurve(1000), 2), RangeError);
});
