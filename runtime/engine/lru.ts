/**
 * A map with a bound on total weight, least-recently-used eviction and per-entry expiry.
 * Invariant: the sum of the weights of the entries never exceeds `maxWeight` after `set` returns
 * (except for one single entry heavier than the whole budget, which is kept alone).
 * Map iteration order is insertion order, so re-inserting on use keeps the LRU entry first.
 */
export class BoundedMap<V extends { expiresAt: number; weight: number }> {
  readonly #map = new Map<string, V>();
  #weight = 0;
  readonly maxWeight: number;
  evictions = 0;

  constructor(maxWeight: number) {
    this.maxWeight = maxWeight;
  }

  get size(): number {
    return this.#map.size;
  }

  get weight(): number {
    return this.#weight;
  }

  /** Returns the live entry (and marks it used), dropping it if expired at `now`. */
  get(key: string, now: number): V | undefined {
    const v = this.#map.get(key);
    if (v === undefined) return undefined;
    if (v.expiresAt <= now) {
      this.delete(key);
      return undefined;
    }
    this.#map.delete(key);
    this.#map.set(key, v);
    return v;
  }

  /** The entry as stored (expired or not), without marking it used. */
  peek(key: string): V | undefined {
    return this.#map.get(key);
  }

  /** Inserts or replaces `key` (its weight may have changed), then evicts to fit the budget. */
  set(key: string, value: V, now: number): void {
    const old = this.#map.get(key);
    if (old !== undefined) {
      this.#weight -= old.weight;
      this.#map.delete(key);
    }
    this.#map.set(key, value);
    this.#weight += value.weight;
    this.#sweep(now);
  }

  delete(key: string): void {
    const v = this.#map.get(key);
    if (v === undefined) return;
    this.#weight -= v.weight;
    this.#map.delete(key);
  }

  /** Drops expired entries among the least recently used, then LRU entries while over budget. */
  #sweep(now: number): void {
    let checked = 0;
    for (const [key, v] of this.#map) {
      const over = this.#weight > this.maxWeight && this.#map.size > 1;
      if (!over && checked >= 8) break;
      checked++;
      if (v.expiresAt <= now) this.delete(key);
      else if (over) {
        this.delete(key);
        this.evictions++;
      }
    }
  }
}
