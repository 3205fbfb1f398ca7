import { BoundedIdWindow } from './idWindow.js';

/** Slots of the table per key: a UUID's 128 bits as four int32 words. */
const WORDS = 4;

/**
 * The de-duplication window of the event path: like `BoundedIdWindow` it remembers the last `capacity`
 * ids and answers `add(id)` with false for a repeat, but it keeps canonical UUIDs (the CLI's event ids)
 * as four int32 words in flat typed arrays instead of strings in a Set.
 *
 * Why: the window holds tens of thousands of ids (re-sends reach back ~40,000 ids, real-cli.md §5.1).
 * As strings in a Set, every id outlives a few scavenges, is promoted to the old generation and is
 * collected there later: that garbage is most of the peak heap while a flood is read, and its GC a good
 * part of the per-event cost (bench/BOUNDS.md). Here nothing is allocated per id.
 *
 * Exact, not probabilistic: a key is the id's full 128 bits, and only the canonical lowercase form
 * (8-4-4-4-12 hex digits) takes this path, so two different strings never share a key. Any other id
 * goes to a `BoundedIdWindow` of the same capacity: each kind keeps its own last `capacity` ids.
 *
 * The table: open addressing with linear probing, twice the capacity (load ≤ 0.5), backward-shift
 * deletion (no tombstones to degrade probing), and a ring of the keys in arrival order for eviction.
 */
export class UuidIdWindow {
  readonly #mask: number;
  readonly #keys: Int32Array;
  readonly #used: Uint8Array;
  readonly #ring: Int32Array;
  /** Scratch for the id being added, parsed once. */
  readonly #key = new Int32Array(WORDS);
  readonly #others: BoundedIdWindow;
  #next = 0;
  #count = 0;

  constructor(readonly capacity: number) {
    this.#others = new BoundedIdWindow(capacity); // also validates `capacity`
    let slots = 1;
    while (slots < capacity * 2) slots <<= 1;
    this.#mask = slots - 1;
    this.#keys = new Int32Array(slots * WORDS);
    this.#used = new Uint8Array(slots);
    this.#ring = new Int32Array(capacity * WORDS);
  }

  /** Remembers `id` and returns true if it was not in the window; returns false for a repeat. */
  add(id: string): boolean {
    if (!this.#parse(id)) return this.#others.add(id);
    const key = this.#key;
    const a = key[0]!;
    const b = key[1]!;
    const c = key[2]!;
    const d = key[3]!;
    if (this.#find(a, b, c, d) >= 0) return false;
    const at = this.#next * WORDS;
    if (this.#count === this.capacity) {
      const ring = this.#ring;
      this.#remove(ring[at]!, ring[at + 1]!, ring[at + 2]!, ring[at + 3]!);
    } else {
      this.#count++;
    }
    const slot = ~this.#find(a, b, c, d);
    this.#keys.set(key, slot * WORDS);
    this.#used[slot] = 1;
    this.#ring.set(key, at);
    this.#next = (this.#next + 1) % this.capacity;
    return true;
  }

  /** How many ids the window holds now (UUIDs and others). */
  get size(): number {
    return this.#count + this.#others.size;
  }

  /** Reads a canonical lowercase UUID into `#key`; false for any other string. */
  #parse(id: string): boolean {
    if (id.length !== 36) return false;
    let word = 0;
    let acc = 0;
    let digits = 0;
    for (let i = 0; i < 36; i++) {
      const code = id.charCodeAt(i);
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        if (code !== 45 /* - */) return false;
        continue;
      }
      const value = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
      if (value < 0) return false;
      acc = (acc << 4) | value;
      if (++digits === 8) {
        this.#key[word++] = acc;
        acc = 0;
        digits = 0;
      }
    }
    return true;
  }

  #home(a: number, b: number, c: number, d: number): number {
    const h = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d, 0xc2b2ae35), 0x27d4eb2f);
    return (h ^ (h >>> 15)) & this.#mask;
  }

  /** The slot holding the key, or `~slot` of the empty slot where it would go. */
  #find(a: number, b: number, c: number, d: number): number {
    const keys = this.#keys;
    let slot = this.#home(a, b, c, d);
    while (this.#used[slot]) {
      const o = slot * WORDS;
      if (keys[o] === a && keys[o + 1] === b && keys[o + 2] === c && keys[o + 3] === d) return slot;
      slot = (slot + 1) & this.#mask;
    }
    return ~slot;
  }

  #remove(a: number, b: number, c: number, d: number): void {
    let hole = this.#find(a, b, c, d);
    if (hole < 0) return;
    const keys = this.#keys;
    const used = this.#used;
    used[hole] = 0;
    // Backward shift: a later key of the same probe run moves into the hole when its home slot lies
    // cyclically at or before the hole, so every key stays reachable from its home without tombstones.
    for (let j = (hole + 1) & this.#mask; used[j]; j = (j + 1) & this.#mask) {
      const o = j * WORDS;
      const home = this.#home(keys[o]!, keys[o + 1]!, keys[o + 2]!, keys[o + 3]!);
      const movable = j > hole ? home <= hole || home > j : home <= hole && home > j;
      if (!movable) continue;
      keys.copyWithin(hole * WORDS, o, o + WORDS);
      used[hole] = 1;
      used[j] = 0;
      hole = j;
    }
  }
}
