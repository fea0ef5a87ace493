/** An append-only typed array that doubles its buffer, so batches are copied once, not per row. */

export type NumericArray = Int32Array | Float32Array | Float64Array;

export class GrowableArray<T extends NumericArray> {
  private buffer: T;
  private used = 0;

  constructor(
    private readonly allocate: (length: number) => T,
    capacity = 1024,
  ) {
    this.buffer = allocate(capacity);
  }

  get length(): number {
    return this.used;
  }

  /** Makes room for `extra` more values and returns the offset where they go. */
  reserve(extra: number): number {
    const needed = this.used + extra;
    if (needed > this.buffer.length) {
      let capacity = Math.max(this.buffer.length, 1024);
      while (capacity < needed) capacity *= 2;
      const grown = this.allocate(capacity);
      grown.set(this.buffer.subarray(0, this.used));
      this.buffer = grown;
    }
    const offset = this.used;
    this.used = needed;
    return offset;
  }

  /** Appends values; a typed array of another element type is converted by `set`. */
  append(values: ArrayLike<number>): void {
    const offset = this.reserve(values.length);
    this.buffer.set(values, offset);
  }

  /** The values appended so far (a view, valid until the next append). */
  view(): T {
    return this.buffer.subarray(0, this.used) as T;
  }

  /** Direct write access to the buffer, for filling space returned by `reserve`. */
  raw(): T {
    return this.buffer;
  }
}
