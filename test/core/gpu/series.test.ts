import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ThinnedSeries } from '../../../core/gpu/internal/series.ts';

test("a long run's chart keeps at most its limit of points, evenly spaced from the start", () => {
  const series = new ThinnedSeries<number>(10);
  for (let second = 0; second < 100; second++) series.add(second);
  assert.ok(series.points.length <= 10, `${series.points.length} points`);
  assert.equal(series.points[0], 0);
  const gaps = new Set(series.points.slice(1).map((point, i) => point - series.points[i]!));
  assert.equal(gaps.size, 1, `uneven gaps: ${[...gaps].join(', ')}`);
  assert.ok(series.points.at(-1)! >= 80, 'the points reach the end of the run');
});
