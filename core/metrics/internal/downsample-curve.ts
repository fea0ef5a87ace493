/**
 * Shrinks a curve to a few hundred points for charts (a comment and a job summary have size
 * limits) with Largest-Triangle-Three-Buckets (Steinarsson, 2013): the points kept are those that
 * best preserve the visible shape, corners included, and the first and last points always stay.
 * Every point returned is a point of the input curve.
 */
import type { Curve } from '../types.ts';

export const MAX_CURVE_POINTS = 200;

export function downsampleCurve(curve: Curve, maxPoints = MAX_CURVE_POINTS): Curve {
  const { x, y } = curve;
  const n = x.length;
  if (maxPoints < 3) throw new RangeError(`maxPoints must be at least 3, got ${maxPoints}`);
  if (n <= maxPoints) return { x: [...x], y: [...y] };

  const outX = [x[0]];
  const outY = [y[0]];
  // The n - 2 inner points are split into maxPoints - 2 buckets; one point is kept per bucket.
  const bucketSize = (n - 2) / (maxPoints - 2);
  let previous = 0;
  for (let bucket = 0; bucket < maxPoints - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    // The average of the next bucket (or the last point) is the triangle's third corner.
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      avgX += x[i];
      avgY += y[i];
    }
    const count = nextEnd - nextStart;
    avgX /= count;
    avgY /= count;

    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const area = Math.abs((x[previous] - avgX) * (y[i] - y[previous]) - (x[previous] - x[i]) * (avgY - y[previous]));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    outX.push(x[best]);
    outY.push(y[best]);
    previous = best;
  }
  outX.push(x[n - 1]);
  outY.push(y[n - 1]);
  return { x: outX, y: outY };
}
