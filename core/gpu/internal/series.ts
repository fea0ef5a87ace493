/**
 * A run's samples for the job summary's chart, at most `max` of them however long the run: when
 * full, every other point goes and from then on only every 2nd (4th, ...) sample is kept, so the
 * points stay evenly spaced over the whole run. A day at one sample a second would be 86,400.
 */
export class ThinnedSeries<T> {
  readonly points: T[] = [];
  private stride = 1;
  private offered = 0;

  constructor(private readonly max: number) {}

  add(point: T): void {
    if (this.offered++ % this.stride !== 0) return;
    this.points.push(point);
    if (this.points.length <= this.max) return;
    const kept = this.points.filter((_, i) => i % 2 === 0);
    this.points.splice(0, this.points.length, ...kept);
    this.stride *= 2;
  }
}
