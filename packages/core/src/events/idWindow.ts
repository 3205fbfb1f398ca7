/**
 * Remembers the last `capacity` ids it was given, in O(1) per id: a Set for membership and a ring
 * buffer for eviction order. Used to drop events the CLI re-sends under load (real-cli.md §5.1):
 * re-sends reached back about 40,000 distinct ids, so the window must cover a whole turn.
 */
export class BoundedIdWindow {
  readonly #ids = new Set<string>();
  readonly #ring: (string | undefined)[];
  #next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`BoundedIdWindow capacity must be a positive integer. Got ${capacity}`);
    }
    this.#ring = new Array<string | undefined>(capacity);
  }

  /** Remembers `id` and returns true if it was not in the window; returns false for a repeat. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    const evicted = this.#ring[this.#next];
    if (evicted !== undefined) this.#ids.delete(evicted);
    this.#ring[this.#next] = id;
    this.#next = (this.#next + 1) % this.capacity;
    this.#ids.add(id);
    return true;
  }

  get size(): number {
    return this.#ids.size;
  }
}
